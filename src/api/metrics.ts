// metrics.k8s.io/v1beta1 computed as metrics-server would scrape it: the simulated usage of the running
// containers of running pods on ready simulated nodes, and each such node's usage as the sum of its pods
// plus what the node's own system takes. Nothing is stored; every request computes the answer afresh.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1';
import type { Api, RequestScope } from './api.ts';
import type { KubeObject } from './registry/types.ts';
import type { VirtualRequest, VirtualResource } from './virtual.ts';
import { StatusError, notFound } from './errors.ts';
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from './registry/quantity.ts';
import { rfc3339 } from '../util/time.ts';
import { containerUsage, isSimulatedNode } from '../reconcilers/kubelet/conventions.ts';

const API_VERSION = 'metrics.k8s.io/v1beta1';
/** The span a sample covers; metrics-server's scrape interval is of this order. */
const WINDOW = '15s';
/** What a node uses beyond its pods: kubelet, container runtime, system daemons. */
const NODE_OVERHEAD = { cpu: '100m', memory: '256Mi' };

type Usage = Map<string, Quantity>;

function add(total: Usage, usage: Record<string, unknown>) {
  for (const [resource, value] of Object.entries(usage)) {
    const q = parseQuantity(value);
    if (!q) continue;
    const sum = total.get(resource);
    total.set(resource, sum ? addQuantities(sum, q) : q);
  }
}

const show = (usage: Usage) => Object.fromEntries([...usage].map(([r, q]) => [r, formatQuantity(q)]));

const isReady = (node: Node) => node.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false;

/** The containers a sample sees: those running now. */
function runningContainers(pod: Pod): Container[] {
  const running = new Set((pod.status?.containerStatuses ?? []).filter(s => s.state?.running).map(s => s.name));
  return (pod.spec?.containers ?? []).filter(c => running.has(c.name));
}

/** What is measured, for one request: the ready simulated nodes and the clock. */
class Sampler {
  private readonly podsDef;
  private readonly nodesDef;
  /** When the sample is taken: its timestamp, and the creation time metrics-server gives the objects. */
  readonly now: string;

  constructor(private readonly api: Api, private readonly scope: RequestScope) {
    this.podsDef = api.catalog.find('', 'v1', 'pods')!;
    this.nodesDef = api.catalog.find('', 'v1', 'nodes')!;
    this.now = rfc3339(api.clock.now());
  }

  async nodes(labelSelector?: string, fieldSelector?: string): Promise<Node[]> {
    const list = await this.api.list(this.scope, { def: this.nodesDef }, { labelSelector, fieldSelector });
    return (list.items as Node[]).filter(n => isSimulatedNode(n) && isReady(n));
  }

  async pods(namespace?: string, labelSelector?: string, fieldSelector?: string): Promise<Pod[]> {
    return (await this.api.list(this.scope, { def: this.podsDef, namespace }, { labelSelector, fieldSelector })).items as Pod[];
  }

  /** Pods a scrape of these nodes reports: running on one of them, with a container running. */
  measured(pods: Pod[], nodes: Node[]): Pod[] {
    const names = new Set(nodes.map(n => n.metadata!.name));
    return pods.filter(p => p.status?.phase === 'Running' && names.has(p.spec?.nodeName ?? '') && runningContainers(p).length > 0);
  }

  podMetrics(pod: Pod): KubeObject {
    const { name, namespace, labels } = pod.metadata!;
    return {
      metadata: { name, namespace, creationTimestamp: this.now, ...(labels ? { labels } : {}) },
      timestamp: this.now,
      window: WINDOW,
      containers: runningContainers(pod).map(c => {
        const usage: Usage = new Map();
        add(usage, containerUsage(pod, c));
        return { name: c.name, usage: show(usage) };
      }),
    };
  }

  nodeMetrics(node: Node, pods: Pod[]): KubeObject {
    const { name, labels } = node.metadata!;
    const usage: Usage = new Map();
    add(usage, NODE_OVERHEAD);
    for (const pod of pods.filter(p => p.spec?.nodeName === name)) {
      for (const c of runningContainers(pod)) add(usage, containerUsage(pod, c));
    }
    return {
      metadata: { name, creationTimestamp: this.now, ...(labels ? { labels } : {}) },
      timestamp: this.now,
      window: WINDOW,
      usage: show(usage),
    };
  }
}

const list = (kind: string, items: KubeObject[]) => ({ kind, apiVersion: API_VERSION, metadata: {}, items });

async function orNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
}

/** podmetrics: namespaced (or across namespaces), with the pods' label and field selectors. */
export function podMetrics(api: Api): VirtualResource {
  return {
    async list(scope, req: VirtualRequest) {
      const s = new Sampler(api, scope);
      const pods = s.measured(await s.pods(req.namespace, req.labelSelector, req.fieldSelector), await s.nodes());
      return list('PodMetricsList', pods.map(p => s.podMetrics(p)));
    },
    async get(scope, name, req: VirtualRequest) {
      const s = new Sampler(api, scope);
      const pod = await orNotFound(api.get(scope, { def: api.catalog.find('', 'v1', 'pods')!, namespace: req.namespace, name }) as Promise<Pod>);
      const measured = pod && s.measured([pod], await s.nodes())[0];
      if (!measured) throw notFound({ group: 'metrics.k8s.io', resource: 'podmetrics' }, `${req.namespace}/${name}`);
      return { kind: 'PodMetrics', apiVersion: API_VERSION, ...s.podMetrics(measured) };
    },
  };
}

/** nodemetrics: cluster-wide, with the nodes' label and field selectors. */
export function nodeMetrics(api: Api): VirtualResource {
  return {
    async list(scope, req: VirtualRequest) {
      const s = new Sampler(api, scope);
      const nodes = await s.nodes(req.labelSelector, req.fieldSelector);
      const pods = s.measured(await s.pods(), nodes);
      return list('NodeMetricsList', nodes.map(n => s.nodeMetrics(n, pods)));
    },
    async get(scope, name) {
      const s = new Sampler(api, scope);
      const [node] = await s.nodes(undefined, `metadata.name=${name}`);
      if (!node) throw notFound({ group: 'metrics.k8s.io', resource: 'nodemetrics' }, name);
      const pods = s.measured(await s.pods(undefined, undefined, `spec.nodeName=${name}`), [node]);
      return { kind: 'NodeMetrics', apiVersion: API_VERSION, ...s.nodeMetrics(node, pods) };
    },
  };
}
