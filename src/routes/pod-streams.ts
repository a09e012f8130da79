// The pod subresources that stream instead of answering an object: log (text/plain, followed as the
// container runs) and the connect ones (exec, attach, portforward), which simulated nodes cannot serve.
import type { Context } from 'hono';
import { streamResponse } from './stream.ts';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Api, RequestScope } from '../api/api.ts';
import type { ChangeFeed } from '../db/feed.ts';
import type { ResourceRequest } from '../api/request-info.ts';
import type { WatchSettings } from '../api/watch.ts';
import { StatusError, badRequest, methodNotAllowed } from '../api/errors.ts';
import { openLog, validateLogOptions, type PodLogOptions } from '../api/pod-logs.ts';
import { needsAgentTunnel, nodeOfPod, resolveContainer } from '../api/pod-target.ts';

export interface PodStreamDeps {
  api: Api;
  feed: ChangeFeed;
  watchSettings?: WatchSettings;
  /** Set on Workers: the runtime buffers streamed responses it may compress. */
  identityEncodingForStreams?: boolean;
}

/** What each connect subresource is called in messages, as kubectl names the command. */
const CONNECT = new Map([['exec', 'exec'], ['attach', 'attach'], ['portforward', 'port-forward']]);

/** Whether the request is for one of the streaming subresources of a pod. */
export function isPodStream(info: ResourceRequest): boolean {
  return info.group === '' && info.version === 'v1' && info.resource === 'pods'
    && (info.subresource === 'log' || CONNECT.has(info.subresource ?? ''));
}

export async function servePodStream(c: Context, deps: PodStreamDeps, scope: RequestScope, info: ResourceRequest): Promise<Response> {
  if (info.namespace === undefined || info.name === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  const q = new URL(c.req.url).searchParams;
  if (info.subresource === 'log') {
    if (info.verb !== 'get') throw methodNotAllowed();
    const options = logOptions(q);
    validateLogOptions(info.name, options);
    return serveLog(c, deps, scope, await getPod(deps.api, scope, info), options);
  }
  if (info.verb !== 'get' && info.verb !== 'create') throw methodNotAllowed();
  throw await connectRefusal(deps.api, scope, await getPod(deps.api, scope, info), info.subresource!, q);
}

function getPod(api: Api, scope: RequestScope, info: ResourceRequest): Promise<Pod> {
  const def = api.catalog.find('', 'v1', 'pods')!;
  return api.get(scope, { def, namespace: info.namespace, name: info.name }) as Promise<Pod>;
}

async function serveLog(c: Context, deps: PodStreamDeps, scope: RequestScope, pod: Pod, options: PodLogOptions): Promise<Response> {
  const container = resolveContainer(pod, options.container);
  const node = await nodeOfPod(deps.api, scope, pod);
  // Like kube-apiserver: a pod not yet on a node has an empty log.
  if (!node) return c.body('', 200, { 'Content-Type': 'text/plain' });
  if (!node.simulated) throw needsAgentTunnel(pod, node.name, 'reading logs');
  const abort = new AbortController();
  const chunks = openLog(deps, scope, pod, container, options, abort.signal)[Symbol.asyncIterator]();
  if (!options.follow) {
    const parts: Uint8Array[] = [];
    for (let n = await chunks.next(); !n.done; n = await chunks.next()) parts.push(n.value);
    return new Response(concat(parts), { status: 200, headers: { 'Content-Type': 'text/plain' } });
  }
  return streamResponse(chunks, {
    contentType: 'text/plain',
    identityEncoding: deps.identityEncodingForStreams,
    // A text stream has no place for an error once it has begun: it just ends, as a kubelet's does.
    onCancel: () => abort.abort(),
  });
}

/**
 * Why exec, attach or port-forward cannot be served. Answered to both the WebSocket and the SPDY upgrade
 * with an HTTP error Status, which kubectl prints after falling back from one to the other.
 */
async function connectRefusal(api: Api, scope: RequestScope, pod: Pod, subresource: string, q: URLSearchParams): Promise<StatusError> {
  // kube-apiserver checks the container of exec and attach before looking for the node.
  if (subresource !== 'portforward') resolveContainer(pod, q.get('container') ?? undefined);
  const what = CONNECT.get(subresource)!;
  const node = await nodeOfPod(api, scope, pod);
  if (!node) return badRequest(`pod ${pod.metadata!.name} does not have a host assigned`);
  if (!node.simulated) return needsAgentTunnel(pod, node.name, what);
  return badRequest(`pod ${pod.metadata!.namespace}/${pod.metadata!.name} runs on simulated node ${node.name}: ${what} is not available on simulated nodes`);
}

/** PodLogOptions from the query, converted as kube-apiserver's parameter codec does. */
function logOptions(q: URLSearchParams): PodLogOptions {
  const sinceTime = q.get('sinceTime') || undefined;
  const since = sinceTime === undefined ? undefined : Date.parse(sinceTime);
  if (since !== undefined && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(sinceTime!) || Number.isNaN(since))) {
    throw badRequest(`invalid value for sinceTime: ${JSON.stringify(sinceTime)}`);
  }
  return {
    container: q.get('container') || undefined,
    follow: bool(q.get('follow')),
    previous: bool(q.get('previous')),
    timestamps: bool(q.get('timestamps')),
    tailLines: int(q, 'tailLines'),
    limitBytes: int(q, 'limitBytes'),
    sinceSeconds: int(q, 'sinceSeconds'),
    sinceTime: since,
  };
}

/** Any value but "0" and "false" is true, a bare `?follow` included (apimachinery's string-to-bool conversion). */
function bool(value: string | null): boolean {
  return value !== null && value !== '0' && value.toLowerCase() !== 'false';
}

function int(q: URLSearchParams, name: string): number | undefined {
  const value = q.get(name);
  if (!value) return undefined;
  const n = Number(value);
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(value)}`);
  return n;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
