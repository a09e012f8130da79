// The node side of the simulated kubelet: every simulated node registers (status, labels, events), posts
// its status when it changes and every 5 minutes otherwise, and renews its Lease every 10 s, until its
// heartbeat is paused. Work comes from the nodes that changed and a due-time queue, never a full scan.
import type { Node } from 'kubernetes-types/core/v1';
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { jsonEqual } from '../../util/equal.ts';
import { advance, type Outcome } from './engine.ts';
import { isHeartbeatPaused, isSimulatedNode } from './conventions.ts';
import { deriveInternalIP, deriveNode, reportedInternalIP, type NodeEnv } from './node-status.ts';
import { nodeStages } from './stages.ts';
import { NodeLeases } from './node-leases.ts';
import { DueQueue } from './queue.ts';
import { runAll } from './pool.ts';

const NAME = 'kubelet-nodes';
const MANAGER = 'kubelet';
const CONCURRENCY = 32;

interface State {
  /** Nodes to look at (kept across passes: a pass cut short loses nothing). */
  pending: Set<string>;
  /** When each node's next status stage comes due. */
  due: DueQueue;
  leases: NodeLeases;
  /** InternalIPs in use (address → node, node → address), so that a derived one is unique. */
  owners: Map<string, string>;
  addresses: Map<string, string>;
}

export function kubeletNodesController(): Controller {
  return perClusterController(NAME, (): State => ({
    pending: new Set(), due: new DueQueue(), leases: new NodeLeases(), owners: new Map(), addresses: new Map(),
  }), reconcileNodes, writesTo('nodes'));
}

async function reconcileNodes(ctx: ControllerContext, state: State) {
  const { informer, changed } = await ctx.informers.get('', 'v1', 'nodes', NAME);
  const now = ctx.clock.now();
  for (const key of changed) {
    const name = key.slice(1);
    const node = informer.get('', name) as Node | undefined;
    const ip = node && reportedInternalIP(node);
    if (ip) holdAddress(state, name, ip); else if (!node) releaseAddress(state, name);
    if (node && isSimulatedNode(node) && !isHeartbeatPaused(node)) state.leases.keep({ name, uid: node.metadata!.uid! }, now);
    else state.leases.drop(name);
    state.pending.add(name);
  }
  for (const name of state.due.takeDue(now)) state.pending.add(name);

  const env: NodeEnv = {
    internalIP: node => reportedInternalIP(node) ?? claimAddress(state, node.metadata!.name!),
  };
  const writes: (() => Promise<void>)[] = [];
  for (const name of state.pending) {
    if (ctx.clock.now() > ctx.deadline) break;
    state.pending.delete(name);
    const node = informer.get('', name) as Node | undefined;
    if (!node || !isSimulatedNode(node) || isHeartbeatPaused(node)) { state.due.delete(name); continue; }
    const outcome = advance(nodeStages, node, now, {
      seed: node.metadata!.uid!, env,
      // A registered kubelet keeps posting what it reports; before registering (a stage), it has said nothing.
      derive: (n, at) => (n.status?.nodeInfo?.kubeletVersion ? deriveNode(n, at, env) : n),
    });
    if (outcome.nextAt !== undefined) state.due.set(name, outcome.nextAt); else state.due.delete(name);
    if (outcome.changed || outcome.events.length) writes.push(() => write(ctx, node, outcome));
  }
  await runAll(writes, CONCURRENCY);
  await state.leases.renewDue(ctx);

  const next = Math.min(state.due.next() ?? Infinity, state.leases.next() ?? Infinity);
  if (state.pending.size) return { requeueAfterMs: 0 };
  return next === Infinity ? undefined : { requeueAfterMs: Math.max(0, next - ctx.clock.now()) };
}

/** A derived address for a node that reports none yet, held for it until it reports its own. */
function claimAddress(state: State, name: string): string {
  const ip = state.addresses.get(name) ?? deriveInternalIP(name, candidate => state.owners.has(candidate));
  holdAddress(state, name, ip);
  return ip;
}

function holdAddress(state: State, name: string, ip: string) {
  if (state.addresses.get(name) === ip) return;
  releaseAddress(state, name);
  state.addresses.set(name, ip);
  state.owners.set(ip, name);
}

function releaseAddress(state: State, name: string) {
  const ip = state.addresses.get(name);
  if (ip && state.owners.get(ip) === name) state.owners.delete(ip);
  state.addresses.delete(name);
}

/** Labels through the node itself, status through its status subresource; events after. */
async function write(ctx: ControllerContext, node: Node, outcome: Outcome<Node>) {
  const def = ctx.api.catalog.find('', 'v1', 'nodes')!;
  const target = { def, name: node.metadata!.name };
  let object = outcome.object as KubeObject;
  try {
    if (!jsonEqual(object.metadata?.labels, node.metadata?.labels)) {
      const r = await ctx.api.update(ctx.scope, target, object, { fieldManager: MANAGER });
      object = { ...object, metadata: { ...object.metadata, resourceVersion: r.object.metadata!.resourceVersion } };
    }
    if (!jsonEqual(object.status, node.status)) {
      await ctx.api.update(ctx.scope, { ...target, subresource: 'status' }, object, { fieldManager: MANAGER });
    }
  } catch (e) {
    // Changed since it was read, or gone: the change brings it back to the next pass.
    if (e instanceof StatusError && (e.code === 409 || e.code === 404)) return;
    throw e;
  }
  for (const e of outcome.events) await ctx.event(node, { component: 'kubelet', host: node.metadata!.name }, e);
}
