// A controller's cached view of one resource in one cluster: a list once, then the changes it is handed
// (ClusterInformers reads the cluster's changes once per pass for all caches).
import type { Api, RequestScope, Target } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';

export const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

export class Informer<T = KubeObject> {
  private readonly items = new Map<string, T>();
  /** The resourceVersion the cache reflects. */
  rv = 0;

  constructor(
    private readonly api: Api,
    private readonly scope: RequestScope,
    readonly target: Target,
    /** What the cache keeps of each object (a projection keeps big caches small). */
    private readonly project: (o: KubeObject) => T = o => o as T,
  ) {}

  /** Replaces the cache with a fresh list; returns every key that may have changed. */
  async relist(): Promise<Set<string>> {
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

  /** Applies a change newer than the cache (older ones are already in it); returns its key, if applied. */
  apply(rv: number, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): string | undefined {
    if (rv <= this.rv) return undefined;
    const key = keyOf(object);
    if (type === 'DELETED') this.items.delete(key);
    else this.items.set(key, this.project(object));
    return key;
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
