// The garbage collector: deletes objects whose owners are gone, and carries out foreground and orphan
// deletion (the `foregroundDeletion` and `orphan` finalizers), reading the ownership graph through the API.
import type { Controller, ControllerContext } from './runtime.ts';
import type { KubeObject, ResourceDef } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';
import { storageOf } from '../api/catalog.ts';
import { storedObjectView } from '../api/subresources.ts';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';
/** A full graph scan per cluster at most this often; writes in between are picked up by the next one. */
const MIN_SCAN_INTERVAL_MS = 1000;

interface Node { def: ResourceDef; object: KubeObject }

export function garbageCollector(): Controller {
  const lastScan = new Map<string, number>();
  return { name: 'garbage-collector', reconcile: ctx => collect(ctx, lastScan) };
}

async function collect(ctx: ControllerContext, lastScan: Map<string, number>) {
  {
    const now = ctx.clock.now();
    const since = now - (lastScan.get(ctx.scope.cluster) ?? -Infinity);
    if (since < MIN_SCAN_INTERVAL_MS) return { requeueAfterMs: MIN_SCAN_INTERVAL_MS - since };
    lastScan.set(ctx.scope.cluster, now);
    const nodes = await readGraph(ctx);
    const byUid = new Map(nodes.map(n => [n.object.metadata!.uid as string, n]));
    const dependents = new Map<string, Node[]>();
    for (const n of nodes) {
      for (const ref of n.object.metadata?.ownerReferences ?? []) {
        let list = dependents.get(ref.uid);
        if (!list) dependents.set(ref.uid, list = []);
        list.push(n);
      }
    }
    let pending = false;
    for (const n of nodes) {
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const meta = n.object.metadata!;
      const finalizers: string[] = meta.finalizers ?? [];
      if (meta.deletionTimestamp && finalizers.includes(ORPHAN)) {
        await orphanDependents(ctx, meta.uid, dependents.get(meta.uid) ?? []);
        await dropFinalizer(ctx, n, ORPHAN);
        continue;
      }
      if (meta.deletionTimestamp && finalizers.includes(FOREGROUND)) {
        const blocking = (dependents.get(meta.uid) ?? []).filter(d => byUid.has(d.object.metadata!.uid));
        for (const d of blocking) if (!d.object.metadata!.deletionTimestamp) await remove(ctx, d, 'Foreground');
        if (blocking.some(d => blocks(d, meta.uid))) { pending = true; continue; }
        await dropFinalizer(ctx, n, FOREGROUND);
        continue;
      }
      // An object all of whose owners are gone goes too; one owner left keeps it.
      const owners: any[] = meta.ownerReferences ?? [];
      if (owners.length && !meta.deletionTimestamp && owners.every(o => !ownerExists(byUid, o, n))) {
        await remove(ctx, n, 'Background');
      }
    }
    return pending ? { requeueAfterMs: MIN_SCAN_INTERVAL_MS } : undefined;
  }
}

/** Every object of every stored resource in the cluster. */
async function readGraph(ctx: ControllerContext): Promise<Node[]> {
  const { api, scope } = ctx;
  const nodes: Node[] = [];
  const seen = new Set<string>();
  for (const def of api.catalog.resources) {
    const storage = storageOf(def);
    const key = `${storage.group}/${storage.resource}`;
    if (seen.has(key) || def.conversion || !def.verbs.includes('list') || !def.verbs.includes('delete')) continue;
    seen.add(key);
    for (const object of (await api.list(scope, { def })).items as KubeObject[]) nodes.push({ def, object });
  }
  return nodes;
}

function ownerExists(byUid: Map<string, Node>, ref: { uid: string; kind: string }, dependent: Node): boolean {
  const owner = byUid.get(ref.uid);
  if (!owner) return false;
  // A namespaced owner only owns dependents in its own namespace.
  return !owner.def.namespaced || owner.object.metadata!.namespace === dependent.object.metadata!.namespace;
}

function blocks(dependent: Node, ownerUid: string): boolean {
  return (dependent.object.metadata!.ownerReferences ?? []).some((r: any) => r.uid === ownerUid && r.blockOwnerDeletion);
}

async function remove(ctx: ControllerContext, n: Node, policy: 'Foreground' | 'Background') {
  const meta = n.object.metadata!;
  await tolerateGone(() => ctx.api.delete(ctx.scope, { def: n.def, namespace: meta.namespace, name: meta.name }, {
    propagationPolicy: policy, preconditions: { uid: meta.uid },
  }));
}

async function orphanDependents(ctx: ControllerContext, ownerUid: string, dependents: Node[]) {
  for (const d of dependents) {
    const meta = d.object.metadata!;
    await tolerateGone(() => ctx.api.modify(ctx.scope, { def: d.def, namespace: meta.namespace, name: meta.name }, storedObjectView, {}, current => {
      const refs = (current.object.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== ownerUid);
      const object = structuredClone(current.object);
      if (refs.length) object.metadata.ownerReferences = refs;
      else delete object.metadata.ownerReferences;
      return object;
    }));
  }
}

async function dropFinalizer(ctx: ControllerContext, n: Node, finalizer: string) {
  const meta = n.object.metadata!;
  await tolerateGone(() => ctx.api.modify(ctx.scope, { def: n.def, namespace: meta.namespace, name: meta.name }, storedObjectView, {}, current => {
    const object = structuredClone(current.object);
    object.metadata.finalizers = (object.metadata.finalizers ?? []).filter((f: string) => f !== finalizer);
    if (!object.metadata.finalizers.length) delete object.metadata.finalizers;
    return object;
  }));
}

async function tolerateGone(write: () => Promise<unknown>) {
  try {
    await write();
  } catch (e) {
    // Gone already, or changed under us: the next pass sees the new state.
    if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
  }
}
