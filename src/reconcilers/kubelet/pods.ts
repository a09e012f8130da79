// The pod side of the simulated kubelet: pods bound to a simulated node (whose heartbeat is not paused) go
// through the pod stages. A pass looks only at the pods that changed, the pods whose stage came due, and
// the pods of nodes whose addresses changed; it writes status, events and final deletes concurrently.
import type { Node } from 'kubernetes-types/core/v1';
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { Informer } from '../informer.ts';
import { StatusError } from '../../api/errors.ts';
import { advance, type Outcome } from './engine.ts';
import { isHeartbeatPaused, isSimulatedNode } from './conventions.ts';
import { podStages } from './stages.ts';
import { derivePodStatus, type SimPod } from './pod-status.ts';
import { PodAddresses } from './pod-ips.ts';
import { DueQueue } from './queue.ts';
import { runAll } from './pool.ts';
import type { PodEnv } from './containers.ts';

const NAME = 'kubelet-pods';
const MANAGER = 'kubelet';
/** Pods evaluated between two looks at the deadline, and written at once. */
const BATCH = 256;
const CONCURRENCY = 32;

interface State {
  /** Pods to look at (kept across passes: a pass cut short loses nothing). */
  pending: Set<string>;
  /** When each pod's next stage comes due. */
  due: DueQueue;
  ips: PodAddresses;
  /** Pods by node, and what of each node matters to its pods (so only a change of that brings them back). */
  podsOf: Map<string, Set<string>>;
  nodeOf: Map<string, string>;
  nodeSeen: Map<string, string>;
  /** `once` stages applied, by pod (with its uid: a pod of the same name is another pod). */
  fired: Map<string, { uid: string; ids: Set<string> }>;
  /** Images present on each node. */
  images: Map<string, Set<string>>;
}

export function kubeletPodsController(): Controller {
  return perClusterController(NAME, (): State => ({
    pending: new Set(), due: new DueQueue(), ips: new PodAddresses(), podsOf: new Map(), nodeOf: new Map(),
    nodeSeen: new Map(), fired: new Map(), images: new Map(),
  }), reconcilePods, writesTo('pods', 'nodes'));
}

/** What pods depend on of their node: simulated and heartbeating, its address, its ranges. */
const nodeSignature = (node: Node | undefined) => !node ? '' : JSON.stringify([
  isSimulatedNode(node) && !isHeartbeatPaused(node), internalIP(node), node.spec?.podCIDRs ?? node.spec?.podCIDR,
]);

const internalIP = (node: Node) => node.status?.addresses?.find(a => a.type === 'InternalIP')?.address;

async function reconcilePods(ctx: ControllerContext, state: State) {
  const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
  const pods = await ctx.informers.get('', 'v1', 'pods', NAME);
  for (const key of nodes.changed) {
    const name = key.slice(1);
    const signature = nodeSignature(nodes.informer.get('', name) as Node | undefined);
    if (signature === (state.nodeSeen.get(name) ?? '')) continue;
    if (signature) state.nodeSeen.set(name, signature); else { state.nodeSeen.delete(name); state.images.delete(name); }
    for (const pod of state.podsOf.get(name) ?? []) state.pending.add(pod);
  }
  // Addresses held by pods are learnt before any pod gets one.
  for (const key of pods.changed) {
    index(state, key, pods.informer.get(...split(key)) as SimPod | undefined, nodes.informer);
    state.pending.add(key);
  }
  const now = ctx.clock.now();
  for (const key of state.due.takeDue(now)) state.pending.add(key);

  while (state.pending.size && ctx.clock.now() <= ctx.deadline) {
    const batch = [...take(state.pending, BATCH)];
    const writes = batch.map(key => evaluate(ctx, state, key, pods.informer, nodes.informer, now)).filter((w): w is () => Promise<void> => !!w);
    await runAll(writes, CONCURRENCY);
  }
  if (state.pending.size) return { requeueAfterMs: 0 };
  const next = state.due.next();
  return next === undefined ? undefined : { requeueAfterMs: Math.max(0, next - ctx.clock.now()) };
}

const split = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

function* take(set: Set<string>, n: number) {
  for (const key of set) {
    if (n-- <= 0) return;
    set.delete(key);
    yield key;
  }
}

/** Keeps the by-node index and the held addresses in step with a pod that changed (or went). */
function index(state: State, key: string, pod: SimPod | undefined, nodes: Informer) {
  const before = state.nodeOf.get(key);
  const after = pod?.spec?.nodeName;
  if (before !== after) {
    const old = before ? state.podsOf.get(before) : undefined;
    old?.delete(key);
    if (old && !old.size) state.podsOf.delete(before!);
    if (after) {
      let set = state.podsOf.get(after);
      if (!set) state.podsOf.set(after, set = new Set());
      set.add(key);
      state.nodeOf.set(key, after);
    } else state.nodeOf.delete(key);
  }
  state.ips.observe(key, pod, after ? nodes.get('', after) as Node | undefined : undefined);
  if (!pod) { state.due.delete(key); state.fired.delete(key); }
}

/** Runs the pod's due stages; returns the write of what they changed, if anything. */
function evaluate(ctx: ControllerContext, state: State, key: string, pods: Informer, nodes: Informer, now: number): (() => Promise<void>) | undefined {
  const pod = pods.get(...split(key)) as SimPod | undefined;
  const nodeName = pod?.spec?.nodeName;
  const node = nodeName ? nodes.get('', nodeName) as Node | undefined : undefined;
  const hostIP = node && internalIP(node);
  // Not ours (no node, a node an agent runs, a paused one), or the node has not registered yet: its change brings the pod back.
  if (!pod || !node || !isSimulatedNode(node) || isHeartbeatPaused(node) || !hostIP) { state.due.delete(key); return undefined; }
  state.ips.observe(key, pod, node);
  let images = state.images.get(nodeName!);
  if (!images) state.images.set(nodeName!, images = new Set());
  const env: PodEnv = { hostIP, images, podIPs: () => state.ips.assign(key, nodeName!, node) };
  const uid = pod.metadata!.uid!;
  let fired = state.fired.get(key);
  if (fired && fired.uid !== uid) { state.fired.delete(key); fired = undefined; }
  const outcome = advance(podStages, pod, now, { seed: uid, env, derive: derivePodStatus, fired: fired?.ids });
  if (outcome.nextAt !== undefined) state.due.set(key, outcome.nextAt); else state.due.delete(key);
  if (!outcome.changed && !outcome.events.length && !outcome.delete) return undefined;
  return async () => {
    if (!(await write(ctx, pod, outcome, nodeName!))) return;
    if (outcome.fired.length) {
      let f = state.fired.get(key);
      if (!f) state.fired.set(key, f = { uid, ids: new Set() });
      for (const id of outcome.fired) f.ids.add(id);
    }
  };
}

/** Status, then events, then the final delete; false when the pod changed or went in between. */
async function write(ctx: ControllerContext, pod: SimPod, outcome: Outcome<SimPod>, nodeName: string): Promise<boolean> {
  const def = ctx.api.catalog.find('', 'v1', 'pods')!;
  const target = { def, namespace: pod.metadata!.namespace, name: pod.metadata!.name };
  try {
    if (outcome.changed) await ctx.api.update(ctx.scope, { ...target, subresource: 'status' }, outcome.object, { fieldManager: MANAGER });
    for (const e of outcome.events) await ctx.event(pod, { component: 'kubelet', host: nodeName }, e);
    if (outcome.delete) await ctx.api.delete(ctx.scope, target, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid } });
    return true;
  } catch (e) {
    // The newer pod comes as a change and is looked at again; its stages then apply to it.
    if (e instanceof StatusError && (e.code === 409 || e.code === 404)) return false;
    throw e;
  }
}
