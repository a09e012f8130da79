// The stage engine on its own: key paths and expressions, due times with jitter, and how due stages are
// applied one after the other (pure functions, no store).
import { describe, expect, it } from 'vitest';
import { latestTime, matches, valuesAt } from '../../src/reconcilers/kubelet/fields.ts';
import { advance, dueStages, type Stage } from '../../src/reconcilers/kubelet/engine.ts';
import { DueQueue } from '../../src/reconcilers/kubelet/queue.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

describe('key paths and expressions', () => {
  const pod = {
    metadata: { annotations: { 'sim.skiff.dev/crash-after': '2s' } },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(5) }, { type: 'Initialized', status: 'True', lastTransitionTime: at(2) }],
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 0, state: { running: { startedAt: at(3) } } },
        { name: 'b', ready: true, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    },
  };

  it('reads fields, quoted fields, every item and matching items', () => {
    expect(valuesAt(pod, '.status.phase')).toEqual(['Running']);
    expect(valuesAt(pod, '.metadata.annotations["sim.skiff.dev/crash-after"]')).toEqual(['2s']);
    expect(valuesAt(pod, ".metadata.annotations['sim.skiff.dev/crash-after']")).toEqual(['2s']);
    expect(valuesAt(pod, '.status.containerStatuses[*].name')).toEqual(['a', 'b']);
    expect(valuesAt(pod, '.status.conditions[type=Ready].status')).toEqual(['False']);
    expect(valuesAt(pod, '.status.containerStatuses[*].state.running.startedAt')).toEqual([at(3)]);
    expect(valuesAt(pod, '.status.podIP')).toEqual([]);
    expect(() => valuesAt(pod, 'status.phase')).toThrow(/bad key path/);
  });

  it('matches In, NotIn, Exists and DoesNotExist against string forms', () => {
    expect(matches(pod, [{ key: '.status.phase', operator: 'In', values: ['Running', 'Pending'] }])).toBe(true);
    expect(matches(pod, [{ key: '.status.containerStatuses[*].ready', operator: 'In', values: ['false'] }])).toBe(true);
    expect(matches(pod, [{ key: '.status.containerStatuses[*].restartCount', operator: 'NotIn', values: ['0'] }])).toBe(false);
    expect(matches(pod, [{ key: '.status.containerStatuses[*].state.waiting.reason', operator: 'Exists' }])).toBe(true);
    expect(matches(pod, [{ key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' }])).toBe(true);
    // NotIn holds when there is no value at all, as in label selectors.
    expect(matches(pod, [{ key: '.metadata.annotations["sim.skiff.dev/never-ready"]', operator: 'NotIn', values: ['true'] }])).toBe(true);
    expect(matches(pod, [{ key: '.status.phase', operator: 'In', values: ['Running'] }, { key: '.status.podIP', operator: 'Exists' }])).toBe(false);
  });

  it('takes the latest of several timestamps', () => {
    expect(latestTime(pod, ['.status.conditions[*].lastTransitionTime'])).toBe(T0 + 5000);
    expect(latestTime(pod, ['.status.conditions[type=Initialized].lastTransitionTime', '.status.containerStatuses[*].state.running.startedAt'])).toBe(T0 + 3000);
    expect(latestTime(pod, ['.status.startTime'])).toBeUndefined();
  });
});

interface Obj { uid: string; created: string; state: string; log: string[]; at?: string; items?: { id: string; delayMs: number; done?: boolean }[] }

const step = (name: string, from: string[], ms: number, to: string, extra: Partial<Stage<Obj>> = {}): Stage<Obj> => ({
  name, selector: [{ key: '.state', operator: 'In', values: [name] }], delay: { from, ms },
  next: (o, t) => ({ object: { ...o, state: to, at: new Date(t).toISOString(), log: [...o.log, `${name}@${t - T0}`] } }),
  ...extra,
});

describe('the engine', () => {
  const obj: Obj = { uid: 'u1', created: at(0), state: 'a', log: [] };

  it('computes due times from the object and applies what is due, in order, each at its own time', () => {
    const stages = [step('a', ['.created'], 1000, 'b'), step('b', ['.at'], 2000, 'c'), step('c', ['.at'], 60_000, 'd')];
    expect(dueStages(stages, obj, 'u1').map(d => [d.stage.name, d.at - T0])).toEqual([['a', 1000]]);
    const early = advance(stages, obj, T0 + 500, { seed: 'u1', env: undefined });
    expect(early).toMatchObject({ changed: false, nextAt: T0 + 1000 });
    // Ten seconds on, two stages have come due: both apply, stamped at their due times.
    const r = advance(stages, obj, T0 + 10_000, { seed: 'u1', env: undefined });
    expect(r.changed).toBe(true);
    expect(r.object.log).toEqual(['a@1000', 'b@3000']);
    expect(r.nextAt).toBe(T0 + 63_000);
  });

  it('adds a jitter fixed by the seed and the stage', () => {
    const stages = [step('a', ['.created'], 1000, 'b', { delay: { from: ['.created'], ms: 1000, jitterMs: 500 } })];
    const due = (seed: string) => dueStages(stages, obj, seed)[0].at - T0;
    expect(due('u1')).toBe(due('u1'));
    const spread = new Set(['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map(due));
    expect(spread.size).toBeGreaterThan(1);
    for (const d of spread) expect(d >= 1000 && d < 1500).toBe(true);
  });

  it('runs item stages per item, each with its own delay', () => {
    const stages: Stage<Obj>[] = [{
      name: 'finish', selector: [],
      each: { items: o => o.items ?? [], id: i => i.id, selector: [{ key: '.done', operator: 'DoesNotExist' }] },
      delay: { from: [], ms: i => (i as { delayMs: number }).delayMs },
      next: (o, _t, item) => ({ object: { ...o, items: o.items!.map(i => (i.id === item.id ? { ...i, done: true } : i)) } }),
    }];
    // No timestamp to count from: the stage does not apply.
    expect(dueStages(stages, { ...obj, items: [{ id: 'x', delayMs: 0 }] }, 'u1')).toEqual([]);
    const withFrom = stages.map(s => ({ ...s, delay: { ...s.delay, from: ['.t'] } }));
    const items = [{ id: 'x', delayMs: 1000, t: at(0) }, { id: 'y', delayMs: 5000, t: at(0) }];
    const r = advance(withFrom, { ...obj, items }, T0 + 2000, { seed: 'u1', env: undefined });
    expect(r.object.items!.map(i => !!i.done)).toEqual([true, false]);
    expect(r.nextAt).toBe(T0 + 5000);
  });

  it('passes over a due stage that finds nothing to do, and applies `once` stages once', () => {
    const stages: Stage<Obj>[] = [
      { name: 'blocked', selector: [], delay: { from: ['.created'] }, next: () => undefined },
      { name: 'announce', selector: [], once: true, delay: { from: ['.created'] }, next: () => ({ events: [{ type: 'Normal', reason: 'Hello', message: 'hi' }] }) },
      step('a', ['.created'], 1000, 'b'),
    ];
    const r = advance(stages, obj, T0 + 5000, { seed: 'u1', env: undefined });
    expect(r.events.map(e => e.reason)).toEqual(['Hello']);
    expect(r.fired).toEqual(['announce']);
    expect(r.object.state).toBe('b');
    const again = advance(stages, r.object, T0 + 6000, { seed: 'u1', env: undefined, fired: new Set(r.fired) });
    expect(again.events).toEqual([]);
    expect(again.nextAt).toBeUndefined();
  });

  it('deletes, derives after every change, and stops after maxSteps', () => {
    const derive = (o: Obj) => (o.state === 'b' ? { ...o, log: [...o.log, 'derived'] } : o);
    const r = advance([step('a', ['.created'], 0, 'b')], obj, T0, { seed: 'u1', env: undefined, derive });
    expect(r.object.log).toEqual(['a@0', 'derived']);
    const gone = advance([{ name: 'go', selector: [], delay: { from: ['.created'] }, next: () => ({ delete: true }) }], obj, T0, { seed: 'u1', env: undefined });
    expect(gone.delete).toBe(true);
    const loop: Stage<Obj> = { name: 'loop', selector: [], delay: { from: ['.created'] }, next: (o, t) => ({ object: { ...o, log: [...o.log, String(t)] } }) };
    const capped = advance([loop], obj, T0, { seed: 'u1', env: undefined, maxSteps: 3 });
    expect(capped.object.log).toHaveLength(3);
    expect(capped.nextAt).toBe(T0);
  });
});

describe('the due queue', () => {
  it('hands out keys as they come due, the latest schedule of a key winning', () => {
    const q = new DueQueue();
    q.set('a', 30); q.set('b', 10); q.set('c', 20); q.set('b', 40);
    expect(q.next()).toBe(20);
    expect(q.takeDue(25)).toEqual(['c']);
    q.delete('a');
    expect(q.takeDue(100)).toEqual(['b']);
    expect(q.size).toBe(0);
    expect(q.next()).toBeUndefined();
    for (let i = 0; i < 5000; i++) q.set('k', i);
    expect(q.takeDue(10_000)).toEqual(['k']);
  });
});
