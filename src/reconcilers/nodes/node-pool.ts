// The NodePool controller: keeps `<pool>-0` … `<pool>-<replicas-1>` as simulated Nodes built from the pool's
// template, removes the highest indexes on scale-down, and reports how many exist and are Ready.
// Nodes carry an ownerReference to their pool, so deleting the pool leaves them to the garbage collector.
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { CAPACITY_ANNOTATION, POOL_LABEL, SIMULATED_ANNOTATION, poolIndex } from './conventions.ts';

const NAME = 'node-pool';
const MANAGER = 'nodepool-controller';
const SOURCE = { component: MANAGER };

const nameOf = (key: string) => key.slice(key.indexOf('/') + 1);
const isReady = (node: KubeObject) => (node.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

export function nodePoolController(): Controller {
  // The pools to look at are kept across passes, so a pass cut short by its deadline loses nothing.
  return perClusterController(NAME, () => new Set<string>(), async (ctx, dirty) => {
    const pools = await ctx.informers.get('skiff.dev', 'v1alpha1', 'nodepools', NAME);
    const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
    for (const key of pools.changed) dirty.add(nameOf(key));
    for (const key of nodes.changed) {
      const name = nameOf(key);
      const pool = nodes.informer.get('', name)?.metadata?.labels?.[POOL_LABEL];
      if (pool) { dirty.add(pool); continue; }
      // A node gone from the cache: its name says which pool it was in.
      for (const p of pools.informer.list()) if (poolIndex(p.metadata!.name, name) !== undefined) dirty.add(p.metadata!.name);
    }
    for (const name of [...dirty]) {
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const pool = pools.informer.get('', name);
      if (pool && !pool.metadata?.deletionTimestamp) await syncPool(ctx, pool, nodes.informer.list());
      dirty.delete(name);
    }
  }, writesTo('nodepools.skiff.dev', 'nodes'));
}

async function syncPool(ctx: ControllerContext, pool: KubeObject, allNodes: KubeObject[]) {
  const { api, scope } = ctx;
  const nodesDef = api.catalog.find('', 'v1', 'nodes')!;
  const poolName: string = pool.metadata!.name;
  const replicas: number = pool.spec?.replicas ?? 0;
  const owned = allNodes.filter(n => (n.metadata?.ownerReferences ?? []).some((r: any) => r.uid === pool.metadata!.uid));
  const taken = new Set(allNodes.map(n => n.metadata!.name));
  const live = owned.filter(n => !n.metadata?.deletionTimestamp);
  for (let i = 0; i < replicas; i++) {
    const name = `${poolName}-${i}`;
    // A node of that name that is not ours (made by hand) keeps its name; the pool does not adopt it.
    if (taken.has(name)) continue;
    try {
      await api.create(scope, { def: nodesDef }, nodeFor(pool, name), { fieldManager: MANAGER });
      await ctx.event(pool, SOURCE, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created node: ${name}` });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
  for (const node of live) {
    const index = poolIndex(poolName, node.metadata!.name);
    if (index === undefined || index < replicas) continue;
    try {
      await api.delete(scope, { def: nodesDef, name: node.metadata!.name }, { preconditions: { uid: node.metadata!.uid } });
      await ctx.event(pool, SOURCE, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted node: ${node.metadata!.name}` });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  }
  const status = {
    replicas: live.length,
    readyReplicas: live.filter(isReady).length,
    observedGeneration: pool.metadata?.generation,
  };
  const current = pool.status ?? {};
  if (current.replicas === status.replicas && (current.readyReplicas ?? 0) === status.readyReplicas
    && current.observedGeneration === status.observedGeneration) return;
  const poolsDef = api.catalog.find('skiff.dev', 'v1alpha1', 'nodepools')!;
  try {
    await api.patch(scope, { def: poolsDef, name: poolName, subresource: 'status' }, 'merge', { status }, { fieldManager: MANAGER });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

/** The Node a pool's template describes. */
function nodeFor(pool: KubeObject, name: string): KubeObject {
  const template = pool.spec?.template ?? {};
  const capacity = template.spec?.capacity;
  const taints = template.spec?.taints ?? [];
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: { ...template.metadata?.labels, [POOL_LABEL]: pool.metadata!.name },
      annotations: {
        ...template.metadata?.annotations,
        [SIMULATED_ANNOTATION]: 'true',
        ...(capacity ? { [CAPACITY_ANNOTATION]: JSON.stringify(capacity) } : {}),
      },
      ownerReferences: [{
        apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', name: pool.metadata!.name, uid: pool.metadata!.uid,
        controller: true, blockOwnerDeletion: true,
      }],
    },
    spec: taints.length ? { taints } : {},
  };
}
