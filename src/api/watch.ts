// Watch: a stream of events for a resource, with the resourceVersion semantics of api-concepts:
// unset/"0" start with the current state as ADDED events, "X" starts after X, sendInitialEvents=true
// (WatchList) ends the initial state with the `k8s.io/initial-events-end` bookmark.
import type { KubeObject } from './registry/types.ts';
import type { Api, ListOptions, RequestScope, Target } from './api.ts';
import type { ChangeFeed, FeedItem } from '../db/feed.ts';
import { SlowWatcherError } from '../db/feed.ts';
import { CompactedError, type Change } from '../db/store.ts';
import { apiVersionOf, fromStorage } from './catalog.ts';
import { StatusError, badRequest } from './errors.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export interface WatchEvent { type: WatchEventType; object: KubeObject }

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface WatchSettings {
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** The server-side timeout when the client names none. */
  defaultTimeoutMs: number;
}

export const defaultWatchSettings: WatchSettings = { bookmarkIntervalMs: 60_000, defaultTimeoutMs: 30 * 60_000 };

export function validateWatchOptions(opts: WatchOptions) {
  if (opts.sendInitialEvents !== undefined) {
    if (opts.resourceVersionMatch !== 'NotOlderThan') {
      throw badRequest('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
    }
    if (opts.sendInitialEvents && !opts.allowWatchBookmarks) {
      throw badRequest('allowWatchBookmarks: Forbidden: allowWatchBookmarks must be set to true when sendInitialEvents is enabled');
    }
  } else if (opts.resourceVersionMatch) {
    throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  }
  if (opts.resourceVersion && opts.resourceVersion !== '0' && !/^\d+$/.test(opts.resourceVersion)) {
    throw badRequest(`invalid resource version: ${JSON.stringify(opts.resourceVersion)}`);
  }
}

export async function* watch(
  api: Api, feed: ChangeFeed, scope: RequestScope, t: Target, opts: WatchOptions, abort: AbortSignal,
  settings: WatchSettings = defaultWatchSettings,
): AsyncGenerator<WatchEvent> {
  validateWatchOptions(opts);
  const { def } = t;
  const filter = api.selectorFilter(def, opts);
  const matches = filter.matches ?? (() => true);
  const show = (o: KubeObject) => fromStorage(def, o);
  const bookmark = (rv: number, initialEventsEnd = false): WatchEvent => ({
    type: 'BOOKMARK',
    object: {
      kind: def.kind, apiVersion: apiVersionOf(def),
      metadata: { resourceVersion: String(rv), ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    },
  });

  const rv = opts.resourceVersion ?? '';
  const withInitialState = opts.sendInitialEvents ?? (rv === '' || rv === '0');
  let position: number;
  if (withInitialState) {
    const state = await api.store.list(api.scopeOf(scope, t), { label: filter.label, filter: filter.matches });
    for (const item of state.items) yield { type: 'ADDED', object: show(item.object) };
    position = state.rv;
    if (opts.sendInitialEvents) yield bookmark(position, true);
  } else if (rv === '') {
    position = await api.store.revision();
  } else {
    position = Number(rv);
  }

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  abort.addEventListener('abort', onAbort, { once: true });
  const timeoutMs = opts.timeoutSeconds !== undefined ? opts.timeoutSeconds * 1000 : settings.defaultTimeoutMs;
  const timeout = setTimeout(() => stop.abort(), timeoutMs);
  const previous = new Map<number, KubeObject | undefined>();
  const before = async (c: Change) => {
    if (c.prevRv === null) return undefined;
    if (!previous.has(c.prevRv)) previous.set(c.prevRv, (await api.store.version(c.prevRv))?.object);
    return previous.get(c.prevRv);
  };
  let progress = position;
  let lastBookmark = Date.now();
  const items = feed.follow(position, api.scopeOf(scope, t), stop.signal)[Symbol.asyncIterator]();
  const stopped = new Promise<IteratorResult<FeedItem>>(resolve =>
    stop.signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true }));
  try {
    while (!stop.signal.aborted) {
      const next = await nextOrTick(items, stopped, opts.allowWatchBookmarks ? settings.bookmarkIntervalMs : timeoutMs);
      if (next === 'tick') {
        if (opts.allowWatchBookmarks && Date.now() - lastBookmark >= settings.bookmarkIntervalMs) {
          lastBookmark = Date.now();
          yield bookmark(progress);
        }
        continue;
      }
      if (next.done) break;
      const item: FeedItem = next.value;
      progress = item.rv;
      if (item.type === 'PROGRESS') continue;
      const event = await toEvent(item, filter.matches ? matches : undefined, filter.immutableOnly, before);
      if (event) yield { type: event.type, object: show(event.object) };
      if (previous.size > 1000) previous.clear();
    }
  } catch (e) {
    if (e instanceof CompactedError) {
      yield errorEvent(new StatusError(410, 'Expired', `too old resource version: ${e.requestedRv} (${e.compactedRv})`));
    } else if (e instanceof SlowWatcherError) {
      // Ending the stream makes the client watch again from its last resourceVersion.
    } else {
      throw e;
    }
  } finally {
    clearTimeout(timeout);
    abort.removeEventListener('abort', onAbort);
    stop.abort();
    await items.return?.();
  }
}

export function errorEvent(e: StatusError): WatchEvent {
  return { type: 'ERROR', object: e.toStatus() };
}

/**
 * The event a change is for this watch. With selectors, an object entering the selection is ADDED and
 * one leaving it is DELETED, which needs the previous version (unless only immutable fields are selected).
 */
async function toEvent(
  c: Change, matches: ((o: KubeObject) => boolean) | undefined, immutableOnly: boolean,
  before: (c: Change) => Promise<KubeObject | undefined>,
): Promise<WatchEvent | undefined> {
  if (!matches) return { type: c.type, object: c.object };
  if (c.type === 'ADDED' || c.type === 'DELETED' || immutableOnly) return matches(c.object) ? { type: c.type, object: c.object } : undefined;
  const now = matches(c.object);
  const old = await before(c);
  const was = old !== undefined && matches(old);
  if (now && was) return { type: 'MODIFIED', object: c.object };
  if (now) return { type: 'ADDED', object: c.object };
  if (was) return { type: 'DELETED', object: c.object };
  return undefined;
}

/** The iterator's next item, 'tick' when `ms` pass first (time for a bookmark), or done once stopped. */
async function nextOrTick<T>(
  it: AsyncIterator<T>, stopped: Promise<IteratorResult<T>>, ms: number,
): Promise<IteratorResult<T> | 'tick'> {
  let p = pending.get(it) as Promise<IteratorResult<T>> | undefined;
  if (!p) pending.set(it, p = it.next());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = new Promise<'tick'>(resolve => { timer = setTimeout(() => resolve('tick'), ms); });
  try {
    const r = await Promise.race([p, tick, stopped]);
    if (r !== 'tick') pending.delete(it);
    return r;
  } finally {
    clearTimeout(timer);
  }
}

/** A next() still running when a tick won the race: the following call waits for it instead. */
const pending = new WeakMap<AsyncIterator<unknown>, Promise<IteratorResult<unknown>>>();
