// A controller's cached view of one resource in one cluster, kept current through the API: a list once,
// then the changes since its resourceVersion on every sync (a relist when history was compacted).
import type { Api, RequestScope, Target } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';

const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

export class Informer<T = KubeObject> {
  private readonly items = new Map<string, T>();
  private rv: number | undefined;

  constructor(
    private readonly api: Api,
    private readonly scope: RequestScope,
    private readonly target: Target,
    /** What the cache keeps of each object (a projection keeps big caches small). */
    private readonly project: (o: KubeObject) => T = o => o as T,
  ) {}

  /** Brings the cache up to date; returns the objects that changed since the last sync (by key). */
  async sync(): Promise<Set<string>> {
    const changed = new Set<string>();
    if (this.rv === undefined) return this.relist();
    for (;;) {
      let page;
      try {
        page = await this.api.changes(this.scope, this.target, this.rv);
      } catch (e) {
        if (e instanceof StatusError && e.code === 410) return this.relist();
        throw e;
      }
      for (const e of page.events) {
        const key = keyOf(e.object);
        changed.add(key);
        if (e.type === 'DELETED') this.items.delete(key);
        else this.items.set(key, this.project(e.object));
      }
      this.rv = page.rv;
      if (!page.more) return changed;
    }
  }

  private async relist(): Promise<Set<string>> {
    const list = await this.api.list(this.scope, this.target);
    const changed = new Set(this.items.keys());
    this.items.clear();
    for (const item of list.items as KubeObject[]) {
      const key = keyOf(item);
      changed.add(key);
      this.items.set(key, this.project({ apiVersion: list.apiVersion, kind: this.target.def.kind, ...item }));
    }
    this.rv = Number(list.metadata?.resourceVersion);
    return changed;
  }

  get(namespace: string, name: string): T | undefined {
    return this.items.get(`${namespace}/${name}`);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }
}
