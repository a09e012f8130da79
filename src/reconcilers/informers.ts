// The caches a cluster's controllers share: one Informer per resource, all brought up to date at the start
// of each controller pass by one read of the cluster's new changes, with each controller told which
// objects changed since it last looked.
import type { Api, RequestScope } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { fromStorage, storageOf } from '../api/catalog.ts';
import { StatusError } from '../api/errors.ts';
import { Informer, keyOf } from './informer.ts';

/** Controllers never need managed fields; leaving them out keeps big caches small. */
function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** What a controller that follows every resource needs (kube's metadata-only informers): identity and ownership. */
function metadataOnly(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, ownerReferences, finalizers, deletionTimestamp } = o.metadata ?? {};
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace, uid, resourceVersion, ownerReferences, finalizers, deletionTimestamp } };
}

/** How much of each object a cache keeps. */
export type View = 'object' | 'metadata';
const PROJECTIONS: Record<View, (o: KubeObject) => KubeObject> = { object: withoutManagedFields, metadata: metadataOnly };

interface Entry { informer: Informer; dirty: Map<string, Set<string>> }

/** What one controller pass sees of the caches: its first `get` brings them up to date. */
export interface PassInformers {
  /**
   * The up-to-date cache of a resource, and — for `watcher` — the keys (`namespace/name`) that changed
   * since that watcher's previous call (everything, the first time).
   */
  get(group: string, version: string, resource: string, watcher?: string, view?: View): Promise<{ informer: Informer; changed: Set<string> }>;
}

export class ClusterInformers {
  /** By served group/version/resource and view. */
  private readonly entries = new Map<string, Entry>();
  /** Entries by stored group/resource (several served versions may share one). */
  private readonly byStorage = new Map<string, Entry[]>();
  /** How far the cluster's changes have been read. */
  private cursor: number | undefined;
  /** Controllers run concurrently: making caches and reading changes happen one at a time. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly api: Api, private readonly scope: RequestScope) {}

  /** The view of one pass: everything committed before its first `get` is in the caches it gets. */
  forPass(): PassInformers {
    let synced = false;
    return {
      get: async (group, version, resource, watcher, view = 'object') => {
        const entry = await this.oneAtATime(async () => {
          const e = await this.entry(group, version, resource, view);
          if (!synced) { synced = true; await this.sync(); }
          return e;
        });
        if (!watcher) return { informer: entry.informer, changed: new Set() };
        let mine = entry.dirty.get(watcher);
        if (!mine) {
          // A new watcher starts with everything.
          mine = new Set(entry.informer.list().map(o => keyOf(o as KubeObject)));
          entry.dirty.set(watcher, mine);
        }
        const changed = new Set(mine);
        mine.clear();
        return { informer: entry.informer, changed };
      },
    };
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => {});
    return run;
  }

  private async entry(group: string, version: string, resource: string, view: View): Promise<Entry> {
    const id = `${group}/${version}/${resource}/${view}`;
    let entry = this.entries.get(id);
    if (entry) return entry;
    const def = this.api.catalog.find(group, version, resource);
    if (!def) throw new Error(`no resource ${id}`);
    entry = { informer: new Informer(this.api, this.scope, { def }, PROJECTIONS[view]), dirty: new Map() };
    await entry.informer.relist();
    this.entries.set(id, entry);
    const s = storageOf(def);
    const storageKey = `${s.group}/${s.resource}`;
    this.byStorage.set(storageKey, [...(this.byStorage.get(storageKey) ?? []), entry]);
    this.cursor = Math.min(this.cursor ?? entry.informer.rv, entry.informer.rv);
    return entry;
  }

  /** Reads the cluster's changes since the cursor and hands each to the caches of its resource. */
  private async sync() {
    if (this.cursor === undefined) return;
    for (;;) {
      let page;
      try {
        page = await this.api.clusterChanges(this.scope, this.cursor);
      } catch (e) {
        if (e instanceof StatusError && e.code === 410) { await this.relistAll(); return; }
        throw e;
      }
      for (const c of page.changes) {
        for (const entry of this.byStorage.get(`${c.group}/${c.resource}`) ?? []) {
          const key = entry.informer.apply(c.rv, c.type, fromStorage(entry.informer.target.def, c.object));
          if (key !== undefined) for (const set of entry.dirty.values()) set.add(key);
        }
      }
      this.cursor = page.rv;
      for (const entry of this.entries.values()) entry.informer.rv = Math.max(entry.informer.rv, page.rv);
      if (!page.more) return;
    }
  }

  /** History was compacted past the cursor: every cache starts over from a fresh list. */
  private async relistAll() {
    let cursor: number | undefined;
    for (const entry of this.entries.values()) {
      const changed = await entry.informer.relist();
      for (const set of entry.dirty.values()) for (const k of changed) set.add(k);
      cursor = Math.min(cursor ?? entry.informer.rv, entry.informer.rv);
    }
    this.cursor = cursor;
  }
}
