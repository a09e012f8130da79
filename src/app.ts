// Builds the hono app: logging and metrics, errors as metav1.Status, per-cluster routing,
// authentication, then discovery, OpenAPI, health and the resources.
import { Hono, type Context } from 'hono';
import type { Api, RequestScope } from './api/api.ts';
import type { ChangeFeed } from './db/feed.ts';
import type { Authenticator } from './api/authn.ts';
import { bearerTokenOf } from './api/authn.ts';
import type { HealthCheck } from './api/health.ts';
import { runChecks } from './api/health.ts';
import { StatusError, internalError, methodNotAllowed, unauthorized } from './api/errors.ts';
import { parseRequestInfo, type ResourceRequest } from './api/request-info.ts';
import { serveResource, render } from './routes/resources.ts';
import { negotiate } from './routes/negotiate.ts';
import { serveDiscovery, VERSION_INFO } from './routes/discovery.ts';
import { serveOpenApi } from './routes/openapi.ts';
import { componentStatuses, selfReviews, type VirtualResource } from './api/virtual.ts';
import { nodeMetrics, podMetrics } from './api/metrics.ts';
import { isPodStream, servePodStream } from './routes/pod-streams.ts';
import { decodeBody } from './api/encoding.ts';
import type { WatchSettings } from './api/watch.ts';
import type { KubeObject, ResourceDef } from './api/registry/types.ts';
import type { Logger } from './util/log.ts';
import { Metrics } from './util/metrics.ts';
import { qualified } from './api/errors.ts';

export interface AppServices {
  api: Api;
  feed: ChangeFeed;
  authenticate: Authenticator;
  /** Whether a cluster of this name exists. */
  clusterExists(name: string): Promise<boolean>;
  health: HealthCheck[];
  log: Logger;
  metrics?: Metrics;
  watchSettings?: WatchSettings;
  identityEncodingForStreams?: boolean;
}

type Env = { Variables: { scope: RequestScope } };

/** Paths anyone may read, as kube-apiserver's system:public-info-viewer role allows. */
const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

export function createApp(s: AppServices): Hono<Env> {
  const app = new Hono<Env>();
  const metrics = s.metrics ?? new Metrics();

  app.use(async (c, next) => {
    const start = performance.now();
    await next();
    const seconds = (performance.now() - start) / 1000;
    const code = String(c.res.status);
    metrics.inc('apiserver_request_total', 'Requests by method and code.', { method: c.req.method, code });
    metrics.observe('apiserver_request_duration_seconds', 'Time to the response headers, by method.', { method: c.req.method }, seconds);
    if (c.res.status >= 500) s.log.log('error', 'request failed', { method: c.req.method, path: c.req.path, status: c.res.status });
    else s.log.log('debug', 'request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) });
  });

  app.onError((e, c) => {
    const status = e instanceof StatusError ? e : internalError(e.message);
    if (!(e instanceof StatusError)) s.log.log('error', 'unhandled error', { path: c.req.path, error: e.stack ?? String(e) });
    return c.body(JSON.stringify(status.toStatus()), status.code as 500, { 'Content-Type': 'application/json' });
  });
  app.notFound(c => c.body(JSON.stringify(new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}).toStatus()), 404, { 'Content-Type': 'application/json' }));

  const health = (which: string) => async (c: Context) => {
    const reports = await runChecks(s.health);
    const ok = reports.every(r => r.healthy);
    if (c.req.query('verbose') === undefined) return c.text(ok ? 'ok' : `${which} check failed`, ok ? 200 : 500);
    const lines = [`[+]ping ok`, ...reports.map(r => r.healthy ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.message}`)];
    lines.push(ok ? `${which} check passed` : `${which} check failed`);
    return c.text(lines.join('\n') + '\n', ok ? 200 : 500);
  };
  for (const which of ['healthz', 'livez', 'readyz']) app.get(`/${which}`, health(which));
  app.get('/version', c => c.json(VERSION_INFO));
  app.get('/metrics', c => c.text(metrics.text()));

  const virtual: Record<string, VirtualResource> = {
    componentstatuses: componentStatuses(s.health), ...selfReviews,
    'pods.metrics.k8s.io': podMetrics(s.api), 'nodes.metrics.k8s.io': nodeMetrics(s.api),
  };
  const deps = { api: s.api, feed: s.feed, watchSettings: s.watchSettings, identityEncodingForStreams: s.identityEncodingForStreams };

  app.all('/clusters/:cluster/*', async c => {
    const cluster = c.req.param('cluster');
    const prefix = `/clusters/${cluster}`;
    const path = c.req.path.slice(prefix.length) || '/';
    if (!(await s.clusterExists(cluster))) {
      throw new StatusError(404, 'NotFound', `clusters.skiff.dev "${cluster}" not found`, { name: cluster, group: 'skiff.dev', kind: 'clusters' });
    }
    if (c.req.method === 'GET' && PUBLIC_PATHS.has(path)) {
      if (path === '/version') return c.json(VERSION_INFO);
      return health(path.slice(1))(c);
    }
    const user = await s.authenticate(bearerTokenOf(c.req.header('authorization')), cluster);
    if (!user) throw unauthorized();
    const scope: RequestScope = { cluster, user };
    if (path.startsWith('/openapi/')) return serveOpenApi(c, s.api.catalog, path, prefix);
    if (c.req.method === 'GET') {
      const discovery = serveDiscovery(c, s.api.catalog, path);
      if (discovery) return discovery;
    }
    const info = parseRequestInfo(c.req.method, path, isWatch(c.req.query('watch')));
    if (info.kind !== 'resource') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
    const def = s.api.catalog.find(info.group, info.version, info.resource);
    if (def?.deprecationWarning) c.header('Warning', `299 - ${JSON.stringify(def.deprecationWarning)}`, { append: true });
    const computed = def && virtual[qualified(def)];
    if (computed) return serveVirtual(c, computed, def, scope, info, s.api.clock.now());
    if (isPodStream(info)) return servePodStream(c, deps, scope, info);
    return serveResource(c, deps, scope, info);
  });

  return app;
}

function isWatch(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

async function serveVirtual(c: Context, r: VirtualResource, def: ResourceDef, scope: RequestScope, info: ResourceRequest, now: number): Promise<Response> {
  const q = new URL(c.req.url).searchParams;
  const show = (obj: KubeObject, status = 200) => render(c, def, negotiate(c.req.header('accept')), obj, q, now, status);
  if (def.namespaced ? info.verb === 'get' && info.namespace === undefined : info.namespace !== undefined) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  const req = { namespace: info.namespace, labelSelector: q.get('labelSelector') ?? undefined, fieldSelector: q.get('fieldSelector') ?? undefined };
  if (info.verb === 'list' && r.list) return show(await r.list(scope, req));
  if (info.verb === 'get' && r.get && info.name) return show(await r.get(scope, info.name, req));
  if (info.verb === 'create' && r.create) {
    const body = decodeBody(c.req.header('content-type'), new Uint8Array(await c.req.arrayBuffer()));
    return show(await r.create(scope, body.object), 201);
  }
  throw methodNotAllowed();
}

