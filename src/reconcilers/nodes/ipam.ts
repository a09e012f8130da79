// Node IPAM (the nodeipam controller's range allocator): every Node without spec.podCIDR gets the lowest
// free /24 of the cluster CIDR, written once into spec.podCIDR and spec.podCIDRs. Pod IPs come from it.
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';

const NAME = 'node-ipam';
const MANAGER = 'node-ipam-controller';

export interface IpamOptions {
  /** The cluster's pod network (kube-controller-manager --cluster-cidr). */
  clusterCIDR?: string;
  /** The prefix length of each node's range (--node-cidr-mask-size). */
  nodeMaskSize?: number;
}

interface Range { base: number; prefix: number }

function parseCIDR(cidr: string): Range | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some(o => o > 255) || prefix > 32) return undefined;
  const ip = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: ip - (ip % size), prefix };
}

const formatCIDR = (base: number, prefix: number) =>
  `${[base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.')}/${prefix}`;

export function nodeIpamController(opts: IpamOptions = {}): Controller {
  // 8,192 node ranges of /24, clear of the service range 10.96.0.0/12.
  const cluster = parseCIDR(opts.clusterCIDR ?? '10.128.0.0/11')!;
  const maskSize = opts.nodeMaskSize ?? 24;
  const blockSize = 2 ** (32 - maskSize);
  const blocks = 2 ** (maskSize - cluster.prefix);
  /** Which block of the cluster range a podCIDR is, if it lies in it. */
  const blockOf = (cidr: unknown): number | undefined => {
    const r = typeof cidr === 'string' ? parseCIDR(cidr) : undefined;
    if (!r || r.prefix !== maskSize || r.base < cluster.base || r.base >= cluster.base + blocks * blockSize) return undefined;
    return (r.base - cluster.base) / blockSize;
  };
  return perClusterController(NAME, (): IpamState => ({ waiting: new Set(), starved: new Set(), blockOfNode: new Map(), nodeOfBlock: new Map() }), async (ctx: ControllerContext, state) => {
    const { waiting, starved } = state;
    const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
    let freed = false;
    for (const key of nodes.changed) {
      const name = key.slice(1);
      const node = nodes.informer.get('', name);
      const block = node ? blockOf(node.spec?.podCIDR) : undefined;
      if (block !== state.blockOfNode.get(name)) {
        freed = release(state, name) || freed;
        if (block !== undefined) hold(state, name, block);
      }
      starved.delete(name);
      if (node && !node.spec?.podCIDR && !node.metadata?.deletionTimestamp) waiting.add(name);
      else waiting.delete(name);
    }
    if (freed) { for (const name of starved) waiting.add(name); starved.clear(); }
    let next = 0;
    for (const name of [...waiting].sort()) {
      if (ctx.clock.now() > ctx.deadline) return { requeueAfterMs: 0 };
      const node = nodes.informer.get('', name);
      if (!node || node.spec?.podCIDR) { waiting.delete(name); continue; }
      while (next < blocks && state.nodeOfBlock.has(next)) next++;
      if (next >= blocks) {
        await ctx.event(node, { component: 'cidrAllocator' }, { type: 'Normal', reason: 'CIDRNotAvailable', message: `Node ${name} status is now: CIDRNotAvailable` });
        waiting.delete(name);
        starved.add(name);
        continue;
      }
      if (await assign(ctx, node, formatCIDR(cluster.base + next * blockSize, maskSize))) hold(state, name, next);
      waiting.delete(name);
    }
  }, writesTo('nodes'));
}

/**
 * One cluster's allocations, kept from the nodes that changed (a pass costs what changed): nodes waiting
 * for a range (a pass cut short keeps them), nodes the full range left without one (they wait for some
 * node to go away), and which node holds which block.
 */
interface IpamState {
  waiting: Set<string>;
  starved: Set<string>;
  blockOfNode: Map<string, number>;
  nodeOfBlock: Map<number, string>;
}

function hold(state: IpamState, node: string, block: number) {
  state.blockOfNode.set(node, block);
  if (!state.nodeOfBlock.has(block)) state.nodeOfBlock.set(block, node);
}

/** Forgets the node's block; true when that freed it. */
function release(state: IpamState, node: string): boolean {
  const block = state.blockOfNode.get(node);
  if (block === undefined) return false;
  state.blockOfNode.delete(node);
  if (state.nodeOfBlock.get(block) !== node) return false;
  state.nodeOfBlock.delete(block);
  return true;
}

/** Writes the range, unless the node changed since it was read (then its next change brings it back). */
async function assign(ctx: ControllerContext, node: KubeObject, cidr: string): Promise<boolean> {
  const def = ctx.api.catalog.find('', 'v1', 'nodes')!;
  try {
    await ctx.api.patch(ctx.scope, { def, name: node.metadata!.name }, 'merge', {
      metadata: { resourceVersion: node.metadata!.resourceVersion },
      spec: { podCIDR: cidr, podCIDRs: [cidr] },
    }, { fieldManager: MANAGER });
    return true;
  } catch (e) {
    if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return false;
    throw e;
  }
}
