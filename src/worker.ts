// Cloudflare Workers entry: the same app over D1, reconcilers run by the cron trigger and after writes.
import type { D1Database, ExecutionContext, ScheduledController } from '@cloudflare/workers-types';
import { d1Driver } from './db/drivers/d1.ts';
import { createSkiff, type Skiff } from './skiff.ts';
import { staticTokenAuthenticator } from './api/authn.ts';
import { jsonLogger } from './util/log.ts';

export interface Env {
  DB: D1Database;
  /** The admin bearer token (a secret). */
  SKIFF_ADMIN_TOKEN: string;
  SKIFF_LOG_LEVEL?: string;
  /** How long the change log keeps history for watches and continue tokens (default 300). */
  SKIFF_COMPACTION_WINDOW_SECONDS?: string;
}

const DEFAULT_CLUSTER = 'default';
/** Reruns controllers ask for within this long are kept alive past the response; later ones wait for the cron. */
const REQUEUE_HORIZON_MS = 10_000;
/** The cron trigger's cadence: the runtime is unhealthy only after missing several. */
const CRON_INTERVAL_MS = 60_000;

let instance: Promise<Skiff> | undefined;

/** One control plane per isolate, set up on first use. */
function skiffFor(env: Env, ctx: ExecutionContext): Promise<Skiff> {
  if (!instance) {
    instance = (async () => {
      const skiff = await createSkiff({
        driver: d1Driver(env.DB),
        authenticate: staticTokenAuthenticator(env.SKIFF_ADMIN_TOKEN),
        feed: 'poll',
        identityEncodingForStreams: true,
        reconcileIntervalMs: CRON_INTERVAL_MS,
        log: jsonLogger(line => console.log(line), (env.SKIFF_LOG_LEVEL as any) ?? 'info'),
        compactionWindowMs: env.SKIFF_COMPACTION_WINDOW_SECONDS ? Number(env.SKIFF_COMPACTION_WINDOW_SECONDS) * 1000 : undefined,
      });
      await skiff.clusters.ensure(DEFAULT_CLUSTER);
      return skiff;
    })().catch(e => { instance = undefined; throw e; });
    // Every later request waits on this setup: it must finish even if this request is cancelled.
    ctx.waitUntil(instance.catch(() => {}));
  }
  return instance;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const skiff = await skiffFor(env, ctx);
    const response = await skiff.app.fetch(request);
    // Each write wakes its cluster's reconcilers as it commits (so does setting up the control plane);
    // their passes go on after the response and must finish within this request, or workerd cancels them.
    ctx.waitUntil(skiff.runtime.idle(REQUEUE_HORIZON_MS));
    return response;
  },

  // Awaited rather than handed to waitUntil, so a failed pass shows as the cron's outcome.
  async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const skiff = await skiffFor(env, ctx);
    await skiff.scheduled();
  },
};
