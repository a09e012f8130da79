// The one engine that runs lifecycles expressed as stages (DESIGN §6, as KWOK does): each stage selects
// objects (or items of an object, such as its containers) by field expressions, comes due a delay plus a
// deterministic jitter after a timestamp found in the object, and then changes it: a new object (status),
// events, or deletion. The engine only decides what is due and applies it in memory; callers write.
import type { EventRecord } from '../events.ts';
import { jsonEqual } from '../../util/equal.ts';
import { latestTime, matches, type Expression } from './fields.ts';
import { hashUnit } from './hash.ts';

export interface Change<T> {
  /** The object after the stage (undefined: unchanged). */
  object?: T;
  events?: EventRecord[];
  /** The object goes (the caller deletes it). */
  delete?: boolean;
}

export interface Stage<T, I = any, E = any> {
  name: string;
  /** What must hold on the object. */
  selector: Expression[];
  /** A stage of each item (e.g. each container): the items, an id for each, and what must hold on the item. */
  each?: { items(obj: T): I[]; id(item: I): string; selector: Expression[] };
  delay: {
    /** Key paths of timestamps (on the item for item stages): the delay counts from the latest. */
    from: string[];
    /** Milliseconds after that; a function for per-object settings, where undefined means never. */
    ms?: number | ((subject: I | T) => number | undefined);
    /** Up to this much more, fixed per object, stage and item. */
    jitterMs?: number;
  };
  /** Applies at most once per object: for stages that only record events. */
  once?: boolean;
  /** What the stage does, at `at` (its due time; never later than now). Undefined or no change: nothing to do yet. */
  next(obj: T, at: number, item: I | undefined, env: E): Change<T> | undefined;
}

export interface Due<T> { stage: Stage<T>; item?: unknown; id: string; at: number }

/** When each stage that applies to the object comes due (`seed` fixes the jitter: the object's uid). */
export function dueStages<T>(stages: readonly Stage<T>[], obj: T, seed: string): Due<T>[] {
  const due: Due<T>[] = [];
  for (const stage of stages) {
    if (!matches(obj, stage.selector)) continue;
    const subjects = stage.each
      ? stage.each.items(obj).filter(i => matches(i, stage.each!.selector)).map(i => ({ item: i as unknown, id: `${stage.name}/${stage.each!.id(i)}` }))
      : [{ item: undefined, id: stage.name }];
    for (const { item, id } of subjects) {
      const subject = item ?? obj;
      const from = latestTime(subject, stage.delay.from);
      const ms = typeof stage.delay.ms === 'function' ? stage.delay.ms(subject as any) : stage.delay.ms ?? 0;
      if (from === undefined || ms === undefined) continue;
      const jitter = stage.delay.jitterMs ? Math.floor(hashUnit(`${seed}/${id}`) * stage.delay.jitterMs) : 0;
      due.push({ stage, item, id, at: from + ms + jitter });
    }
  }
  // Earliest first; among equals, the order of the stage list.
  return due.sort((a, b) => a.at - b.at);
}

export interface Outcome<T> {
  object: T;
  /** Whether `object` differs from the one given. */
  changed: boolean;
  events: EventRecord[];
  delete: boolean;
  /** When the next stage comes due, if any does. */
  nextAt?: number;
  /** The `once` stages applied: the caller adds them to `fired` once the outcome is written. */
  fired: string[];
}

export interface AdvanceOptions<T, E> {
  /** Fixes the jitter: the object's uid. */
  seed: string;
  /** Passed to every stage's `next`. */
  env: E;
  /** Fields computed from others (a pod's phase and conditions), recomputed after every change. */
  derive?(obj: T, at: number): T;
  /** The ids of `once` stages already applied to this object (kept by the caller across passes). */
  fired?: ReadonlySet<string>;
  /** At most this many stages per call; the rest waits for the next (a crash loop an hour behind). */
  maxSteps?: number;
}

/**
 * Applies every stage that is due by `now`, one after the other in due order, each seeing the object the
 * previous one left: an object an hour behind catches up in one call, with each stage stamped at its own
 * due time. Stages whose `next` finds nothing to do are passed over until the object changes (and then, if
 * nothing else changes it, until the caller looks again).
 */
export function advance<T, E>(stages: readonly Stage<T, any, E>[], obj: T, now: number, opts: AdvanceOptions<T, E>): Outcome<T> {
  let current = opts.derive ? opts.derive(obj, now) : obj;
  const events: EventRecord[] = [];
  const passed = new Set<string>();
  const fired: string[] = [];
  let chainAt = -Infinity;
  for (let step = 0; step < (opts.maxSteps ?? 64); step++) {
    const due = dueStages(stages as Stage<T>[], current, opts.seed)
      .filter(d => !passed.has(d.id) && !(d.stage.once && (opts.fired?.has(d.id) || fired.includes(d.id))));
    const first = due[0];
    if (!first || first.at > now) return outcome(first?.at);
    // Due times come from whole-second timestamps: a stage never goes back before the one it follows.
    const at = Math.min(now, Math.max(first.at, chainAt));
    const change = first.stage.next(current, at, first.item, opts.env);
    if (first.stage.once) fired.push(first.id);
    const object = change?.object !== undefined && !jsonEqual(change.object, current) ? change.object : undefined;
    if (change?.events) events.push(...change.events);
    if (change?.delete) return { ...outcome(undefined), delete: true };
    if (object === undefined) { passed.add(first.id); continue; }
    current = opts.derive ? opts.derive(object, at) : object;
    chainAt = at;
    // What had nothing to do may have something to do now.
    passed.clear();
  }
  // Still more to do: come back at once.
  return outcome(now);

  function outcome(nextAt: number | undefined): Outcome<T> {
    return { object: current, changed: current !== obj && !jsonEqual(current, obj), events, delete: false, nextAt, fired };
  }
}
