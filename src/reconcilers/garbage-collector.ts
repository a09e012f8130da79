// The garbage collector: deletes objects whose owners are gone, and carries out foreground and orphan
// deletion (the `foregroundDeletion` and `orphan` finalizers). It keeps the ownership graph incrementally
// from the shared informers, so a pass costs what changed, not what exists.
import { perClusterController, type Controller, type ControllerContext } from './runtime.ts';
import type { KubeObject, ResourceDef } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';
import { storageOf } from '../api/catalog.ts';
import { storedObjectView } from '../api/subresources.ts';
import type { WriteEvent } from '../api/api.ts';
import { cloneJson } from '../util/clone.ts';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';
const MANAGER = 'garbage-collector';
/** How soon to look again at a foreground deletion still waiting for its dependents. */
const FOREGROUND_RECHECK_MS = 1000;
/**
 * Resources the collector does not follow, as kube-controller-manager's default: events are many, short-lived
 * and never owners, so following them would cost a cache entry per event for nothing.
 */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);

interface OwnerRef { apiVersion: string; kind: string; name: string; uid: string; blockOwnerDeletion?: boolean }

interface GraphNode {
  def: ResourceDef;
  namespace?: string;
  name: string;
  uid: string;
  owners: OwnerRef[];
  deleting: boolean;
  finalizers: string[];
}

/** One cluster's ownership graph. */
class Graph {
  readonly nodes = new Map<string, GraphNode>();
  /** Owner uid → uids of its dependents. */
  readonly dependents = new Map<string, Set<string>>();
  /** `resource|namespace/name` → uid, to know which object a deletion removed. */
  readonly uidByKey = new Map<string, string>();

  remove(uid: string) {
    const node = this.nodes.get(uid);
    if (!node) return;
    for (const o of node.owners) this.dependents.get(o.uid)?.delete(uid);
    this.nodes.delete(uid);
  }

  put(node: GraphNode) {
    this.remove(node.uid);
    this.nodes.set(node.uid, node);
    for (const o of node.owners) {
      let set = this.dependents.get(o.uid);
      if (!set) this.dependents.set(o.uid, set = new Set());
      set.add(node.uid);
    }
  }

  dependentsOf(uid: string): GraphNode[] {
    return [...(this.dependents.get(uid) ?? [])].map(d => this.nodes.get(d)).filter((n): n is GraphNode => !!n);
  }
}

export function garbageCollector(): Controller {
  // `pending`: owners in foreground deletion still waiting for dependents, looked at again every pass.
  return perClusterController('garbage-collector', () => ({ graph: new Graph(), pending: new Set<string>() }), async (ctx, { graph, pending }) => {
    const attention = await update(ctx, graph);
    for (const uid of pending) attention.add(uid);
    pending.clear();
    for (const uid of attention) {
      if (ctx.clock.now() > ctx.deadline) { pending.add(uid); continue; }
      const node = graph.nodes.get(uid);
      if (node && await collect(ctx, graph, node)) pending.add(uid);
    }
    return pending.size ? { requeueAfterMs: FOREGROUND_RECHECK_MS } : undefined;
  }, concernsOwnership);
}

/** Writes that can matter to ownership: a deletion (of a possible owner), or an object owned, finalized or going. */
function concernsOwnership(w: WriteEvent): boolean {
  const meta = w.object.metadata ?? {};
  return w.type === 'DELETED' || !!meta.ownerReferences?.length || !!meta.finalizers?.length || !!meta.deletionTimestamp;
}

/**
 * Whether an object belongs in the graph: it has owners, is being deleted (its finalizers may be the
 * collector's to carry out), or owns something. The rest (most objects: events, leases, …) are left out,
 * so the graph grows with ownership, not with the cluster.
 */
const belongs = (graph: Graph, uid: string, meta: KubeObject['metadata']) =>
  !!meta?.ownerReferences?.length || !!meta?.deletionTimestamp || graph.dependents.has(uid);

/** Brings the graph up to date; returns the uids whose situation may have changed. */
async function update(ctx: ControllerContext, graph: Graph): Promise<Set<string>> {
  const attention = new Set<string>();
  const seen = new Set<string>();
  for (const def of ctx.api.catalog.resources) {
    const storage = storageOf(def);
    const id = `${storage.group}/${storage.resource}`;
    if (seen.has(id) || IGNORED.has(id) || def.conversion || !def.verbs.includes('list') || !def.verbs.includes('watch') || !def.verbs.includes('delete')) continue;
    seen.add(id);
    const { informer, changed } = await ctx.informers.get(def.group, def.version, def.resource, 'garbage-collector', 'metadata');
    for (const key of changed) {
      const [namespace, name] = splitKey(key);
      const graphKey = `${id}|${key}`;
      const before = graph.uidByKey.get(graphKey);
      const obj = informer.get(namespace, name) as KubeObject | undefined;
      const uid: string | undefined = obj?.metadata?.uid;
      if (before && before !== uid) {
        // Gone (or replaced by a new object of the same name): its dependents may be orphans now.
        for (const d of graph.dependents.get(before) ?? []) attention.add(d);
        graph.remove(before);
        graph.uidByKey.delete(graphKey);
      }
      if (!obj || !uid) continue;
      const meta = obj.metadata!;
      if (!belongs(graph, uid, meta)) {
        graph.remove(uid);
        continue;
      }
      graph.uidByKey.set(graphKey, uid);
      const owners: OwnerRef[] = meta.ownerReferences ?? [];
      graph.put({ def, namespace: meta.namespace, name: meta.name, uid, owners, deleting: !!meta.deletionTimestamp, finalizers: meta.finalizers ?? [] });
      // An owner's key is remembered from the reference, so that its deletion is noticed even though
      // the owner itself may not be in the graph.
      for (const o of owners) {
        const ownerKey = ownerGraphKey(ctx, o, meta.namespace);
        if (ownerKey && !graph.uidByKey.has(ownerKey)) graph.uidByKey.set(ownerKey, o.uid);
      }
      attention.add(uid);
      for (const d of graph.dependents.get(uid) ?? []) attention.add(d);
    }
  }
  return attention;
}

/** The resource an owner reference points at, if it is served. */
function ownerDef(ctx: ControllerContext, ref: OwnerRef): ResourceDef | undefined {
  const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
  return ctx.api.catalog.findKind(group, version, ref.kind);
}

/** The graph key an owner reference points at (`group/resource|namespace/name`), if its kind is served. */
function ownerGraphKey(ctx: ControllerContext, ref: OwnerRef, dependentNamespace: string | undefined): string | undefined {
  const def = ownerDef(ctx, ref);
  if (!def) return undefined;
  const storage = storageOf(def);
  return `${storage.group}/${storage.resource}|${def.namespaced ? dependentNamespace ?? '' : ''}/${ref.name}`;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Acts on one object; returns true while a foreground deletion still waits for dependents. */
async function collect(ctx: ControllerContext, graph: Graph, node: GraphNode): Promise<boolean> {
  if (node.deleting && node.finalizers.includes(ORPHAN)) {
    for (const d of graph.dependentsOf(node.uid)) await dropOwnerReference(ctx, d, node.uid);
    await dropFinalizer(ctx, node, ORPHAN);
    return false;
  }
  if (node.deleting && node.finalizers.includes(FOREGROUND)) {
    const dependents = graph.dependentsOf(node.uid);
    for (const d of dependents) if (!d.deleting) await remove(ctx, d, 'Foreground');
    const blocking = dependents.filter(d => d.owners.some(o => o.uid === node.uid && o.blockOwnerDeletion));
    if (blocking.length) return true;
    await dropFinalizer(ctx, node, FOREGROUND);
    return false;
  }
  // An object all of whose owners are gone goes too; one owner left keeps it.
  if (node.owners.length && !node.deleting) {
    for (const o of node.owners) if (await ownerExists(ctx, graph, node, o)) return false;
    await remove(ctx, node, 'Background');
  }
  return false;
}

/** Whether the owner exists, checked against the API before anything is deleted (caches can lag each other). */
async function ownerExists(ctx: ControllerContext, graph: Graph, dependent: GraphNode, ref: OwnerRef): Promise<boolean> {
  const cached = graph.nodes.get(ref.uid);
  if (cached) return !cached.def.namespaced || cached.namespace === dependent.namespace;
  const def = ownerDef(ctx, ref);
  if (!def) return false;
  try {
    const owner = await ctx.api.get(ctx.scope, { def, namespace: def.namespaced ? dependent.namespace : undefined, name: ref.name });
    return owner.metadata?.uid === ref.uid;
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return false;
    throw e;
  }
}

async function remove(ctx: ControllerContext, n: GraphNode, policy: 'Foreground' | 'Background') {
  await tolerateGone(() => ctx.api.delete(ctx.scope, { def: n.def, namespace: n.namespace, name: n.name }, {
    propagationPolicy: policy, preconditions: { uid: n.uid },
  }));
}

async function dropOwnerReference(ctx: ControllerContext, n: GraphNode, ownerUid: string) {
  await tolerateGone(() => ctx.api.modify(ctx.scope, { def: n.def, namespace: n.namespace, name: n.name }, storedObjectView, { fieldManager: MANAGER }, current => {
    const object = cloneJson(current.object);
    const refs = (object.metadata.ownerReferences ?? []).filter((r: OwnerRef) => r.uid !== ownerUid);
    if (refs.length) object.metadata.ownerReferences = refs;
    else delete object.metadata.ownerReferences;
    return object;
  }));
}

async function dropFinalizer(ctx: ControllerContext, n: GraphNode, finalizer: string) {
  await tolerateGone(() => ctx.api.modify(ctx.scope, { def: n.def, namespace: n.namespace, name: n.name }, storedObjectView, { fieldManager: MANAGER }, current => {
    const object = cloneJson(current.object);
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
