// The generic object store (etcd's role): current state, MVCC history, compare-and-swap writes.
// Every write is one INSERT into `changes`; triggers apply it to `objects` and `labels` and reject a
// stale prevRv (migrations/0001_triggers.sql). Lists read `objects`; history serves watches and
// consistent continue pages.
import type { Row, SqlDriver, Statement } from './driver.ts';
import { WriteQueue } from './write-queue.ts';
import { ObjectCache } from './object-cache.ts';

export interface Scope { cluster: string; group: string; resource: string; namespace?: string }
export interface Key { cluster: string; group: string; resource: string; namespace: string; name: string }

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredObject { rv: number; object: any }

export interface Change extends Key {
  rv: number;
  type: ChangeType;
  prevRv: number | null;
  object: any;
}

export interface Write {
  key: Key;
  type: ChangeType;
  /** The rv being replaced, or null when the key must not exist yet. */
  prevRv: number | null;
  object: any;
}

/** Position in key order: lists continue after it. */
export interface Cursor { namespace: string; name: string }

export interface ListQuery {
  /** A label the SQL side narrows by (index lookup); the caller's `filter` still decides. */
  label?: { key: string; values: string[] };
  /** Items passing this (selectors the index cannot answer) count towards `limit`. */
  filter?: (object: any) => boolean;
  limit?: number;
  after?: Cursor;
  /** List as of this rv (continue pages, resourceVersionMatch=Exact); current state when absent. */
  atRv?: number;
}

export interface ListPage {
  items: StoredObject[];
  /** The rv the page is consistent with. */
  rv: number;
  /** Where the next page starts, when there is one. */
  next?: Cursor;
}

export class CompactedError extends Error {
  constructor(readonly requestedRv: number, readonly compactedRv: number) {
    super(`resource version ${requestedRv} is older than the compacted revision ${compactedRv}`);
  }
}

const CHUNK = 500;
const MAX_CHANGES_PER_READ = 1000;

const SELECT_CHANGE = 'SELECT rv, cluster, grp, resource, namespace, name, type, prev_rv, object FROM changes';
const REVISION: Statement = { sql: "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0) AS rv", args: [], single: true };
const COMPACTED: Statement = { sql: "SELECT COALESCE((SELECT value FROM settings WHERE key = 'compacted_rv'), 0) AS rv", args: [], single: true };

export class Store {
  private readonly writes: WriteQueue;
  private readonly commitListeners = new Set<(rv: number) => void>();
  private readonly objects: ObjectCache;

  /** `cacheBytes`: how much stored JSON the parsed-object cache may hold (0 turns it off). */
  constructor(readonly db: SqlDriver, options: { coalesceWrites?: boolean; cacheBytes?: number } = {}) {
    this.writes = new WriteQueue(db, options.coalesceWrites ?? false, rv => this.commitListeners.forEach(l => l(rv)));
    this.objects = new ObjectCache(options.cacheBytes ?? 64 * 1024 * 1024);
    ({ stored: this.stored, change: this.change } = decoders(this.objects));
  }

  private readonly stored: (row: Row) => StoredObject;
  private readonly change: (row: Row) => Change;

  /** Called after each local commit with its highest rv (in-process wake-ups for watches and reconcilers). */
  onCommit(listener: (rv: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  async get(key: Key): Promise<StoredObject | undefined> {
    const row = await this.db.first({
      sql: 'SELECT c.rv, c.object FROM objects o JOIN changes c ON c.rv = o.rv WHERE o.cluster = ? AND o.grp = ? AND o.resource = ? AND o.namespace = ? AND o.name = ?',
      args: [key.cluster, key.group, key.resource, key.namespace, key.name],
    });
    return row ? this.stored(row) : undefined;
  }

  /** Version `rv` of an object if the parsed-object cache has it (no database read). */
  cachedVersion(rv: number): StoredObject | undefined {
    const object = this.objects.peek(rv);
    return object ? { rv, object } : undefined;
  }

  /** Applies the write if the key is still at `prevRv`; returns the new rv, or null when it is not. */
  async write(w: Write): Promise<number | null> {
    const { key } = w;
    const rows = await this.writes.submit({
      sql: 'INSERT INTO changes (cluster, grp, resource, namespace, name, type, prev_rv, object, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rv',
      args: [key.cluster, key.group, key.resource, key.namespace, key.name, w.type, w.prevRv, serialize(w.object), labelsOf(w.object)],
      single: true,
    });
    return rows.length ? (rows[0].rv as number) : null;
  }

  /** The newest rv of the whole store. */
  async revision(): Promise<number> {
    return (await this.db.all(REVISION))[0].rv as number;
  }

  async compactedRevision(): Promise<number> {
    return (await this.db.all(COMPACTED))[0].rv as number;
  }

  async list(scope: Scope, q: ListQuery = {}): Promise<ListPage> {
    const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
    const items: StoredObject[] = [];
    let after = q.after;
    let rv = q.atRv;
    for (;;) {
      const want = Math.min(limit - items.length, CHUNK);
      const page = rv === undefined ? await this.currentPage(scope, q, after, want) : await this.pastPage(scope, q, rv, after, want);
      rv = page.rv;
      for (const item of page.items) {
        if (q.filter && !q.filter(item.object)) continue;
        items.push(item);
      }
      after = page.next;
      if (!after) return { items, rv };
      if (items.length >= limit) {
        const last = items[limit - 1].object.metadata;
        return { items: items.slice(0, limit), rv, next: { namespace: last.namespace ?? '', name: last.name } };
      }
    }
  }

  /** A page of the current state, with the rv it is consistent with (read in one transaction). */
  private async currentPage(scope: Scope, q: ListQuery, after: Cursor | undefined, limit: number) {
    const [revision, rows] = await this.db.batch([REVISION, this.pageStatement(scope, q, after, limit + 1)], 'read');
    return pageOf(await this.versions(rows), revision[0].rv as number, limit);
  }

  /**
   * The versions of these rows (by `rv`), from the parsed-object cache where it has them and one read for
   * the rest: a list of objects already seen copies no JSON out of the database. Versions never change,
   * so reading them after the snapshot that named them is safe.
   */
  private async versions(rows: Row[]): Promise<StoredObject[]> {
    const out: (StoredObject | undefined)[] = rows.map(r => this.cachedVersion(r.rv as number));
    const missing = rows.filter((_, i) => !out[i]).map(r => r.rv as number);
    if (missing.length) {
      const fetched = await this.db.all({ sql: 'SELECT rv, object FROM changes WHERE rv IN (SELECT value FROM json_each(?))', args: [JSON.stringify(missing)] });
      const byRv = new Map(fetched.map(row => [row.rv as number, row]));
      rows.forEach((r, i) => {
        if (out[i]) return;
        const row = byRv.get(r.rv as number);
        if (row) out[i] = this.stored(row);
      });
    }
    return out.filter((o): o is StoredObject => o !== undefined);
  }

  /**
   * A page as of `rv`: current rows not changed since, plus — for keys changed after `rv` — the
   * version they had then (history keeps every version superseded after the compacted rv).
   */
  private async pastPage(scope: Scope, q: ListQuery, rv: number, after: Cursor | undefined, limit: number) {
    const [compacted, current, older] = await this.db.batch([
      COMPACTED,
      this.pageStatement(scope, q, after, limit + 1, rv),
      this.versionsChangedSince(scope, rv, after),
    ], 'read');
    const compactedRv = compacted[0].rv as number;
    if (rv < compactedRv) throw new CompactedError(rv, compactedRv);
    const fromCurrent = await this.versions(current);
    // Current rows beyond the limit are unknown: older versions past the last known key wait for the next page.
    const lastKnown = fromCurrent.length > limit ? keyOf(fromCurrent[limit - 1]) : undefined;
    const merged = [...fromCurrent.slice(0, limit), ...(await this.versions(older)).filter(o => !lastKnown || compareKeys(keyOf(o), lastKnown) <= 0)]
      .sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    const more = fromCurrent.length > limit || merged.length > limit;
    return { items: merged.slice(0, limit), rv, next: more ? keyOf(merged[Math.min(limit, merged.length) - 1]) : undefined };
  }

  private pageStatement(scope: Scope, q: ListQuery, after: Cursor | undefined, limit: number, maxRv?: number): Statement {
    const where = ['o.cluster = ?', 'o.grp = ?', 'o.resource = ?'];
    const args: (string | number)[] = [scope.cluster, scope.group, scope.resource];
    if (scope.namespace !== undefined) { where.push('o.namespace = ?'); args.push(scope.namespace); }
    if (after) { where.push('(o.namespace, o.name) > (?, ?)'); args.push(after.namespace, after.name); }
    if (maxRv !== undefined) { where.push('o.rv <= ?'); args.push(maxRv); }
    if (q.label) {
      where.push(`(o.namespace, o.name) IN (SELECT l.namespace, l.name FROM labels l WHERE l.cluster = ? AND l.grp = ? AND l.resource = ? AND l.key = ? AND l.value IN (${q.label.values.map(() => '?').join(', ')}))`);
      args.push(scope.cluster, scope.group, scope.resource, q.label.key, ...q.label.values);
    }
    const sql = `SELECT o.rv FROM objects o WHERE ${where.join(' AND ')} ORDER BY o.namespace, o.name${Number.isFinite(limit) ? ' LIMIT ?' : ''}`;
    if (Number.isFinite(limit)) args.push(limit);
    return { sql, args };
  }

  /** For keys of the scope first changed after `rv` while they existed: their version at `rv`. */
  private versionsChangedSince(scope: Scope, rv: number, after: Cursor | undefined): Statement {
    const where = ['c.cluster = ?', 'c.grp = ?', 'c.resource = ?', 'c.rv > ?', 'c.prev_rv <= ?'];
    const args: (string | number)[] = [scope.cluster, scope.group, scope.resource, rv, rv];
    if (scope.namespace !== undefined) { where.push('c.namespace = ?'); args.push(scope.namespace); }
    if (after) { where.push('(c.namespace, c.name) > (?, ?)'); args.push(after.namespace, after.name); }
    return { sql: `SELECT c.prev_rv AS rv FROM changes c WHERE ${where.join(' AND ')}`, args };
  }

  /**
   * Changes after `rv` in rv order (all clusters and resources when `scope` is absent), and the store's
   * revision at the time of the read: when fewer than `limit` came back, nothing in scope up to it is missing.
   */
  async changesAfter(rv: number, scope?: Scope, limit = MAX_CHANGES_PER_READ): Promise<{ changes: Change[]; revision: number }> {
    const where = ['rv > ?'];
    const args: (string | number)[] = [rv];
    if (scope) {
      where.push('cluster = ?', 'grp = ?', 'resource = ?');
      args.push(scope.cluster, scope.group, scope.resource);
      if (scope.namespace !== undefined) { where.push('namespace = ?'); args.push(scope.namespace); }
    }
    const [compacted, revision, rows] = await this.db.batch([
      COMPACTED, REVISION, { sql: `${SELECT_CHANGE} WHERE ${where.join(' AND ')} ORDER BY rv LIMIT ?`, args: [...args, limit] },
    ], 'read');
    const compactedRv = compacted[0].rv as number;
    if (rv < compactedRv) throw new CompactedError(rv, compactedRv);
    return { changes: rows.map(this.change), revision: revision[0].rv as number };
  }

  /** Every change of one cluster after `rv`, in rv order (what a cluster's controllers' caches follow). */
  async clusterChangesAfter(rv: number, cluster: string, limit = MAX_CHANGES_PER_READ): Promise<{ changes: Change[]; revision: number }> {
    // `+cluster` keeps SQLite on the rv range (recent history) rather than the cluster's whole history.
    const [compacted, revision, rows] = await this.db.batch([
      COMPACTED, REVISION, { sql: `${SELECT_CHANGE} WHERE rv > ? AND +cluster = ? ORDER BY rv LIMIT ?`, args: [rv, cluster, limit] },
    ], 'read');
    const compactedRv = compacted[0].rv as number;
    if (rv < compactedRv) throw new CompactedError(rv, compactedRv);
    return { changes: rows.map(this.change), revision: revision[0].rv as number };
  }

  /** The version with this rv, if history still has it (the state before a change: `prevRv`). */
  async version(rv: number): Promise<StoredObject | undefined> {
    const row = await this.db.first({ sql: 'SELECT rv, object FROM changes WHERE rv = ?', args: [rv] });
    return row ? this.stored(row) : undefined;
  }

  /**
   * Drops history older than `windowMs` (keeping every version still current at the new compacted
   * rv, as etcd does), at most `maxRows` rows per call so a pass stays bounded.
   */
  async compact(now: number, windowMs: number, maxRows = 10_000): Promise<{ compactedRv: number; removed: number }> {
    const [, edge, previous] = await this.db.batch([
      { sql: `INSERT OR REPLACE INTO revisions (at, rv) VALUES (?, (${REVISION.sql}))`, args: [now] },
      { sql: 'SELECT MAX(rv) AS rv FROM revisions WHERE at <= ?', args: [now - windowMs] },
      COMPACTED,
    ]);
    const target = (edge[0].rv as number | null) ?? 0;
    const from = previous[0].rv as number;
    if (target <= from) return { compactedRv: from, removed: 0 };
    const [deleted] = await this.db.batch([
      { sql: 'DELETE FROM changes WHERE rv IN (SELECT rv FROM changes WHERE superseded_rv > ? AND superseded_rv <= ? ORDER BY superseded_rv LIMIT ?) RETURNING superseded_rv', args: [from, target, maxRows] },
    ]);
    // When the row cap cut the pass short, compact only up to what was fully removed.
    const reached = deleted.length < maxRows ? target : Math.max(from, ...deleted.map(r => (r.superseded_rv as number) - 1));
    await this.db.batch([
      { sql: "INSERT INTO settings (key, value) VALUES ('compacted_rv', ?) ON CONFLICT (key) DO UPDATE SET value = MAX(value, excluded.value)", args: [reached] },
      { sql: 'DELETE FROM revisions WHERE at < (SELECT MAX(at) FROM revisions WHERE at <= ?)', args: [now - windowMs] },
    ]);
    return { compactedRv: reached, removed: deleted.length };
  }

  async close() {
    await this.writes.drain();
    await this.db.close();
  }
}

function pageOf(rows: StoredObject[], rv: number, limit: number) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, rv, next: more ? keyOf(items[items.length - 1]) : undefined };
}

function keyOf(s: StoredObject): Cursor {
  return { namespace: s.object.metadata.namespace ?? '', name: s.object.metadata.name };
}

function compareKeys(a: Cursor, b: Cursor): number {
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The labels column: what the label index is kept from (NULL for none). */
function labelsOf(object: any): string | null {
  const labels = object.metadata?.labels;
  return labels && Object.keys(labels).length ? JSON.stringify(labels) : null;
}

/** Objects are stored without their resourceVersion: the row's rv is the truth. */
function serialize(object: any): string {
  const { resourceVersion: _, ...metadata } = object.metadata ?? {};
  return JSON.stringify({ ...object, metadata });
}

/** Row decoding through the parsed-object cache (objects come back frozen). */
function decoders(cache: ObjectCache) {
  const stored = (row: Row): StoredObject =>
    ({ rv: row.rv as number, object: cache.get(row.rv as number, row.object as string) });
  const change = (row: Row): Change => ({
    rv: row.rv as number,
    cluster: row.cluster as string,
    group: row.grp as string,
    resource: row.resource as string,
    namespace: row.namespace as string,
    name: row.name as string,
    type: row.type as ChangeType,
    prevRv: row.prev_rv as number | null,
    object: cache.get(row.rv as number, row.object as string),
  });
  return { stored, change };
}
