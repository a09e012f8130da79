// The node lifecycle controller: a node whose kubelet went silent for longer than the grace period gets
// its conditions Unknown and its pods marked not Ready; every node gets the taints its conditions call
// for (unreachable, not-ready, pressure, unschedulable), so the scheduler avoids it and pods that do not
// tolerate it are evicted. Heartbeats cost nothing here: a renewed lease only moves the moment the node
// would go silent, and the controller asks to run again at the earliest such moment.
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { rfc3339 } from '../../util/time.ts';
import { DEFAULT_HEALTH, readyCondition, silentAt, unknownConditions, type HealthOptions } from './health.ts';
import { isLifecycleNoExecute, reconcileTaints } from './taints.ts';

const NAME = 'node-lifecycle';
const MANAGER = 'node-controller';
const SOURCE = { component: 'node-controller' };
const LEASE_NAMESPACE = 'kube-node-lease';

interface State {
  /** Nodes to look at (kept across passes: a pass cut short by its deadline loses nothing). */
  dirty: Set<string>;
  /** When each live node goes silent unless it heartbeats first. */
  silentAt: Map<string, number>;
}

export function nodeLifecycleController(options: Partial<HealthOptions> = {}): Controller {
  const opts = { ...DEFAULT_HEALTH, ...options };
  return perClusterController(NAME, (): State => ({ dirty: new Set(), silentAt: new Map() }), async (ctx, state) => {
    const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
    const leases = await ctx.informers.get('coordination.k8s.io', 'v1', 'leases', NAME);
    for (const key of nodes.changed) state.dirty.add(key.slice(1));
    for (const key of leases.changed) if (key.startsWith(`${LEASE_NAMESPACE}/`)) state.dirty.add(key.slice(LEASE_NAMESPACE.length + 1));
    const now = ctx.clock.now();
    for (const [name, at] of state.silentAt) if (at <= now) state.dirty.add(name);
    for (const name of [...state.dirty]) {
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const node = nodes.informer.get('', name);
      state.silentAt.delete(name);
      if (node) {
        const at = await checkNode(ctx, node, leases.informer.get(LEASE_NAMESPACE, name), opts);
        if (at !== undefined) state.silentAt.set(name, at);
      }
      state.dirty.delete(name);
    }
    let next = Infinity;
    for (const at of state.silentAt.values()) next = Math.min(next, at);
    return next === Infinity ? undefined : { requeueAfterMs: Math.max(0, next - now) };
  }, writesTo('nodes'));
}

/**
 * Brings one node's conditions and taints in line with its health; returns when it would go silent, or
 * undefined when it already is (or a write lost a race: the node's change brings it back next pass).
 */
async function checkNode(ctx: ControllerContext, node: KubeObject, lease: KubeObject | undefined, opts: HealthOptions): Promise<number | undefined> {
  const now = ctx.clock.now();
  const at = silentAt(node, lease, opts);
  let current: KubeObject | undefined = node;
  if (now >= at) {
    const conditions = unknownConditions(node, now);
    if (conditions) {
      current = await write(ctx, node, 'status', { status: { conditions } });
      if (!current) return undefined;
      // The controller saw the node go from Ready to silent: tell the node's pods and the user.
      if (readyCondition(node)?.status === 'True') {
        await ctx.event(node, SOURCE, { type: 'Normal', reason: 'NodeNotReady', message: `Node ${node.metadata!.name} status is now: NodeNotReady` });
        await markPodsNotReady(ctx, node.metadata!.name, now);
      }
    }
  }
  const taints = reconcileTaints(current, now);
  if (taints) {
    // No taints left: the field goes, as Go's omitempty leaves it out.
    current = await write(ctx, current, undefined, { spec: { taints: taints.taints.length ? taints.taints : null } });
    if (!current) return undefined;
    if (taints.removed.some(isLifecycleNoExecute) && readyCondition(current)?.status === 'True') {
      await ctx.event(current, SOURCE, { type: 'Normal', reason: 'NodeReady', message: `Node ${current.metadata!.name} status is now: NodeReady` });
    }
  }
  return now >= at ? undefined : at;
}

/** A merge patch of the node as it was read: someone else's write in between makes it a no-op (undefined). */
async function write(ctx: ControllerContext, node: KubeObject, subresource: string | undefined, patch: KubeObject): Promise<KubeObject | undefined> {
  const def = ctx.api.catalog.find('', 'v1', 'nodes')!;
  try {
    const r = await ctx.api.patch(ctx.scope, { def, name: node.metadata!.name, subresource }, 'merge', {
      ...patch, metadata: { resourceVersion: node.metadata!.resourceVersion },
    }, { fieldManager: MANAGER });
    return r.object;
  } catch (e) {
    if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return undefined;
    throw e;
  }
}

/** Upstream MarkPodsNotReady: the node's pods stop counting as Ready (Services drop them) until its kubelet says otherwise. */
async function markPodsNotReady(ctx: ControllerContext, nodeName: string, now: number) {
  const def = ctx.api.catalog.find('', 'v1', 'pods')!;
  const pods = await ctx.informers.get('', 'v1', 'pods');
  for (const pod of pods.informer.list()) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const ready = (pod.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    if (!ready || ready.status === 'False') continue;
    try {
      // Conditions merge by type: only Ready changes, whatever else the kubelet wrote meanwhile.
      await ctx.api.patch(ctx.scope, { def, namespace: pod.metadata!.namespace, name: pod.metadata!.name, subresource: 'status' }, 'strategic', {
        status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: rfc3339(now) }] },
      }, { fieldManager: MANAGER });
      await ctx.event(pod, SOURCE, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
  }
}
