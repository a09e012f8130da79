// The REST surface of every resource: parse the request, call the API layer, render the answer.
import type { Context } from 'hono';
import { stringify as toYaml } from 'yaml';
import type { Api, DeleteOptions, ListOptions, RequestScope, Target, WriteOptions } from '../api/api.ts';
import type { ResourceRequest } from '../api/request-info.ts';
import type { ChangeFeed } from '../db/feed.ts';
import type { KubeObject, ResourceDef } from '../api/registry/types.ts';
import { StatusError, badRequest, methodNotAllowed } from '../api/errors.ts';
import { decodeBody, decodePatch, checkSize } from '../api/encoding.ts';
import type { FieldValidation } from '../api/field-validation.ts';
import { toTable, partialObjectMetadata, type IncludeObject } from '../api/table.ts';
import { watch, errorEvent, validateWatchOptions, type WatchOptions, type WatchSettings } from '../api/watch.ts';
import { negotiate, type Rendering } from './negotiate.ts';
import { frozenJson } from '../util/json-cache.ts';
import { streamResponse } from './stream.ts';

export interface ResourceRouteDeps {
  api: Api;
  feed: ChangeFeed;
  watchSettings?: WatchSettings;
  /** Set on Workers: the runtime buffers streamed responses it may compress. */
  identityEncodingForStreams?: boolean;
}

const notFoundStatus = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

export async function serveResource(c: Context, deps: ResourceRouteDeps, scope: RequestScope, info: ResourceRequest): Promise<Response> {
  const { api } = deps;
  const def = api.catalog.find(info.group, info.version, info.resource);
  if (!def) throw notFoundStatus();
  if (!def.namespaced && info.namespace !== undefined && info.resource !== 'namespaces') throw notFoundStatus();
  const verb = info.verb;
  if (info.subresource) {
    const sub = info.subresource === 'status' ? def.hasStatus : info.subresource === 'scale' ? !!def.scale
      : def.subresources?.some(s => s.name === info.subresource);
    if (!sub) throw notFoundStatus();
  } else if (!def.verbs.includes(verb)) {
    throw methodNotAllowed();
  }
  if (def.namespaced && info.namespace === undefined && !['list', 'watch'].includes(verb)) throw notFoundStatus();
  const t: Target = { def, namespace: info.namespace, name: info.name, subresource: info.subresource };
  const q = new URL(c.req.url).searchParams;
  const rendering = negotiate(c.req.header('accept'));
  const now = api.clock.now();

  switch (verb) {
    case 'get': {
      const obj = await api.get(scope, t);
      return render(c, def, rendering, obj, q, now);
    }
    case 'list': {
      const list = await api.list(scope, t, listOptions(q));
      return render(c, def, rendering, list, q, now);
    }
    case 'watch':
      return serveWatch(c, deps, scope, t, rendering, q);
    case 'create': {
      const bytes = await bodyBytes(c);
      const body = decodeBody(c.req.header('content-type'), bytes);
      const r = await api.create(scope, t, body.object, writeOptions(q, c.req.header('user-agent')), body.json);
      return respond(c, r.object, r.created ? 201 : 200, r.warnings, rendering, def, q, now);
    }
    case 'update': {
      const bytes = await bodyBytes(c);
      const body = decodeBody(c.req.header('content-type'), bytes);
      const r = await api.update(scope, t, body.object, writeOptions(q, c.req.header('user-agent')), body.json);
      return respond(c, r.object, r.created ? 201 : 200, r.warnings, rendering, def, q, now);
    }
    case 'patch': {
      const bytes = await bodyBytes(c);
      const { type, patch } = decodePatch(c.req.header('content-type'), bytes);
      const r = await api.patch(scope, t, type, patch, writeOptions(q, c.req.header('user-agent')));
      return respond(c, r.object, r.created ? 201 : 200, r.warnings, rendering, def, q, now);
    }
    case 'delete': {
      const opts = await deleteOptions(c, q);
      const r = await api.delete(scope, t, opts);
      const answer = r.deleted
        ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success',
            details: { name: t.name, group: def.group, kind: def.resource, uid: r.object.metadata?.uid } }
        : r.object;
      return respond(c, answer, 200, [], rendering, def, q, now);
    }
    case 'deletecollection': {
      const opts = await deleteOptions(c, q);
      const list = await api.deleteCollection(scope, t, listOptions(q), opts);
      return respond(c, list, 200, [], rendering, def, q, now);
    }
  }
}

async function bodyBytes(c: Context): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared) checkSize(declared);
  return new Uint8Array(await c.req.arrayBuffer());
}

function listOptions(q: URLSearchParams): ListOptions {
  const limit = q.get('limit');
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit: limit ? parseNonNegative('limit', limit) : undefined,
    continue: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
  };
}

function parseNonNegative(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(value)}`);
  return n;
}

function parseBool(name: string, value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (value === 'true' || value === '1' || value === '') return true;
  if (value === 'false' || value === '0') return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(value)}`);
}

function dryRunOf(values: string[]): boolean {
  for (const v of values) if (v !== 'All') throw badRequest(`Invalid dryRun: ${JSON.stringify(v)}: supported values: "All"`);
  return values.length > 0;
}

function writeOptions(q: URLSearchParams, userAgent: string | undefined): WriteOptions {
  const fv = q.get('fieldValidation');
  if (fv !== null && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  const manager = q.get('fieldManager') ?? undefined;
  if (manager !== undefined && manager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
  return {
    dryRun: dryRunOf(q.getAll('dryRun')),
    fieldManager: manager,
    // Like kube-apiserver: Warn when the client does not say.
    fieldValidation: (fv as FieldValidation | null) ?? 'Warn',
    force: parseBool('force', q.get('force')),
    userAgent,
  };
}

async function deleteOptions(c: Context, q: URLSearchParams): Promise<DeleteOptions> {
  const bytes = await bodyBytes(c);
  let body: KubeObject = {};
  if (bytes.byteLength) body = decodeBody(c.req.header('content-type') ?? 'application/json', bytes).object;
  const grace = q.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const policy = q.get('propagationPolicy') ?? body.propagationPolicy;
  if (policy !== undefined && policy !== null && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
  }
  const orphan = q.get('orphanDependents') ?? body.orphanDependents;
  return {
    gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
    propagationPolicy: policy ?? undefined,
    orphanDependents: orphan === undefined || orphan === null ? undefined : String(orphan) === 'true',
    preconditions: body.preconditions,
    dryRun: dryRunOf([...q.getAll('dryRun'), ...(body.dryRun ?? [])]),
  };
}

function respond(c: Context, obj: KubeObject, status: number, warnings: string[], rendering: Rendering, def: ResourceDef, q: URLSearchParams, now: number) {
  for (const w of new Set(warnings)) c.header('Warning', `299 - ${JSON.stringify(w)}`, { append: true });
  return render(c, def, rendering, obj, q, now, status);
}

/** Renders an object or list in the negotiated form (JSON/YAML, Table, PartialObjectMetadata). */
export function render(c: Context, def: ResourceDef, rendering: Rendering, obj: KubeObject, q: URLSearchParams, now: number, status = 200): Response {
  let out = obj;
  const isList = Array.isArray(obj.items);
  if (obj.kind !== 'Status') {
    if (rendering.as === 'Table') {
      out = toTable(def, isList ? obj.items.map((i: KubeObject) => ({ apiVersion: obj.apiVersion, kind: def.kind, ...i })) : [obj],
        isList ? obj.metadata ?? {} : { resourceVersion: obj.metadata?.resourceVersion },
        { includeObject: includeObjectOf(q), version: rendering.version, now });
    } else if (rendering.as === 'PartialObjectMetadata') {
      out = isList
        ? { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${rendering.version}`, metadata: obj.metadata,
            items: obj.items.map((i: KubeObject) => partialObjectMetadata(i, rendering.version)) }
        : partialObjectMetadata(obj, rendering.version);
    }
  }
  if (rendering.as === 'object' && rendering.yaml) {
    return c.body(toYaml(out), status as 200, { 'Content-Type': 'application/yaml' });
  }
  return c.body(out.kind === 'Table' ? tableJson(out) : JSON.stringify(out), status as 200, { 'Content-Type': 'application/json' });
}

/** A Table's JSON, reusing the text of each row's metadata (most of a big table, and unchanged between lists). */
function tableJson(table: KubeObject): string {
  const { rows, ...head } = table;
  const rowTexts = (rows as KubeObject[]).map(row => {
    const partial = row.object;
    if (partial?.kind !== 'PartialObjectMetadata' || !partial.metadata) return JSON.stringify(row);
    return `{"cells":${JSON.stringify(row.cells)},"object":{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(partial.apiVersion)},"metadata":${frozenJson(partial.metadata)}}}`;
  });
  return `${JSON.stringify(head).slice(0, -1)},"rows":[${rowTexts.join(',')}]}`;
}

function includeObjectOf(q: URLSearchParams): IncludeObject | undefined {
  const v = q.get('includeObject');
  if (v === null) return undefined;
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
  return v;
}

/** A watch as a chunked stream of JSON lines, one event per line. */
async function serveWatch(c: Context, deps: ResourceRouteDeps, scope: RequestScope, t: Target, rendering: Rendering, q: URLSearchParams): Promise<Response> {
  const { api } = deps;
  const timeoutSeconds = q.get('timeoutSeconds');
  const opts: WatchOptions = {
    ...listOptions(q),
    allowWatchBookmarks: parseBool('allowWatchBookmarks', q.get('allowWatchBookmarks')),
    sendInitialEvents: parseBool('sendInitialEvents', q.get('sendInitialEvents')),
    timeoutSeconds: timeoutSeconds ? parseNonNegative('timeoutSeconds', timeoutSeconds) : undefined,
  };
  // Errors in the parameters are answered as an HTTP error, before the stream starts.
  validateWatchOptions(opts);
  api.selectorFilter(t.def, opts);
  const include = includeObjectOf(q);
  const abort = new AbortController();
  const encoder = new TextEncoder();
  let columnsSent = false;
  const encode = (event: { type: string; object: KubeObject }) => {
    let object = event.object;
    if (rendering.as === 'Table' && event.type !== 'ERROR') {
      const rows = event.type === 'BOOKMARK' ? [] : [object];
      object = toTable(t.def, rows, { resourceVersion: object.metadata?.resourceVersion }, {
        includeObject: include, version: rendering.version, withColumns: !columnsSent, now: api.clock.now(),
      });
      columnsSent = true;
    } else if (rendering.as === 'PartialObjectMetadata' && event.type !== 'ERROR') {
      object = partialObjectMetadata(object, rendering.version);
    }
    return encoder.encode(JSON.stringify({ type: event.type, object }) + '\n');
  };
  const chunks = (async function* () {
    for await (const event of watch(api, deps.feed, scope, t, opts, abort.signal, deps.watchSettings)) yield encode(event);
  })();
  return streamResponse(chunks, {
    contentType: 'application/json',
    identityEncoding: deps.identityEncodingForStreams,
    // A failure once the stream has begun becomes its last event.
    onError: e => encode(errorEvent(e instanceof StatusError ? e : new StatusError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`))),
    onCancel: () => abort.abort(),
  });
}

