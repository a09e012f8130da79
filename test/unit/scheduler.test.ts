// The scheduler's decision for one pod, given hand-made nodes and pods: which node it picks, or the
// message kube-scheduler would give for a pod that fits nowhere.
import { describe, it, expect } from 'vitest';
import type { KubeObject } from '../../src/api/registry/types.ts';
import { ClusterSnapshot } from '../../src/reconcilers/scheduler/snapshot.ts';
import { feasibleNodesToFind, newSchedulingState, schedulePod, type Decision } from '../../src/reconcilers/scheduler/schedule.ts';

type Labels = Record<string, string>;

function node(name: string, o: { cpu?: string; memory?: string; pods?: string; labels?: Labels; taints?: any[]; unschedulable?: boolean; extra?: Labels } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: o.pods ?? '110', ...o.extra } },
  };
}

function pod(name: string, spec: any = {}, o: { labels?: Labels; namespace?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, labels: o.labels ?? {} },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec },
    status: { phase: 'Pending' },
  };
}

const asking = (requests: Labels, spec: any = {}) => ({ containers: [{ name: 'app', image: 'nginx', resources: { requests } }], ...spec });

/** The pod already running on a node. */
const on = (nodeName: string, p: KubeObject, phase = 'Running'): KubeObject => ({ ...p, spec: { ...p.spec, nodeName }, status: { phase } });

const ns = (name: string, labels: Labels = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });

/** A node name, or the unschedulable message. */
const outcome = (d: Decision) => (d.node !== undefined ? d.node : d.message);

/** Where the pod goes: a node name, or the unschedulable message. */
function place(p: KubeObject, nodes: KubeObject[], pods: KubeObject[] = [], namespaces: KubeObject[] = [ns('default')]): string {
  return outcome(schedulePod(new ClusterSnapshot(nodes, pods, namespaces), p, newSchedulingState()));
}

interface Case { name: string; pod: KubeObject; nodes: KubeObject[]; pods?: KubeObject[]; namespaces?: KubeObject[]; expect: string }

function table(cases: Case[]) {
  for (const c of cases) it(c.name, () => expect(place(c.pod, c.nodes, c.pods, c.namespaces)).toBe(c.expect));
}

const NOT_HELPFUL = (n: number) => `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
const zoned = (name: string, zone: string, o: Parameters<typeof node>[1] = {}) => node(name, { ...o, labels: { 'topology.kubernetes.io/zone': zone, ...o.labels } });

describe('scheduler filters', () => {
  describe('NodeResourcesFit', () => {
    table([
      { name: 'skips a node without room for the cpu request', pod: pod('p', asking({ cpu: '2' })),
        nodes: [node('node-1'), node('node-2')], pods: [on('node-1', pod('big', asking({ cpu: '3' })))], expect: 'node-2' },
      { name: 'reports memory that is short (used up on one node, too little on the other)', pod: pod('p', asking({ memory: '6Gi' })),
        nodes: [node('node-1'), node('node-2', { memory: '4Gi' })], pods: [on('node-1', pod('big', asking({ memory: '3Gi' })))],
        expect: '0/2 nodes are available: 2 Insufficient memory. '
          + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.' },
      { name: 'finished pods hold nothing', pod: pod('p', asking({ cpu: '2' })),
        nodes: [node('node-1')], pods: [on('node-1', pod('done', asking({ cpu: '3' })), 'Succeeded')], expect: 'node-1' },
      { name: 'counts the largest init container when it exceeds the app containers',
        pod: pod('p', asking({ cpu: '1' }, { initContainers: [{ name: 'init', image: 'x', resources: { requests: { cpu: '3' } } }] })),
        nodes: [node('node-1')], pods: [on('node-1', pod('other', asking({ cpu: '2' })))],
        expect: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
      { name: 'adds sidecar init containers to the app containers',
        pod: pod('p', asking({ cpu: '2' }, { initContainers: [{ name: 'proxy', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1500m' } } }] })),
        nodes: [node('node-1', { cpu: '3' }), node('node-2')], expect: 'node-2' },
      { name: 'adds the pod overhead', pod: pod('p', asking({ cpu: '3' }, { overhead: { cpu: '1500m' } })),
        nodes: [node('node-1'), node('node-2', { cpu: '8' })], expect: 'node-2' },
      { name: 'checks extended resources', pod: pod('p', asking({ 'nvidia.com/gpu': '1' })),
        nodes: [node('cpu-only'), node('gpu', { extra: { 'nvidia.com/gpu': '2' } })], expect: 'gpu' },
      { name: 'names each missing extended resource', pod: pod('p', asking({ 'nvidia.com/gpu': '1' })), nodes: [node('cpu-only')],
        expect: `0/1 nodes are available: 1 Insufficient nvidia.com/gpu. ${NOT_HELPFUL(1)}` },
      { name: 'counts pods against the pod capacity', pod: pod('p'), nodes: [node('node-1', { pods: '1' })], pods: [on('node-1', pod('first'))],
        expect: '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
      { name: 'reports every missing resource of a node', pod: pod('p', asking({ cpu: '5', memory: '9Gi' })), nodes: [node('node-1')],
        expect: `0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. ${NOT_HELPFUL(1)}` },
      { name: 'a node without allocatable takes no pod', pod: pod('p'), nodes: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } }],
        expect: '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
    ]);
  });

  describe('NodeAffinity', () => {
    const nodes = [
      node('small', { labels: { disk: 'hdd', gen: '3' } }),
      node('fast', { labels: { disk: 'ssd', gen: '5' } }),
      node('plain'),
    ];
    const required = (...matchExpressions: any[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } } });
    table([
      { name: 'nodeSelector', pod: pod('p', { nodeSelector: { disk: 'ssd' } }), nodes, expect: 'fast' },
      { name: 'the brief example: one node too small, two not matching', nodes,
        pod: pod('p', asking({ cpu: '8' }, { nodeSelector: { disk: 'hdd' } })),
        expect: `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL(3)}` },
      { name: 'In', pod: pod('p', required({ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] })), nodes, expect: 'fast' },
      { name: 'NotIn matches nodes without the label too', pod: pod('p', asking({ cpu: '3' }, required({ key: 'disk', operator: 'NotIn', values: ['ssd', 'hdd'] }))),
        nodes, expect: 'plain' },
      { name: 'Exists', pod: pod('p', required({ key: 'disk', operator: 'Exists' }, { key: 'disk', operator: 'NotIn', values: ['hdd'] })), nodes, expect: 'fast' },
      { name: 'DoesNotExist', pod: pod('p', required({ key: 'disk', operator: 'DoesNotExist' })), nodes, expect: 'plain' },
      { name: 'Gt compares integers', pod: pod('p', required({ key: 'gen', operator: 'Gt', values: ['4'] })), nodes, expect: 'fast' },
      { name: 'Lt compares integers', pod: pod('p', required({ key: 'gen', operator: 'Lt', values: ['4'] })), nodes, expect: 'small' },
      { name: 'matchFields on metadata.name', nodes,
        pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['plain'] }] }] } } } }),
        expect: 'plain' },
      { name: 'terms are alternatives', nodes: [nodes[0], nodes[2]],
        pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
          { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] },
          { matchExpressions: [{ key: 'gen', operator: 'In', values: ['3'] }] },
        ] } } } }),
        expect: 'small' },
      { name: 'nodeSelector and affinity must both match', nodes,
        pod: pod('p', { nodeSelector: { disk: 'ssd' }, ...required({ key: 'gen', operator: 'Lt', values: ['4'] }) }),
        expect: `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL(3)}` },
    ]);
  });

  describe('TaintToleration', () => {
    const gpu = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    table([
      { name: 'avoids an untolerated NoSchedule taint', pod: pod('p'), nodes: [node('tainted', { taints: [gpu] }), node('free')], expect: 'free' },
      { name: 'names the untolerated taint', pod: pod('p'), nodes: [node('tainted', { taints: [gpu] })],
        expect: `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${NOT_HELPFUL(1)}` },
      { name: 'Equal toleration', pod: pod('p', asking({ cpu: '3' }, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] })),
        nodes: [node('tainted', { taints: [gpu] }), node('free', { cpu: '2' })], expect: 'tainted' },
      { name: 'Equal with another value does not tolerate', pod: pod('p', { tolerations: [{ key: 'dedicated', value: 'db' }] }),
        nodes: [node('tainted', { taints: [gpu] })], expect: `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${NOT_HELPFUL(1)}` },
      { name: 'Exists with an empty key tolerates everything', pod: pod('p', asking({ cpu: '3' }, { tolerations: [{ operator: 'Exists' }] })),
        nodes: [node('tainted', { taints: [gpu, { key: 'x', effect: 'NoExecute' }] }), node('free', { cpu: '2' })], expect: 'tainted' },
      { name: 'a toleration for another effect does not help', pod: pod('p', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] }),
        nodes: [node('tainted', { taints: [gpu] })], expect: `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. ${NOT_HELPFUL(1)}` },
      { name: 'NoExecute taints also keep pods off', pod: pod('p'), nodes: [node('evicting', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] })],
        expect: `0/1 nodes are available: 1 node(s) had untolerated taint {k: v}. ${NOT_HELPFUL(1)}` },
      { name: 'PreferNoSchedule does not filter', pod: pod('p'), nodes: [node('soft', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })], expect: 'soft' },
      { name: 'nodes that are not ready are out through their taints', pod: pod('p', {
        tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }),
        nodes: [
          node('not-ready', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }),
          node('unreachable', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }),
        ],
        expect: '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ' + NOT_HELPFUL(2) },
    ]);
  });

  describe('NodeUnschedulable and NodeName', () => {
    table([
      { name: 'skips cordoned nodes', pod: pod('p'), nodes: [node('cordoned', { unschedulable: true }), node('open')], expect: 'open' },
      { name: 'reports cordoned nodes', pod: pod('p'), nodes: [node('cordoned', { unschedulable: true })],
        expect: `0/1 nodes are available: 1 node(s) were unschedulable. ${NOT_HELPFUL(1)}` },
      { name: 'a pod tolerating the unschedulable taint may go there', nodes: [node('cordoned', { unschedulable: true })],
        pod: pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), expect: 'cordoned' },
      { name: 'a named node only', pod: pod('p', { nodeName: 'node-2' }), nodes: [node('node-1'), node('node-2')], expect: 'node-2' },
    ]);
  });

  describe('NodePorts', () => {
    const serving = (hostPort: number, extra: any = {}) => pod('p', { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort, ...extra }] }] });
    const holder = (nodeName: string, hostPort: number, extra: any = {}) =>
      on(nodeName, pod(`holder-${nodeName}-${hostPort}`, { containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort, ...extra }] }] }));
    table([
      { name: 'a host port is taken once per node', pod: serving(8080), nodes: [node('node-1'), node('node-2')], pods: [holder('node-1', 8080)], expect: 'node-2' },
      { name: 'reports taken ports', pod: serving(8080), nodes: [node('node-1')], pods: [holder('node-1', 8080)],
        expect: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." },
      { name: 'another protocol is another port', pod: serving(53, { protocol: 'UDP' }), nodes: [node('node-1')], pods: [holder('node-1', 53)], expect: 'node-1' },
      { name: 'two specific addresses do not conflict', pod: serving(8080, { hostIP: '10.0.0.2' }), nodes: [node('node-1')],
        pods: [holder('node-1', 8080, { hostIP: '10.0.0.1' })], expect: 'node-1' },
      { name: 'a specific address conflicts with 0.0.0.0', pod: serving(8080, { hostIP: '10.0.0.2' }), nodes: [node('node-1'), node('node-2')],
        pods: [holder('node-1', 8080)], expect: 'node-2' },
    ]);
  });

  describe('InterPodAffinity', () => {
    const nodes = [zoned('a-1', 'a'), zoned('a-2', 'a'), zoned('b-1', 'b')];
    const db = on('a-1', pod('db', {}, { labels: { app: 'db' } }));
    const affinity = (kind: 'podAffinity' | 'podAntiAffinity', topologyKey: string, labels: Labels, extra: any = {}) => ({
      affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey, ...extra }] } },
    });
    table([
      { name: 'affinity: into the zone of a matching pod, on another node when the first is full',
        pod: pod('p', asking({ cpu: '2' }, affinity('podAffinity', 'topology.kubernetes.io/zone', { app: 'db' }))),
        nodes, pods: [db, on('a-1', pod('filler', asking({ cpu: '3' })))], expect: 'a-2' },
      { name: 'affinity with no matching pod anywhere', pod: pod('p', affinity('podAffinity', 'topology.kubernetes.io/zone', { app: 'cache' })),
        nodes, pods: [db], expect: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules. " + NOT_HELPFUL(3) },
      { name: 'the first pod of a self-affine group may go anywhere',
        pod: pod('p', asking({ cpu: '3' }, affinity('podAffinity', 'topology.kubernetes.io/zone', { app: 'cache' })), { labels: { app: 'cache' } }),
        nodes: [zoned('a-1', 'a', { cpu: '2' }), zoned('b-1', 'b')], expect: 'b-1' },
      { name: 'affinity only counts pods in the listed namespaces',
        pod: pod('p', affinity('podAffinity', 'topology.kubernetes.io/zone', { app: 'db' }, { namespaces: ['data'] })),
        nodes, pods: [db, on('b-1', pod('db', {}, { labels: { app: 'db' }, namespace: 'data' }))], namespaces: [ns('default'), ns('data')], expect: 'b-1' },
      { name: 'affinity with a namespace selector',
        pod: pod('p', affinity('podAffinity', 'topology.kubernetes.io/zone', { app: 'db' }, { namespaceSelector: { matchLabels: { team: 'data' } } })),
        nodes, pods: [db, on('b-1', pod('db', {}, { labels: { app: 'db' }, namespace: 'warehouse' }))],
        namespaces: [ns('default'), ns('warehouse', { team: 'data' })], expect: 'b-1' },
      { name: 'anti-affinity: away from the zone of a matching pod',
        pod: pod('p', affinity('podAntiAffinity', 'topology.kubernetes.io/zone', { app: 'db' })), nodes, pods: [db], expect: 'b-1' },
      { name: 'anti-affinity per hostname', pod: pod('p', asking({ cpu: '3' }, affinity('podAntiAffinity', 'kubernetes.io/hostname', { app: 'web' })), { labels: { app: 'web' } }),
        nodes: [node('n-1'), node('n-2', { cpu: '8' })], pods: [on('n-2', pod('web-0', {}, { labels: { app: 'web' } }))], expect: 'n-1' },
      { name: 'anti-affinity everywhere', pod: pod('p', affinity('podAntiAffinity', 'kubernetes.io/hostname', { app: 'web' }), { labels: { app: 'web' } }),
        nodes: [node('n-1')], pods: [on('n-1', pod('web-0', {}, { labels: { app: 'web' } }))],
        expect: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." },
      { name: "placed pods' anti-affinity keeps a matching pod out of their domain",
        pod: pod('p', {}, { labels: { app: 'web' } }), nodes,
        pods: [on('a-1', pod('loner', affinity('podAntiAffinity', 'topology.kubernetes.io/zone', { app: 'web' })))], expect: 'b-1' },
      { name: "reports placed pods' anti-affinity", pod: pod('p', {}, { labels: { app: 'web' } }), nodes: [node('n-1')],
        pods: [on('n-1', pod('loner', affinity('podAntiAffinity', 'kubernetes.io/hostname', { app: 'web' })))],
        expect: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." },
    ]);
  });

  describe('PodTopologySpread', () => {
    const spread = (o: any = {}) => ({
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...o }],
    });
    const web = (name: string, nodeName: string) => on(nodeName, pod(name, {}, { labels: { app: 'web' } }));
    const nodes = [zoned('a-1', 'a', { cpu: '16' }), zoned('b-1', 'b')];
    table([
      { name: 'goes to the zone with fewer matching pods', pod: pod('p', spread(), { labels: { app: 'web' } }), nodes,
        pods: [web('w1', 'a-1')], expect: 'b-1' },
      { name: 'refuses to exceed maxSkew', pod: pod('p', asking({ cpu: '8' }, spread()), { labels: { app: 'web' } }), nodes,
        pods: [web('w1', 'a-1')],
        expect: "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints. "
          + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.' },
      { name: 'a larger maxSkew allows it', pod: pod('p', asking({ cpu: '8' }, spread({ maxSkew: 2 })), { labels: { app: 'web' } }), nodes,
        pods: [web('w1', 'a-1')], expect: 'a-1' },
      { name: 'nodes without the topology key fit no constraint', pod: pod('p', spread(), { labels: { app: 'web' } }), nodes: [node('plain')],
        expect: "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). " + NOT_HELPFUL(1) },
      { name: 'minDomains: fewer domains than asked count the minimum as 0',
        pod: pod('p', spread({ minDomains: 3 }), { labels: { app: 'web' } }), nodes, pods: [web('w1', 'a-1'), web('w2', 'b-1')],
        expect: "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod." },
      { name: 'nodeAffinityPolicy Honor: nodes the pod cannot use are no domain',
        pod: pod('p', { ...spread(), nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, { labels: { app: 'web' } }),
        nodes, pods: [web('w1', 'a-1')], expect: 'a-1' },
      { name: 'nodeAffinityPolicy Ignore: they count',
        pod: pod('p', { ...spread({ nodeAffinityPolicy: 'Ignore' }), nodeSelector: { 'topology.kubernetes.io/zone': 'a' } }, { labels: { app: 'web' } }),
        nodes, pods: [web('w1', 'a-1')],
        expect: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) didn't match pod topology spread constraints. "
          + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.' },
      { name: 'nodeTaintsPolicy Ignore (default): a tainted node still counts as a domain',
        pod: pod('p', spread(), { labels: { app: 'web' } }),
        nodes: [zoned('a-1', 'a'), zoned('b-1', 'b', { taints: [{ key: 'k', effect: 'NoSchedule' }] })], pods: [web('w1', 'a-1')],
        expect: "0/2 nodes are available: 1 node(s) didn't match pod topology spread constraints, 1 node(s) had untolerated taint {k: }. "
          + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.' },
      { name: 'nodeTaintsPolicy Honor: it does not', pod: pod('p', spread({ nodeTaintsPolicy: 'Honor' }), { labels: { app: 'web' } }),
        nodes: [zoned('a-1', 'a'), zoned('b-1', 'b', { taints: [{ key: 'k', effect: 'NoSchedule' }] })], pods: [web('w1', 'a-1')], expect: 'a-1' },
      { name: 'matchLabelKeys narrows the count to the pod\'s own revision',
        pod: pod('p', spread({ matchLabelKeys: ['rev'] }), { labels: { app: 'web', rev: '2' } }), nodes,
        pods: [on('b-1', pod('old-1', {}, { labels: { app: 'web', rev: '1' } })), on('b-1', pod('old-2', {}, { labels: { app: 'web', rev: '1' } })),
          on('b-1', pod('new-1', {}, { labels: { app: 'web', rev: '2' } }))], expect: 'a-1' },
    ]);
  });
});

describe('scheduler scores', () => {
  table([
    { name: 'NodeResourcesFit: the least allocated node', pod: pod('p', asking({ cpu: '1', memory: '1Gi' })),
      nodes: [node('busy'), node('idle')], pods: [on('busy', pod('x', asking({ cpu: '2', memory: '4Gi' })))], expect: 'idle' },
    { name: 'NodeResourcesFit: best-effort pods count at the default requests', pod: pod('p'),
      nodes: [node('busy', { cpu: '1', memory: '1Gi' }), node('idle', { cpu: '1', memory: '1Gi' })],
      pods: [on('busy', pod('x')), on('busy', pod('y'))], expect: 'idle' },
    {
      // Equally free on average (37 each); node-b would be used evenly (75%/50% against 62.5%/62.5%).
      name: 'NodeResourcesBalancedAllocation: the node whose cpu and memory are used evenly', pod: pod('p', asking({ cpu: '1', memory: '1Gi' })),
      nodes: [node('node-a', { cpu: '4', memory: '4Gi' }), node('node-b', { cpu: '4', memory: '4Gi' })],
      pods: [on('node-a', pod('x', asking({ cpu: '2', memory: '1Gi' }))), on('node-b', pod('y', asking({ cpu: '1500m', memory: '1536Mi' })))],
      expect: 'node-b',
    },
    { name: 'NodeAffinity: the heavier preferred term wins',
      pod: pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 10, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } },
        { weight: 50, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['b'] }] } },
      ] } } }),
      nodes: [zoned('a-1', 'a'), zoned('b-1', 'b'), node('none')], expect: 'b-1' },
    { name: 'NodeAffinity: a preference outweighs a little free capacity',
      pod: pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      ] } } }),
      nodes: [node('ssd', { labels: { disk: 'ssd' } }), node('big', { cpu: '64', memory: '256Gi' })], expect: 'ssd' },
    { name: 'TaintToleration: avoids PreferNoSchedule taints', pod: pod('p'),
      nodes: [node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }], cpu: '8', memory: '16Gi' }), node('clean')], expect: 'clean' },
    { name: 'TaintToleration: a tolerated PreferNoSchedule taint does not count',
      pod: pod('p', { tolerations: [{ key: 'spot', operator: 'Exists' }] }),
      nodes: [node('soft', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }], cpu: '8', memory: '16Gi' }), node('clean')], expect: 'soft' },
    { name: 'InterPodAffinity: preferred affinity pulls towards a matching pod',
      pod: pod('p', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' } },
      ] } } }),
      nodes: [node('with-cache'), node('empty', { cpu: '64', memory: '256Gi' })], pods: [on('with-cache', pod('cache', {}, { labels: { app: 'cache' } }))],
      expect: 'with-cache' },
    { name: 'InterPodAffinity: preferred anti-affinity pushes away',
      pod: pod('p', { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } },
      ] } } }),
      nodes: [node('with-web', { cpu: '64', memory: '256Gi' }), node('other')], pods: [on('with-web', pod('web', {}, { labels: { app: 'web' } }))],
      expect: 'other' },
    { name: "InterPodAffinity: placed pods' preferences about the incoming pod count too",
      pod: pod('p', {}, { labels: { app: 'client' } }),
      nodes: [node('near'), node('far', { cpu: '64', memory: '256Gi' })],
      pods: [on('near', pod('server', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'client' } }, topologyKey: 'kubernetes.io/hostname' } },
      ] } } }))],
      expect: 'near' },
    {
      // The busy node is far bigger (least-allocated prefers it by 3 points); spreading outweighs that.
      name: 'PodTopologySpread: ScheduleAnyway prefers the node with fewer matching pods',
      pod: pod('p', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] }, { labels: { app: 'web' } }),
      nodes: [node('busy', { cpu: '100', memory: '100Gi' }), node('empty')],
      pods: [on('busy', pod('w1', {}, { labels: { app: 'web' } })), on('busy', pod('w2', {}, { labels: { app: 'web' } }))],
      expect: 'empty',
    },
  ]);
});

describe('scheduling cycle', () => {
  it('evaluates only enough nodes in a big cluster, and starts the next cycle where this one stopped', () => {
    expect(feasibleNodesToFind(50)).toBe(50);
    expect(feasibleNodesToFind(1000)).toBe(420);
    expect(feasibleNodesToFind(5000)).toBe(500);
    expect(feasibleNodesToFind(100_000)).toBe(5000);
    expect(feasibleNodesToFind(200, 30)).toBe(100);
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n-${String(i).padStart(3, '0')}`));
    const snapshot = new ClusterSnapshot(nodes, []);
    const state = newSchedulingState();
    const first = schedulePod(snapshot, pod('a'), state);
    expect(first).toMatchObject({ evaluatedNodes: 144, feasibleNodes: 144 });
    expect(state.nextStartIndex).toBe(144);
    schedulePod(snapshot, pod('b'), state);
    expect(state.nextStartIndex).toBe(288);
  });

  it('checks every node before declaring a pod unschedulable', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n-${i}`, { cpu: '1' }));
    const d = schedulePod(new ClusterSnapshot(nodes, []), pod('p', asking({ cpu: '2' })), newSchedulingState());
    expect(outcome(d)).toBe('0/300 nodes are available: 300 Insufficient cpu. preemption: 0/300 nodes are available: 300 Preemption is not helpful for scheduling.');
  });

  it('sorts reason counts as strings, as kube-scheduler prints them', () => {
    const nodes = [
      ...Array.from({ length: 10 }, (_, i) => node(`cordoned-${i}`, { unschedulable: true })),
      node('small-1', { cpu: '1' }), node('small-2', { cpu: '1' }),
    ];
    expect(place(pod('p', asking({ cpu: '2' })), nodes)).toBe(
      '0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.',
    );
  });

  it('with no nodes at all', () => {
    expect(place(pod('p'), [])).toBe('no nodes available to schedule pods');
  });

  it('preemption: lower-priority pods that could make room mean no preemption message', () => {
    const low = on('node-1', pod('low', asking({ cpu: '3' })));
    const high = pod('high', asking({ cpu: '2' }, { priority: 1000 }));
    expect(place(high, [node('node-1')], [low])).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(place(pod('never', asking({ cpu: '2' }, { priority: 1000, preemptionPolicy: 'Never' })), [node('node-1')], [low]))
      .toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
  });

  it('counts pods assumed during the pass', () => {
    const snapshot = new ClusterSnapshot([node('node-1', { cpu: '2' }), node('node-2', { cpu: '2' })], []);
    const state = newSchedulingState();
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = pod(`p-${i}`, asking({ cpu: '1500m' }));
      const d = schedulePod(snapshot, p, state);
      placed.push(outcome(d));
      if (d.node) snapshot.assume(p, d.node);
    }
    expect(placed.slice(0, 2).sort()).toEqual(['node-1', 'node-2']);
    expect(placed[2]).toBe('0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
  });

  it('spreads equally good nodes by a seeded random choice (the same every run)', () => {
    const nodes = [node('n-1'), node('n-2'), node('n-3')];
    const picks = (seed: number) => {
      const snapshot = new ClusterSnapshot(nodes, []);
      const state = newSchedulingState(seed);
      return Array.from({ length: 3 }, (_, i) => schedulePod(snapshot, pod(`p-${i}`), state).node);
    };
    expect(new Set(picks(1)).size).toBeGreaterThan(0);
    expect(picks(7)).toEqual(picks(7));
  });
});
