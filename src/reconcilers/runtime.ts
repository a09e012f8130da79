// Runs the reconcilers (DESIGN §5): passes on the cron tick and right after writes. Each controller of a
// cluster has passes of its own (a slow kubelet pass never holds up the scheduler); they are
// level-triggered and idempotent, and a controller woken while its pass runs gets one more pass.
import type { Api, RequestScope, WriteEvent } from '../api/api.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { HealthCheck } from '../api/health.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { ClusterInformers, type PassInformers } from './informers.ts';
import { LeaseKeeper } from './leases.ts';
import { recordEvent, type EventRecord, type EventSource } from './events.ts';

export interface ControllerContext {
  api: Api;
  scope: RequestScope;
  clock: Clock;
  log: Logger;
  /** Work past this time (clock ms) waits for the next pass: a pass must fit a Worker's CPU limit. */
  deadline: number;
  /** The cluster's shared caches (brought up to date at the pass's first look). */
  informers: PassInformers;
  /** Records a core/v1 Event about an object. */
  event(obj: KubeObject, source: EventSource, e: EventRecord): Promise<void>;
}

export interface Controller {
  name: string;
  /** One bounded, idempotent pass over a cluster; may ask to run again within some time. */
  reconcile(ctx: ControllerContext): Promise<{ requeueAfterMs?: number } | void>;
  /**
   * Whether a write calls for a pass right away (absent: every write does). The others wait for the next
   * pass; the shared caches read every change then anyway.
   */
  wakesOn?(write: WriteEvent): boolean;
}

/** A `wakesOn` for controllers that follow some resources (`resource` or `resource.group`). */
export function writesTo(...resources: string[]): (write: WriteEvent) => boolean {
  const wanted = new Set(resources);
  return w => wanted.has(w.group ? `${w.resource}.${w.group}` : w.resource);
}

/**
 * A controller that keeps state per cluster (caches of what it has seen, due-time queues): the state is
 * made on the cluster's first pass and handed to every later one.
 */
export function perClusterController<S>(
  name: string, init: () => S, reconcile: (ctx: ControllerContext, state: S) => ReturnType<Controller['reconcile']>,
  wakesOn?: Controller['wakesOn'],
): Controller {
  const states = new Map<string, S>();
  return {
    name,
    wakesOn,
    reconcile(ctx) {
      let state = states.get(ctx.scope.cluster);
      if (state === undefined) states.set(ctx.scope.cluster, state = init());
      return reconcile(ctx, state);
    },
  };
}

export interface RuntimeOptions {
  clock: Clock;
  log: Logger;
  /** The safety-net tick. */
  intervalMs: number;
  /** Time budget of one pass. */
  passBudgetMs: number;
  /** The identity controllers act as. */
  user: RequestScope['user'];
  /** Who holds leases: unique per process (or Worker isolate). */
  identity?: string;
  /**
   * The least time between two passes of a controller in a cluster: a burst of writes is reconciled
   * together rather than write by write.
   */
  minPassGapMs?: number;
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/** One controller in one cluster: what runs its passes. */
interface Loop { running?: Promise<void>; dirty: boolean; lastEnded: number; requeue?: { at: number; timer: ReturnType<typeof setTimeout> } }

export class Runtime {
  /** By `cluster/controller`: every controller runs its own passes, as kube-controller-manager's do. */
  private readonly loops = new Map<string, Loop>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastPassAt: number | undefined;
  /** The last failure of each controller, until it next succeeds. */
  private readonly errors = new Map<string, string>();
  private readonly startedAt: number;
  private readonly informers = new Map<string, ClusterInformers>();
  private readonly leases: LeaseKeeper;

  constructor(
    private readonly api: Api,
    private readonly controllers: Controller[],
    private readonly clusters: () => Promise<string[]>,
    private readonly opts: RuntimeOptions,
  ) {
    this.startedAt = opts.clock.now();
    this.leases = new LeaseKeeper(api, opts.clock, opts.identity ?? `skiff-${crypto.randomUUID().slice(0, 8)}`);
  }

  /** Wakes the cluster's controllers that want to see this write at once. */
  written(cluster: string, write: WriteEvent) {
    for (const c of this.controllers) if (c.wakesOn?.(write) ?? true) this.startLoop(cluster, c);
  }

  /** A pass of every controller of the cluster; returns when they, and the passes their writes woke, are done. */
  async wake(cluster: string): Promise<void> {
    if (!cluster) return;
    for (const c of this.controllers) this.startLoop(cluster, c);
    for (;;) {
      const running = this.controllers.map(c => this.loops.get(`${cluster}/${c.name}`)?.running).filter(p => p !== undefined);
      if (!running.length) return;
      await Promise.allSettled(running);
    }
  }

  /** Starts the controller's passes over the cluster, or asks the running ones for one more. */
  private startLoop(cluster: string, c: Controller) {
    if (!cluster) return;
    const id = `${cluster}/${c.name}`;
    let loop = this.loops.get(id);
    if (!loop) this.loops.set(id, loop = { dirty: false, lastEnded: 0 });
    if (loop.running) { loop.dirty = true; return; }
    const l = loop;
    l.running = this.run(cluster, c, l).finally(() => { l.running = undefined; });
  }

  private async run(cluster: string, c: Controller, loop: Loop) {
    const gap = this.opts.minPassGapMs ?? 50;
    do {
      const wait = loop.lastEnded + gap - Date.now();
      if (wait > 0) await sleep(wait);
      loop.dirty = false;
      try {
        await this.pass(cluster, c, loop);
      } finally {
        loop.lastEnded = Date.now();
      }
    } while (loop.dirty);
  }

  /** One pass of one controller over one cluster. */
  private async pass(cluster: string, c: Controller, loop: Loop): Promise<void> {
    const { clock, log } = this.opts;
    const scope = { cluster, user: this.opts.user };
    let informers = this.informers.get(cluster);
    if (!informers) this.informers.set(cluster, informers = new ClusterInformers(this.api, scope));
    const ctx: ControllerContext = {
      api: this.api, scope, clock, log, deadline: clock.now() + this.opts.passBudgetMs, informers: informers.forPass(),
      event: (obj, source, e) => recordEvent(this.api, scope, obj, source, e, clock.now()),
    };
    const id = `${cluster}/${c.name}`;
    let again: number | undefined;
    try {
      if (!(await this.leases.hold(scope, c.name))) return;
      again = (await c.reconcile(ctx))?.requeueAfterMs;
      this.errors.delete(id);
    } catch (e) {
      this.errors.set(id, `${c.name}: ${(e as Error).message}`);
      log.log('error', 'reconcile failed', { cluster, controller: c.name, error: (e as Error).stack ?? String(e) });
      again = 1000;
    }
    this.lastPassAt = clock.now();
    if (again !== undefined) this.schedule(cluster, c, loop, Math.max(10, again));
  }

  /** Runs another pass of the controller after `ms` (the earlier of two requests wins). */
  private schedule(cluster: string, c: Controller, loop: Loop, ms: number) {
    const at = Date.now() + ms;
    if (loop.requeue && loop.requeue.at <= at) return;
    if (loop.requeue) clearTimeout(loop.requeue.timer);
    const timer = setTimeout(() => { loop.requeue = undefined; this.startLoop(cluster, c); }, ms);
    (timer as { unref?: () => void }).unref?.();
    loop.requeue = { at, timer };
  }

  /** The cron: a pass over every cluster. */
  async passAll(): Promise<void> {
    for (const cluster of await this.clusters()) await this.wake(cluster);
  }

  start() {
    this.timer = setInterval(() => { this.passAll().catch(e => this.opts.log.log('error', 'cron pass failed', { error: String(e) })); }, this.opts.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /**
   * Resolves when the passes running now (and the reruns they owe) are done. Workers hand this to
   * waitUntil: workerd cancels what a finished request leaves running, and a cancelled pass would stay
   * `running` for good, blocking every later pass of its cluster.
   */
  async idle(horizonMs = 0): Promise<void> {
    for (;;) {
      const running = () => [...this.loops.values()].flatMap(l => (l.running ? [l.running] : []));
      await Promise.allSettled(running());
      // Reruns due within the horizon are waited for too: on Workers no timer outlives the request otherwise.
      const due = [...this.loops.values()].flatMap(l => (l.requeue ? [l.requeue.at] : [])).filter(at => at - Date.now() <= horizonMs);
      if (!running().length && !due.length) return;
      if (!running().length) await new Promise(r => setTimeout(r, Math.max(0, Math.min(...due) - Date.now()) + 5));
    }
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const l of this.loops.values()) {
      if (l.requeue) clearTimeout(l.requeue.timer);
      l.requeue = undefined;
    }
    await Promise.allSettled([...this.loops.values()].flatMap(l => (l.running ? [l.running] : [])));
  }

  /** Healthy while passes complete without errors and no later than a few cron intervals apart. */
  healthCheck(name: string): HealthCheck {
    return {
      name,
      check: async () => {
        const failing = [...this.errors.values()];
        if (failing.length) return failing.join('; ');
        const age = this.opts.clock.now() - (this.lastPassAt ?? this.startedAt);
        return age > 3 * this.opts.intervalMs + this.opts.passBudgetMs ? `no reconcile pass for ${Math.round(age / 1000)}s` : undefined;
      },
    };
  }
}
