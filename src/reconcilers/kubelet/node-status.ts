// What a simulated node reports about itself, as a kubelet registers and posts it: labels, capacity and
// allocatable, conditions with heartbeat times, addresses, nodeInfo and daemon endpoints. Everything is
// derived from the node's name, uid and annotations, so it is the same on every pass and every process.
import type { Node, NodeCondition } from 'kubernetes-types/core/v1';
import type { Change } from './engine.ts';
import { canonicalQuantity } from '../../api/registry/quantity.ts';
import { jsonEqual } from '../../util/equal.ts';
import { rfc3339 } from '../../util/time.ts';
import { CAPACITY_ANNOTATION, INTERNAL_IP_ANNOTATION } from './conventions.ts';
import { hashHex, hashUnit, hashUuid } from './hash.ts';

export const KUBELET_VERSION = 'v1.35.0';
export const DEFAULT_CAPACITY: Record<string, string> = { cpu: '4', 'ephemeral-storage': '100Gi', memory: '16Gi', pods: '110' };
/** What a kubelet reports for resources the machine does not have. */
const ABSENT = { 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' };
/** How often a kubelet posts its status when nothing changed (nodeStatusReportFrequency). */
export const STATUS_REPORT_MS = 5 * 60_000;

/** What the node stages need beyond the node. */
export interface NodeEnv {
  /** The node's InternalIP: its annotation, the one it reports, or a free one derived from its name. */
  internalIP(node: Node): string;
}

/** Node addresses come from 172.16.0.0/12 (clear of the usual pod and service ranges). */
const NODE_NET = (172 << 24 | 16 << 16) >>> 0;
const NODE_NET_SIZE = 2 ** 20;

/** A node's address derived from its name, skipping the taken ones: the same name gets the same address. */
export function deriveInternalIP(name: string, taken: (ip: string) => boolean): string {
  const start = Math.floor(hashUnit(`${name}/ip`) * NODE_NET_SIZE);
  for (let i = 0; ; i++) {
    const n = NODE_NET + ((start + i) % NODE_NET_SIZE);
    // .0 and .255 look like network and broadcast addresses: skip them.
    if ((n & 255) === 0 || (n & 255) === 255) continue;
    const ip = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    if (!taken(ip)) return ip;
  }
}

export const reportedInternalIP = (node: Node) =>
  node.metadata?.annotations?.[INTERNAL_IP_ANNOTATION] ?? node.status?.addresses?.find(a => a.type === 'InternalIP')?.address;

/** Capacity: the annotation's quantities over what the node reports (or was created with) over the defaults. */
export function capacityOf(node: Node): Record<string, string> {
  let declared: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(node.metadata?.annotations?.[CAPACITY_ANNOTATION] ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) declared = parsed;
  } catch { /* an unreadable annotation declares nothing */ }
  const merged: Record<string, string> = { ...DEFAULT_CAPACITY, ...ABSENT, ...node.status?.capacity };
  for (const [k, v] of Object.entries(declared)) if (typeof v === 'string' || typeof v === 'number') merged[k] = String(canonicalQuantity(String(v)));
  return Object.fromEntries(Object.keys(merged).sort().map(k => [k, merged[k]]));
}

/** The labels a kubelet (and a cloud provider) put on its node; the node's own values win. */
function labelsOf(node: Node, capacity: Record<string, string>): Record<string, string> {
  const name = node.metadata!.name!;
  // Nodes named like a pool's (`pool-3`) spread over the zones in turn; others by their name.
  const index = /-(\d+)$/.exec(name);
  const zone = `zone-${'abc'[index ? Number(index[1]) % 3 : Math.floor(hashUnit(`${name}/zone`) * 3)]}`;
  return {
    'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': `sim-${capacity.cpu}cpu-${capacity.memory}`,
    'topology.kubernetes.io/zone': zone,
    ...node.metadata?.labels,
  };
}

/** The kubelet's conditions, healthy (the network's, which the kubelet does not post, comes first). */
const CONDITIONS: { type: string; status: 'True' | 'False'; reason: string; message: string }[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];
const NETWORK = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'RouteController created a route' };

function conditionsOf(node: Node, at: number): NodeCondition[] {
  const old = node.status?.conditions ?? [];
  const stamp = rfc3339(at);
  const network = old.find(c => c.type === NETWORK.type) ?? { ...NETWORK, lastHeartbeatTime: stamp, lastTransitionTime: stamp };
  let changed = false;
  const kubelet = CONDITIONS.map(want => {
    const c = old.find(x => x.type === want.type);
    if (!(c?.status === want.status && c.reason === want.reason && c.message === want.message)) changed = true;
    const since = c?.status === want.status && c.lastTransitionTime ? c.lastTransitionTime : stamp;
    return { ...want, lastHeartbeatTime: c?.lastHeartbeatTime ?? stamp, lastTransitionTime: since };
  });
  // A kubelet posts all its conditions at once: a change refreshes every heartbeat.
  if (changed) for (const c of kubelet) c.lastHeartbeatTime = stamp;
  return [network, ...kubelet, ...old.filter(c => c.type !== NETWORK.type && !CONDITIONS.some(k => k.type === c.type))];
}

/** The node as its kubelet keeps it (the same object when that is what it is). */
export function deriveNode(node: Node, at: number, env: NodeEnv): Node {
  const name = node.metadata!.name!;
  const capacity = capacityOf(node);
  const labels = labelsOf(node, capacity);
  const status = {
    ...node.status,
    capacity, allocatable: capacity,
    conditions: conditionsOf(node, at),
    addresses: [{ type: 'InternalIP', address: env.internalIP(node) }, { type: 'Hostname', address: name }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hashHex(`${name}/machine`, 32), systemUUID: hashUuid(`${name}/system`),
      bootID: hashUuid(`${node.metadata?.uid}/boot`), kernelVersion: '6.8.0-sim', osImage: 'Skiff Simulated Linux',
      containerRuntimeVersion: 'containerd://2.1.4', kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '',
      operatingSystem: 'linux', architecture: 'amd64',
    },
  };
  if (jsonEqual(labels, node.metadata?.labels) && jsonEqual(status, node.status)) return node;
  return { ...node, metadata: { ...node.metadata, labels }, status };
}

/** The kubelet registers: the node's full status, and the events `kubectl describe node` shows. */
export function initializeNode(node: Node, at: number, _item: unknown, env: NodeEnv): Change<Node> {
  const name = node.metadata!.name;
  const status = (s: string) => ({ type: 'Normal' as const, reason: s, message: `Node ${name} status is now: ${s}` });
  return {
    object: deriveNode(node, at, env),
    events: [
      { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' },
      status('NodeHasSufficientMemory'), status('NodeHasNoDiskPressure'), status('NodeHasSufficientPID'),
      { type: 'Normal', reason: 'NodeAllocatableEnforced', message: 'Updated Node Allocatable limit across pods' },
      status('NodeReady'),
    ],
  };
}

/** The periodic status report: every kubelet condition's heartbeat is now. */
export function reportStatus(node: Node, at: number): Change<Node> {
  const kubelet = new Set(CONDITIONS.map(c => c.type));
  const conditions = (node.status?.conditions ?? []).map(c => (kubelet.has(c.type) ? { ...c, lastHeartbeatTime: rfc3339(at) } : c));
  return { object: { ...node, status: { ...node.status, conditions } } };
}
