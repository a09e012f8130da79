// Runs the deployable Worker bundle in workerd (through Miniflare) over a fresh in-memory D1 database,
// with the settings of wrangler.toml, and gives tests an HTTP client for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';
import { buildWorker, type WorkerBuild } from '../../scripts/build-worker.ts';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';

export const TOKEN = 'workerd-test-admin-token';
/** The default cluster's Kubernetes API, as a kubeconfig would name it. */
export const API = '/clusters/default';

export interface RunningWorker {
  url: URL;
  /** What the bundle was made from. */
  build: WorkerBuild;
  /** A request to the Worker with the admin bearer token (unless the init sets its own Authorization). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON request; returns the status, headers and parsed body. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; headers: Headers; body: any }>;
  /** Fires the cron trigger, as Cloudflare does every minute. */
  scheduled(): Promise<{ outcome: string }>;
  /** The Worker's D1 database, for writing behind the Worker's back (as another isolate would). */
  database(): ReturnType<Miniflare['getD1Database']>;
  dispose(): Promise<void>;
}

export async function startWorker(bindings: Record<string, string> = {}): Promise<RunningWorker> {
  const root = resolve(import.meta.dirname, '../..');
  const config = unstable_readConfig({ config: join(root, 'wrangler.toml') });
  const outdir = mkdtempSync(join(tmpdir(), 'skiff-worker-'));
  const build = await buildWorker(outdir);
  const mf = new Miniflare({
    modules: true,
    scriptPath: build.scriptPath,
    modulesRoot: outdir,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    d1Databases: Object.fromEntries(config.d1_databases.map((d: { binding: string; database_id?: string }) => [d.binding, d.database_id ?? d.binding])),
    bindings: { SKIFF_ADMIN_TOKEN: TOKEN, SKIFF_LOG_LEVEL: 'warn', ...bindings },
  });
  const url = await mf.ready;
  const worker = await mf.getWorker();

  const request = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${TOKEN}`);
    return fetch(new URL(path, url), { ...init, headers });
  };
  return {
    url,
    build,
    fetch: request,
    async call(method, path, body, contentType = 'application/json') {
      const res = await request(path, {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': contentType }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    async scheduled() {
      return worker.scheduled({ cron: config.triggers.crons?.[0] ?? '* * * * *', scheduledTime: new Date() });
    },
    database: () => mf.getD1Database('DB'),
    async dispose() {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
