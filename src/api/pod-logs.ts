// A container's log as a kubelet serves it (pods/log): which instance's log, the kubelet's errors when there
// is none, tailLines/since/timestamps/limitBytes, and follow until that instance stops running.
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { Api, RequestScope } from './api.ts';
import type { ChangeFeed } from '../db/feed.ts';
import type { KubeObject } from './registry/types.ts';
import { StatusError, badRequest, field, invalid, type FieldError } from './errors.ts';
import { watch, type WatchSettings } from './watch.ts';
import { containerLogLines, type LogLine } from '../reconcilers/kubelet/conventions.ts';

export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  /** Epoch milliseconds. */
  sinceTime?: number;
}

export interface LogDeps { api: Api; feed: ChangeFeed; watchSettings?: WatchSettings }

/** How often a follow looks at the clock when nothing changes, for lines that come due with time. */
const FOLLOW_TICK_MS = 500;

/** validation.ValidatePodLogOptions: 422 PodLogOptions "<pod>" is invalid. */
export function validateLogOptions(pod: string, o: PodLogOptions) {
  const errors: FieldError[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0) errors.push(field.invalid('tailLines', o.tailLines, 'must be greater than or equal to 0'));
  if (o.limitBytes !== undefined && o.limitBytes < 1) errors.push(field.invalid('limitBytes', o.limitBytes, 'must be greater than 0'));
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) {
    errors.push(field.forbidden('sinceSeconds', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1) {
    errors.push(field.invalid('sinceSeconds', o.sinceSeconds, 'must be greater than 0'));
  }
  if (errors.length) throw invalid('PodLogOptions', '', pod, errors);
}

function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])]
    .find(c => c.name === container);
}

/**
 * Which instance's log the kubelet serves (kubelet's validateContainerLogStatus), or its error as the
 * API server relays it: 400 with the kubelet's text.
 */
function instanceToRead(pod: Pod, container: string, previous: boolean): 'current' | 'previous' {
  const name = pod.metadata!.name;
  const s = statusOf(pod, container);
  if (previous) {
    if (!s?.lastState?.terminated) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return 'previous';
  }
  // A kubelet reports a container it has not created yet as waiting in ContainerCreating.
  if (!s) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  if (s.state?.running || s.state?.terminated) return 'current';
  if (s.lastState?.terminated) return 'previous';
  const reason = s.state?.waiting?.reason;
  if (reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${name}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`);
  if (s.state?.waiting) throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason ?? ''}`);
  throw badRequest(`container "${container}" in pod "${name}" is waiting to start - no logs yet`);
}

/** The lines an instance has written by `now`: a running one's may lie ahead and come due; a stopped one's are all there. */
function writtenLines(pod: Pod, container: string, previous: boolean, now: number): LogLine[] {
  const lines = containerLogLines(pod, container, { previous });
  const running = !previous && !!statusOf(pod, container)?.state?.running;
  return running ? lines.filter(l => l.time <= now) : lines;
}

/** Go's time.RFC3339Nano: fractional seconds without trailing zeros, none at all on a whole second. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

/**
 * Opens a container's log. Errors (no such instance, not started) are thrown before anything is
 * returned, so they can be answered as an HTTP error; the chunks then follow, ending as the kubelet ends them.
 */
export function openLog(deps: LogDeps, scope: RequestScope, pod: Pod, container: string, o: PodLogOptions, signal: AbortSignal): AsyncIterable<Uint8Array> {
  const instance = instanceToRead(pod, container, !!o.previous);
  const now = deps.api.clock.now();
  const since = o.sinceSeconds !== undefined ? now - o.sinceSeconds * 1000 : o.sinceTime;
  const render = (l: LogLine) => `${o.timestamps ? `${rfc3339Nano(l.time)} ` : ''}${l.text}\n`;

  // The kubelet finds the last tailLines lines first, then skips those older than `since`.
  const lines = writtenLines(pod, container, instance === 'previous', now);
  const shown = (o.tailLines === undefined ? lines : lines.slice(Math.max(0, lines.length - o.tailLines)))
    .filter(l => since === undefined || l.time >= since);
  const initial = shown.map(render).join('');
  const running = instance === 'current' && !!statusOf(pod, container)?.state?.running;
  const rest = o.follow && running ? followLines(deps, scope, pod, container, lines.length, signal) : undefined;

  const encoder = new TextEncoder();
  async function* chunks() {
    if (initial) yield encoder.encode(initial);
    if (rest) for await (const l of rest) yield encoder.encode(render(l));
  }
  return o.limitBytes === undefined ? chunks() : limitBytes(chunks(), o.limitBytes);
}

/**
 * The lines a running instance writes after the first `sent`, as they come due and as the pod changes,
 * until that instance stops (its last lines included) or the pod goes away.
 */
async function* followLines(deps: LogDeps, scope: RequestScope, pod: Pod, container: string, sent: number, signal: AbortSignal): AsyncGenerator<LogLine> {
  const restarts = statusOf(pod, container)?.restartCount ?? 0;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const updates = podUpdates(deps, scope, pod, stop.signal)[Symbol.asyncIterator]();
  // A read still pending when the follow ends may fail with nobody waiting: that must not be an unhandled rejection.
  const nextUpdate = () => { const p = updates.next(); p.catch(() => {}); return p; };
  let update = nextUpdate();
  try {
    for (;;) {
      const s = statusOf(pod, container);
      // The instance followed is the previous one once the container has restarted.
      const restarted = (s?.restartCount ?? 0) > restarts;
      const lines = writtenLines(pod, container, restarted, deps.api.clock.now());
      for (; sent < lines.length; sent++) yield lines[sent];
      if (restarted || !s?.state?.running) return;
      const next = await Promise.race([update, sleep(FOLLOW_TICK_MS, stop.signal)]);
      if (stop.signal.aborted) return;
      if (next) {
        if (next.done) return; // the pod is gone
        pod = next.value as Pod;
        update = nextUpdate();
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

/** The pod's states after the one given, until it is deleted; the watch is reopened whenever it ends. */
async function* podUpdates(deps: LogDeps, scope: RequestScope, pod: Pod, signal: AbortSignal): AsyncGenerator<KubeObject> {
  const def = deps.api.catalog.find('', 'v1', 'pods')!;
  const target = { def, namespace: pod.metadata!.namespace, name: pod.metadata!.name };
  let rv = pod.metadata!.resourceVersion;
  while (!signal.aborted) {
    const opts = { fieldSelector: `metadata.name=${target.name}`, resourceVersion: rv };
    for await (const e of watch(deps.api, deps.feed, scope, { def, namespace: target.namespace }, opts, signal, deps.watchSettings)) {
      if (e.type === 'DELETED') return;
      if (e.type === 'ERROR') break;
      if (e.type === 'BOOKMARK') continue;
      rv = e.object.metadata!.resourceVersion;
      yield e.object;
    }
    if (signal.aborted) return;
    // The watch ended (timeout, expired window): read the pod again and watch on from there.
    try {
      const current = await deps.api.get(scope, target);
      rv = current.metadata!.resourceVersion;
      yield current;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }
}

/** Resolves undefined after `ms`, or at once on abort. */
function sleep(ms: number, signal: AbortSignal): Promise<undefined> {
  return new Promise(resolve => {
    const done = () => { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(undefined); };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** limitBytes: the first n bytes of the log, cut wherever they end (as the kubelet does), then nothing. */
async function* limitBytes(chunks: AsyncIterable<Uint8Array>, n: number): AsyncGenerator<Uint8Array> {
  let left = n;
  for await (const chunk of chunks) {
    if (chunk.length >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.length;
    yield chunk;
  }
}
