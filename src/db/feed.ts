// Change feeds: how watches follow the change log (DESIGN §4).
// - ChangeHub (Node): one reader per process, woken by local commits and a short poll (other processes
//   writing the same file), fanning changes out to every watch in memory.
// - PollingFeed (Workers): each watch polls the log for its own scope; local commits wake it early.
import type { Change, Scope, Store } from './store.ts';
import { CompactedError } from './store.ts';

/** Everything in the watched scope up to `rv` has been delivered (what a bookmark may announce). */
export interface Progress { type: 'PROGRESS'; rv: number }

export type FeedItem = Change | Progress;

export interface ChangeFeed {
  /** Changes in `scope` after `rv`, in order, with progress marks, until `signal` aborts. */
  follow(rv: number, scope: Scope, signal: AbortSignal): AsyncIterable<FeedItem>;
}

/** A watch fell too far behind the feed; it ends and the client starts a new one. */
export class SlowWatcherError extends Error {}

const READ_LIMIT = 1000;
const MAX_QUEUED = 10_000;

function inScope(c: Change, s: Scope): boolean {
  return c.cluster === s.cluster && c.group === s.group && c.resource === s.resource
    && (s.namespace === undefined || c.namespace === s.namespace);
}

/** Resolves at the next `wake()`, after `ms`, or on abort — whichever comes first. */
class Signal {
  private waiters: (() => void)[] = [];
  wake() { const w = this.waiters; this.waiters = []; w.forEach(f => f()); }
  wait(ms: number, abort: AbortSignal): Promise<void> {
    if (abort.aborted) return Promise.resolve();
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        // Leave the list at once: waits ended by timeout or abort would otherwise pile up until the next wake.
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, ms);
      abort.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
    });
  }
}

interface Subscriber { scope: Scope; queue: FeedItem[]; signal: Signal; failed?: Error }

export class ChangeHub implements ChangeFeed {
  private position = -1;
  private readonly subscribers = new Set<Subscriber>();
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly store: Store, private readonly pollMs = 200) {
    // A failed read is retried by the next commit or poll; watches keep waiting meanwhile.
    store.onCommit(() => { this.wake().catch(() => {}); });
  }

  /** Reads what was committed since the last read and hands it to the subscribers. */
  wake(): Promise<void> {
    // Nobody watching: nothing to read. The next watch catches up from the log and restarts the hub.
    if (!this.subscribers.size) { this.position = -1; return Promise.resolve(); }
    if (this.reading) { this.again = true; return this.reading; }
    this.reading = this.read().finally(() => { this.reading = undefined; });
    return this.reading;
  }

  private async read() {
    // Restarting: the first watch sets the position once it has caught up from the log itself.
    if (this.position < 0) return;
    do {
      this.again = false;
      let batch;
      try {
        batch = await this.store.changesAfter(this.position);
      } catch (e) {
        if (!(e instanceof CompactedError)) throw e;
        // History this process had not read yet is gone: every watch has to start over.
        for (const s of this.subscribers) { s.failed = e; s.signal.wake(); }
        this.position = await this.store.revision();
        continue;
      }
      for (const c of batch.changes) {
        for (const s of this.subscribers) if (inScope(c, s.scope)) s.queue.push(c);
        this.position = c.rv;
      }
      if (batch.changes.length < READ_LIMIT) this.position = Math.max(this.position, batch.revision);
      for (const s of this.subscribers) {
        s.queue.push({ type: 'PROGRESS', rv: this.position });
        if (s.queue.length > MAX_QUEUED) s.failed ??= new SlowWatcherError('the watch fell behind');
        s.signal.wake();
      }
      if (batch.changes.length === READ_LIMIT) this.again = true;
    } while (this.again);
  }

  async *follow(rv: number, scope: Scope, abort: AbortSignal): AsyncIterable<FeedItem> {
    const sub: Subscriber = { scope, queue: [], signal: new Signal() };
    this.subscribers.add(sub);
    this.timer ??= setInterval(() => { this.wake().catch(() => {}); }, this.pollMs);
    (this.timer as { unref?: () => void }).unref?.();
    try {
      // Catch up from the log itself; the hub's copies of the same changes are skipped by rv.
      let last = rv;
      for (;;) {
        const { changes, revision } = await this.store.changesAfter(last, scope, READ_LIMIT);
        for (const c of changes) { yield c; last = c.rv; }
        if (changes.length < READ_LIMIT) { yield { type: 'PROGRESS', rv: Math.max(last, revision) }; last = Math.max(last, revision); break; }
      }
      if (this.position < 0) {
        // The hub restarts where this watch's catch-up ended; commits it skipped meanwhile are read now.
        this.position = last;
        this.wake().catch(() => {});
      }
      while (!abort.aborted) {
        if (sub.failed) throw sub.failed;
        const item = sub.queue.shift();
        if (!item) { await sub.signal.wait(60_000, abort); continue; }
        if (item.rv <= last) continue;
        last = item.rv;
        yield item;
      }
    } finally {
      this.subscribers.delete(sub);
      if (!this.subscribers.size && this.timer) { clearInterval(this.timer); this.timer = undefined; }
    }
  }
}

export class PollingFeed implements ChangeFeed {
  private readonly signal = new Signal();

  constructor(private readonly store: Store, private readonly pollMs = 250) {
    store.onCommit(() => this.signal.wake());
  }

  async *follow(rv: number, scope: Scope, abort: AbortSignal): AsyncIterable<FeedItem> {
    let last = rv;
    while (!abort.aborted) {
      const { changes, revision } = await this.store.changesAfter(last, scope, READ_LIMIT);
      for (const c of changes) { yield c; last = c.rv; }
      if (changes.length === READ_LIMIT) continue;
      if (revision > last) { last = revision; yield { type: 'PROGRESS', rv: revision }; }
      await this.signal.wait(this.pollMs, abort);
    }
  }
}
