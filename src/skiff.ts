// Assembles a Skiff control plane over a database driver: store, API layer, change feed, clusters,
// reconcilers and the HTTP app. The Node and Worker entries differ only in what they pass in.
import type { SqlDriver } from './db/driver.ts';
import { Store } from './db/store.ts';
import { ChangeHub, PollingFeed, type ChangeFeed } from './db/feed.ts';
import { migrate } from './db/migrate.ts';
import { Api } from './api/api.ts';
import { builtInCatalog } from './api/catalog.ts';
import { Clusters, CLUSTER_DEF } from './api/clusters.ts';
import { ADMIN_USER, type Authenticator } from './api/authn.ts';
import type { HealthCheck } from './api/health.ts';
import type { WatchSettings } from './api/watch.ts';
import { createApp } from './app.ts';
import { Runtime } from './reconcilers/runtime.ts';
import { controllers } from './reconcilers/index.ts';
import type { Clock } from './util/clock.ts';
import { systemClock } from './util/clock.ts';
import type { Logger } from './util/log.ts';
import { jsonLogger } from './util/log.ts';
import { Metrics } from './util/metrics.ts';

export interface SkiffOptions {
  driver: SqlDriver;
  authenticate: Authenticator;
  /** 'hub': one in-process reader for all watches (Node); 'poll': each watch polls (Workers). */
  feed: 'hub' | 'poll';
  /** Commit concurrent writes of this process together (Node). */
  coalesceWrites?: boolean;
  clock?: Clock;
  log?: Logger;
  reconcileIntervalMs?: number;
  /** The least time between two reconcile passes of a cluster (tests use 0). */
  minPassGapMs?: number;
  /** How long the change log keeps history (watch and continue windows). */
  compactionWindowMs?: number;
  watchSettings?: WatchSettings;
  identityEncodingForStreams?: boolean;
}

export type Skiff = Awaited<ReturnType<typeof createSkiff>>;

export async function createSkiff(o: SkiffOptions) {
  const clock = o.clock ?? systemClock;
  const log = o.log ?? jsonLogger();
  await migrate(o.driver);
  const store = new Store(o.driver, { coalesceWrites: o.coalesceWrites });
  let runtime: Runtime | undefined;
  const api = new Api(store, builtInCatalog(), clock, (cluster, write) => runtime?.written(cluster, write));
  const feed: ChangeFeed = o.feed === 'hub' ? new ChangeHub(store) : new PollingFeed(store);
  const clusters = new Clusters(api);
  const listClusters = async () =>
    ((await api.list({ cluster: '', user: ADMIN_USER }, { def: CLUSTER_DEF })).items as { metadata: { name: string } }[]).map(c => c.metadata.name);
  const compactionWindowMs = o.compactionWindowMs ?? 5 * 60_000;
  runtime = new Runtime(api, controllers(), listClusters, {
    clock, log, user: { username: 'system:kube-controller-manager', groups: ['system:authenticated'] },
    intervalMs: o.reconcileIntervalMs ?? 10_000, passBudgetMs: 5_000, minPassGapMs: o.minPassGapMs,
  });
  const health: HealthCheck[] = [
    { name: 'etcd-0', check: async () => { await store.revision(); return undefined; } },
    runtime.healthCheck('controller-manager'),
  ];
  const metrics = new Metrics();
  const app = createApp({
    api, feed, authenticate: o.authenticate, clusterExists: name => clusters.exists(name), health, log, metrics,
    watchSettings: o.watchSettings, identityEncodingForStreams: o.identityEncodingForStreams,
  });
  /** The cron's work: reconcile every cluster and trim history. */
  const scheduled = async () => {
    await runtime!.passAll();
    await store.compact(clock.now(), compactionWindowMs);
  };
  return { store, api, feed, clusters, runtime, app, scheduled, clock, log, metrics };
}
