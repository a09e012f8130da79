// Runs the reconcilers (DESIGN §5): a pass per cluster on the cron tick and right after writes.
// Passes are level-triggered and idempotent; a cluster woken while its pass runs gets one more pass.
import type { Api, RequestScope, WriteEvent } from '../api/api.ts';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/log.ts';
import type { HealthCheck } from '../api/health.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { ClusterInformers } from './informers.ts';
import { LeaseKeeper } from './leases.ts';
import { recordEvent, type EventRecord, type EventSource } from './events.ts';

export interface ControllerContext {
  api: Api;
  scope: RequestScope;
  clock: Clock;
  log: Logger;
  /** Work past this time (clock ms) waits for the next pass: a pass must fit a Worker's CPU limit. */
  deadline: number;
  /** The cluster's shared caches (synced once per pass). */
  informers: ClusterInformers;
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
   * The least time between two passes of a cluster: a burst of writes is reconciled together rather
   * than pass by pass (a pass reads the cluster's changes and runs every controller).
   */
  minPassGapMs?: number;
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

export class Runtime {
  private running = new Map<string, Promise<void>>();
  private dirty = new Set<string>();
  /** Passes controllers asked for, by cluster: when (wall clock) and the timer that runs them. */
  private requeue = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastPassAt: number | undefined;
  private lastError: string | undefined;
  private readonly startedAt: number;
  private readonly informers = new Map<string, ClusterInformers>();
  /** When each cluster's last pass ended (wall clock: this is about CPU, not simulated time). */
  private readonly lastEnded = new Map<string, number>();
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

  /** Wakes the cluster's reconcilers if a controller wants to see this write at once. */
  written(cluster: string, write: WriteEvent) {
    if (this.controllers.some(c => c.wakesOn?.(write) ?? true)) this.wake(cluster).catch(() => {});
  }

  /** Schedules a pass for the cluster; returns when the work it triggered is done. */
  wake(cluster: string): Promise<void> {
    if (!cluster) return Promise.resolve();
    const running = this.running.get(cluster);
    if (running) { this.dirty.add(cluster); return running; }
    const p = this.loop(cluster).finally(() => this.running.delete(cluster));
    this.running.set(cluster, p);
    return p;
  }

  private async loop(cluster: string) {
    const gap = this.opts.minPassGapMs ?? 50;
    do {
      const wait = (this.lastEnded.get(cluster) ?? 0) + gap - Date.now();
      if (wait > 0) await sleep(wait);
      this.dirty.delete(cluster);
      try {
        await this.pass(cluster);
      } finally {
        this.lastEnded.set(cluster, Date.now());
      }
    } while (this.dirty.has(cluster));
  }

  /** One pass of every controller over one cluster. */
  async pass(cluster: string): Promise<void> {
    const { clock, log } = this.opts;
    const scope = { cluster, user: this.opts.user };
    let informers = this.informers.get(cluster);
    if (!informers) this.informers.set(cluster, informers = new ClusterInformers(this.api, scope));
    informers.beginPass();
    const ctx: ControllerContext = {
      api: this.api, scope, clock, log, deadline: clock.now() + this.opts.passBudgetMs, informers,
      event: (obj, source, e) => recordEvent(this.api, scope, obj, source, e, clock.now()),
    };
    let soonest: number | undefined;
    for (const c of this.controllers) {
      try {
        if (!(await this.leases.hold(scope, c.name))) continue;
        const r = await c.reconcile(ctx);
        if (r?.requeueAfterMs !== undefined) soonest = Math.min(soonest ?? Infinity, r.requeueAfterMs);
        this.lastError = undefined;
      } catch (e) {
        this.lastError = `${c.name}: ${(e as Error).message}`;
        log.log('error', 'reconcile failed', { cluster, controller: c.name, error: (e as Error).stack ?? String(e) });
        soonest = Math.min(soonest ?? Infinity, 1000);
      }
    }
    this.lastPassAt = clock.now();
    if (soonest !== undefined) this.schedule(cluster, Math.max(10, soonest));
  }

  /** Runs another pass of the cluster after `ms` (the earlier of two requests wins). */
  private schedule(cluster: string, ms: number) {
    const at = Date.now() + ms;
    const existing = this.requeue.get(cluster);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => { this.requeue.delete(cluster); this.wake(cluster).catch(() => {}); }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.requeue.set(cluster, { at, timer });
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
      await Promise.allSettled([...this.running.values()]);
      // Reruns due within the horizon are waited for too: on Workers no timer outlives the request otherwise.
      const due = [...this.requeue.values()].map(r => r.at).filter(at => at - Date.now() <= horizonMs);
      if (!this.running.size && !due.length) return;
      if (!this.running.size) await new Promise(r => setTimeout(r, Math.max(0, Math.min(...due) - Date.now()) + 5));
    }
  }

  async stop() {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.requeue.values()) clearTimeout(r.timer);
    this.requeue.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Healthy while passes complete without errors and no later than a few cron intervals apart. */
  healthCheck(name: string): HealthCheck {
    return {
      name,
      check: async () => {
        if (this.lastError) return this.lastError;
        const age = this.opts.clock.now() - (this.lastPassAt ?? this.startedAt);
        return age > 3 * this.opts.intervalMs + this.opts.passBudgetMs ? `no reconcile pass for ${Math.round(age / 1000)}s` : undefined;
      },
    };
  }
}
