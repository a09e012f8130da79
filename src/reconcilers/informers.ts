// The caches a cluster's controllers share: one Informer per resource, brought up to date at most once per
// pass, with each controller told which objects changed since it last looked.
import type { Api, RequestScope } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { Informer } from './informer.ts';

/** Controllers never need managed fields; leaving them out keeps big caches small. */
function withoutManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _m, ...metadata } = o.metadata;
  return { ...o, metadata };
}

interface Entry { informer: Informer; syncedInPass: number; dirty: Map<string, Set<string>> }

export class ClusterInformers {
  private readonly entries = new Map<string, Entry>();
  private pass = 0;

  constructor(private readonly api: Api, private readonly scope: RequestScope) {}

  /** Starts a new pass: the next `get` of each resource syncs it again. */
  beginPass() {
    this.pass++;
  }

  /**
   * The up-to-date cache of a resource, and — for `watcher` — the keys (`namespace/name`) that changed
   * since that watcher's previous call (everything, the first time).
   */
  async get(group: string, version: string, resource: string, watcher?: string): Promise<{ informer: Informer; changed: Set<string> }> {
    const id = `${group}/${version}/${resource}`;
    let entry = this.entries.get(id);
    if (!entry) {
      const def = this.api.catalog.find(group, version, resource);
      if (!def) throw new Error(`no resource ${id}`);
      entry = { informer: new Informer(this.api, this.scope, { def }, withoutManagedFields), syncedInPass: -1, dirty: new Map() };
      this.entries.set(id, entry);
    }
    if (entry.syncedInPass !== this.pass) {
      const changed = await entry.informer.sync();
      entry.syncedInPass = this.pass;
      for (const set of entry.dirty.values()) for (const k of changed) set.add(k);
    }
    if (!watcher) return { informer: entry.informer, changed: new Set() };
    let mine = entry.dirty.get(watcher);
    if (!mine) {
      // A new watcher starts with everything.
      mine = new Set(entry.informer.list().map(o => `${(o as KubeObject).metadata?.namespace ?? ''}/${(o as KubeObject).metadata?.name}`));
      entry.dirty.set(watcher, mine);
    }
    const changed = new Set(mine);
    mine.clear();
    return { informer: entry.informer, changed };
  }
}
