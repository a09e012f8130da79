// The taint eviction controller (the NoExecute taint manager): a pod on a node with a NoExecute taint it
// does not tolerate is deleted at once; one that tolerates it for tolerationSeconds is deleted that long
// after the taint was added, unless the taint goes first. Deadlines are kept in memory and the controller
// asks to run again when the earliest is due, so waiting costs nothing.
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { parseTime, rfc3339 } from '../../util/time.ts';
import { matchingTolerations, type Taint } from './taints.ts';

const NAME = 'taint-eviction';
const MANAGER = 'taint-eviction-controller';
const SOURCE = { component: 'taint-eviction-controller' };

interface NodeTaints {
  /** The node's NoExecute taints, as a string: a change to them re-examines the node's pods. */
  signature: string;
  /** When each NoExecute taint without timeAdded was first seen (taints added by hand carry none). */
  firstSeen: Map<string, number>;
}

interface State {
  /** Pods (`namespace/name`) to examine. */
  dirty: Set<string>;
  /** Pods due for deletion, and when. */
  due: Map<string, number>;
  nodes: Map<string, NodeTaints>;
}

const taintId = (t: Taint) => `${t.key}=${t.value ?? ''}:${t.effect}`;
const noExecute = (node: KubeObject | undefined): Taint[] => (node?.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');

export function taintEvictionController(): Controller {
  return perClusterController(NAME, (): State => ({ dirty: new Set(), due: new Map(), nodes: new Map() }), async (ctx, state) => {
    const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
    const pods = await ctx.informers.get('', 'v1', 'pods', NAME);
    const now = ctx.clock.now();
    const retainted = new Set<string>();
    for (const key of nodes.changed) {
      const name = key.slice(1);
      if (noteTaints(state, name, nodes.informer.get('', name), now)) retainted.add(name);
    }
    for (const key of pods.changed) state.dirty.add(key);
    if (retainted.size) {
      for (const pod of pods.informer.list()) {
        if (retainted.has(pod.spec?.nodeName)) state.dirty.add(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
      }
    }
    for (const [key, at] of state.due) if (at <= now) state.dirty.add(key);
    for (const key of [...state.dirty]) {
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const [namespace, name] = key.split('/');
      const pod = pods.informer.get(namespace, name);
      const node = pod?.spec?.nodeName ? nodes.informer.get('', pod.spec.nodeName) : undefined;
      const at = pod && node && !pod.metadata?.deletionTimestamp ? evictionTime(state, pod, node) : undefined;
      if (at !== undefined && at <= ctx.clock.now()) {
        await evict(ctx, pod!);
        state.due.delete(key);
      } else if (at !== undefined) {
        state.due.set(key, at);
      } else if (state.due.delete(key) && pod && !pod.metadata?.deletionTimestamp) {
        // The taint went (or the pod now tolerates it for good) before its time was up.
        await ctx.event(pod, SOURCE, { type: 'Normal', reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${key}` });
      }
      state.dirty.delete(key);
    }
    let next = Infinity;
    for (const at of state.due.values()) next = Math.min(next, at);
    return next === Infinity ? undefined : { requeueAfterMs: Math.max(0, next - now) };
  }, writesTo('nodes', 'pods'));
}

/** Records a node's NoExecute taints; true when they differ from what was seen before. */
function noteTaints(state: State, name: string, node: KubeObject | undefined, now: number): boolean {
  const taints = noExecute(node);
  const signature = taints.map(t => `${taintId(t)}@${t.timeAdded ?? ''}`).join(',');
  const before = state.nodes.get(name);
  if ((before?.signature ?? '') === signature) return false;
  if (!taints.length) { state.nodes.delete(name); return true; }
  const firstSeen = new Map<string, number>();
  for (const t of taints) if (!t.timeAdded) firstSeen.set(taintId(t), before?.firstSeen.get(taintId(t)) ?? now);
  state.nodes.set(name, { signature, firstSeen });
  return true;
}

/**
 * When the pod must go: now if some NoExecute taint is not tolerated, else the earliest moment a tolerated
 * taint's tolerationSeconds run out; undefined while nothing (or nothing finite) applies.
 */
function evictionTime(state: State, pod: KubeObject, node: KubeObject): number | undefined {
  const taints = noExecute(node);
  if (!taints.length) return undefined;
  const used = matchingTolerations(taints, pod.spec?.tolerations ?? []);
  if (!used) return -Infinity;
  let at: number | undefined;
  taints.forEach((taint, i) => {
    const seconds = used[i].tolerationSeconds;
    if (seconds === undefined || seconds === null) return;
    const since = parseTime(taint.timeAdded) ?? state.nodes.get(node.metadata!.name)?.firstSeen.get(taintId(taint)) ?? 0;
    const t = since + Math.max(0, seconds) * 1000;
    at = at === undefined ? t : Math.min(at, t);
  });
  return at;
}

/** Upstream's addConditionAndDeletePod: say why (DisruptionTarget), then delete with the pod's grace period. */
async function evict(ctx: ControllerContext, pod: KubeObject) {
  const def = ctx.api.catalog.find('', 'v1', 'pods')!;
  const target = { def, namespace: pod.metadata!.namespace, name: pod.metadata!.name };
  const key = `${target.namespace}/${target.name}`;
  await ctx.event(pod, SOURCE, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${key}` });
  try {
    await ctx.api.patch(ctx.scope, { ...target, subresource: 'status' }, 'strategic', {
      status: { conditions: [{
        type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(ctx.clock.now()),
      }] },
    }, { fieldManager: MANAGER });
    await ctx.api.delete(ctx.scope, target, { preconditions: { uid: pod.metadata!.uid } });
  } catch (e) {
    if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
  }
}
