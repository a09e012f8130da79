// Node entry: one process serving the Kubernetes API over HTTPS on an embedded SQLite file.
import { createServer } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { libsqlDriver } from './db/drivers/libsql.ts';
import { threadedFileDriver } from './db/drivers/libsql-threaded.ts';
import { createSkiff } from './skiff.ts';
import { staticTokenAuthenticator } from './api/authn.ts';
import { kubeconfig } from './api/kubeconfig.ts';
import { ensureTls } from './server/tls.ts';
import { ensureAdminToken, ensureDataDir } from './server/data-dir.ts';
import { boundHeap } from './server/memory.ts';
import { jsonLogger } from './util/log.ts';

const DEFAULT_CLUSTER = 'default';
/** The database writer thread, built beside this bundle (scripts/build-node.mjs). */
const WRITER_THREAD = new URL('./db-writer.js', import.meta.url);

export async function startNodeServer(env: NodeJS.ProcessEnv = process.env) {
  const stopHeapChecks = boundHeap();
  const dataDir = resolve(env.SKIFF_DATA_DIR ?? './.skiff');
  const host = env.SKIFF_HOST ?? '127.0.0.1';
  const port = Number(env.SKIFF_PORT ?? 6443);
  const log = jsonLogger(line => process.stdout.write(line + '\n'), (env.SKIFF_LOG_LEVEL as any) ?? 'info');
  ensureDataDir(dataDir);
  const tls = await ensureTls(dataDir, [...new Set(['127.0.0.1', 'localhost', '::1', host])]);
  const token = ensureAdminToken(dataDir);
  const skiff = await createSkiff({
    // A remote libSQL server (Turso) when named; the embedded file otherwise.
    driver: env.SKIFF_DATABASE_URL
      ? libsqlDriver(env.SKIFF_DATABASE_URL, env.SKIFF_DATABASE_TOKEN)
      : threadedFileDriver(join(dataDir, 'skiff.db'), WRITER_THREAD),
    authenticate: staticTokenAuthenticator(token),
    feed: 'hub',
    coalesceWrites: true,
    log,
    reconcileIntervalMs: env.SKIFF_RECONCILE_INTERVAL_MS ? Number(env.SKIFF_RECONCILE_INTERVAL_MS) : undefined,
    compactionWindowMs: env.SKIFF_COMPACTION_WINDOW_SECONDS ? Number(env.SKIFF_COMPACTION_WINDOW_SECONDS) * 1000 : undefined,
  });
  await skiff.clusters.ensure(DEFAULT_CLUSTER);
  skiff.metrics.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  skiff.metrics.gauge('nodejs_heap_size_used_bytes', 'Memory held by JavaScript objects, in bytes.', () => process.memoryUsage().heapUsed);
  skiff.metrics.gauge('nodejs_heap_size_total_bytes', 'Memory the JavaScript heap has taken from the system, in bytes.', () => process.memoryUsage().heapTotal);
  const server = serve({
    fetch: skiff.app.fetch,
    port,
    hostname: host,
    createServer,
    serverOptions: { key: tls.keyPem, cert: tls.certPem },
  });
  await new Promise<void>((ok, fail) => { server.once('listening', ok); server.once('error', fail); });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  const urlHost = host.includes(':') ? `[${host}]` : host;
  writeFileSync(kubeconfigPath, kubeconfig({
    cluster: DEFAULT_CLUSTER, server: `https://${urlHost}:${actualPort}/clusters/${DEFAULT_CLUSTER}`, caPem: tls.caPem, token,
  }), { mode: 0o600 });
  skiff.runtime.start();
  const cron = setInterval(() => { skiff.scheduled().catch(e => log.log('error', 'scheduled pass failed', { error: String(e) })); }, 60_000);
  cron.unref();
  log.log('info', 'serving', { url: `https://${urlHost}:${actualPort}`, kubeconfig: kubeconfigPath });
  const stop = async () => {
    clearInterval(cron);
    stopHeapChecks();
    await skiff.runtime.stop();
    const closed = new Promise(r => server.close(() => r(undefined)));
    // Watches and keep-alive connections would hold the close open for as long as clients stay.
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
    await skiff.store.close();
  };
  return { skiff, server, port: actualPort, kubeconfigPath, stop };
}

if (import.meta.url === `file://${process.argv[1]}` || /(src|dist)\/node\.[tj]s$/.test(process.argv[1] ?? '')) {
  startNodeServer().then(({ kubeconfigPath, stop }) => {
    process.stdout.write(`\nSkiff is running. Try:\n\n  kubectl --kubeconfig ${kubeconfigPath} get namespaces\n\n`);
    const shutdown = () => { stop().finally(() => process.exit(0)); };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  }).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
