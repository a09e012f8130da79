// What the scheduler needs to know about a pod, worked out once per pod object (informer objects are
// replaced on change, so a WeakMap keyed by the object never goes stale): requests, host ports,
// tolerations, node affinity, pod (anti-)affinity terms and topology spread constraints.
import type { KubeObject } from '../../api/registry/types.ts';
import { podRequests, NON_ZERO_DEFAULTS, type Amounts } from './resources.ts';
import {
  compileLabelSelector, compileNodeLabels, compileNodeSelector, compileNodeSelectorTerm, withLabels, type LabelSelector, type NodePredicate,
} from './selectors.ts';
import type { Toleration } from './taints.ts';

type Labels = Record<string, string>;

export interface HostPort { ip: string; protocol: string; port: number }

/** A pod (anti-)affinity term: which pods (namespaces and labels) it is about, and at what topology. */
export interface AffinityTerm {
  selector: LabelSelector;
  /** The namespaces listed, or the pod's own when neither they nor a namespace selector are given. */
  namespaces: ReadonlySet<string>;
  /** undefined: no namespace selector (matches no namespace); an empty selector matches them all. */
  namespaceSelector: LabelSelector | undefined;
  topologyKey: string;
  /** For preferred terms. */
  weight: number;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  selector: LabelSelector;
  minDomains: number | undefined;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

export interface PodInfo {
  pod: KubeObject;
  namespace: string;
  name: string;
  labels: Labels;
  priority: number;
  /** Finished (Succeeded/Failed): holds nothing on its node. */
  terminal: boolean;
  deleting: boolean;
  /** Effective requests, for fit and balanced allocation. */
  requests: Amounts;
  /** Requests with defaults for missing cpu/memory, for least-allocated scoring. */
  nonZeroCpu: number;
  nonZeroMemory: number;
  hostPorts: HostPort[];
  tolerations: Toleration[];
  /** spec.nodeSelector and required node affinity together; undefined when the pod has neither. */
  nodeMatches: NodePredicate | undefined;
  preferredNodeTerms: { weight: number; matches: NodePredicate }[];
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
  spreadConstraints: SpreadConstraint[];
}

const cache = new WeakMap<object, PodInfo>();

export function podInfoOf(pod: KubeObject): PodInfo {
  let info = cache.get(pod);
  if (!info) cache.set(pod, info = build(pod));
  return info;
}

function build(pod: KubeObject): PodInfo {
  const spec = pod.spec ?? {};
  const namespace: string = pod.metadata?.namespace ?? '';
  const labels: Labels = pod.metadata?.labels ?? {};
  const requests = podRequests(spec);
  const nonZero = podRequests(spec, NON_ZERO_DEFAULTS);
  const affinity = spec.affinity ?? {};
  const terms = (list: any[] | undefined, weighted: boolean) => (list ?? []).map(t => affinityTerm(weighted ? t.podAffinityTerm : t, namespace, weighted ? t.weight : 0));
  const phase = pod.status?.phase;
  return {
    pod,
    namespace,
    name: pod.metadata?.name ?? '',
    labels,
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    terminal: phase === 'Succeeded' || phase === 'Failed',
    deleting: !!pod.metadata?.deletionTimestamp,
    requests,
    nonZeroCpu: nonZero.get('cpu') ?? 0,
    nonZeroMemory: nonZero.get('memory') ?? 0,
    hostPorts: hostPortsOf(spec),
    tolerations: spec.tolerations ?? [],
    nodeMatches: requiredNodeMatcher(spec),
    preferredNodeTerms: (affinity.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((p: any) => ({ weight: p.weight ?? 0, matches: compileNodeSelectorTerm(p.preference) })),
    requiredAffinity: terms(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false),
    requiredAntiAffinity: terms(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false),
    preferredAffinity: terms(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true),
    preferredAntiAffinity: terms(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true),
    spreadConstraints: (spec.topologySpreadConstraints ?? []).map((c: any) => spreadConstraint(c, labels)),
  };
}

/** Host ports of the app containers; protocol TCP and IP 0.0.0.0 unless given. */
function hostPortsOf(spec: any): HostPort[] {
  const ports: HostPort[] = [];
  for (const c of spec.containers ?? []) {
    for (const p of c?.ports ?? []) {
      if (p?.hostPort > 0) ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

function requiredNodeMatcher(spec: any): NodePredicate | undefined {
  const parts: NodePredicate[] = [];
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length) parts.push(compileNodeLabels(spec.nodeSelector));
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) parts.push(compileNodeSelector(required));
  if (!parts.length) return undefined;
  if (parts.length === 1) return parts[0];
  return n => parts[0](n) && parts[1](n);
}

function affinityTerm(term: any, ownNamespace: string, weight: number): AffinityTerm {
  const listed: string[] = term?.namespaces ?? [];
  const namespaceSelector = term?.namespaceSelector ? compileLabelSelector(term.namespaceSelector) : undefined;
  return {
    selector: compileLabelSelector(term?.labelSelector),
    namespaces: new Set(listed.length || namespaceSelector ? listed : [ownNamespace]),
    namespaceSelector,
    topologyKey: term?.topologyKey ?? '',
    weight,
  };
}

function spreadConstraint(c: any, podLabels: Labels): SpreadConstraint {
  // matchLabelKeys: the pod's own values for those keys narrow the selector.
  const extra: Labels = {};
  for (const key of c.matchLabelKeys ?? []) if (Object.prototype.hasOwnProperty.call(podLabels, key)) extra[key] = podLabels[key];
  return {
    maxSkew: c.maxSkew ?? 1,
    topologyKey: c.topologyKey ?? '',
    whenUnsatisfiable: c.whenUnsatisfiable === 'ScheduleAnyway' ? 'ScheduleAnyway' : 'DoNotSchedule',
    selector: withLabels(compileLabelSelector(c.labelSelector), extra),
    minDomains: typeof c.minDomains === 'number' ? c.minDomains : undefined,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

/** Whether an affinity term (of some pod) is about `pod`, given the labels of `pod`'s namespace. */
export function termMatchesPod(term: AffinityTerm, pod: PodInfo, namespaceLabels: Labels | undefined): boolean {
  if (!term.namespaces.has(pod.namespace) && !term.namespaceSelector?.matches(namespaceLabels ?? {})) return false;
  return term.selector.matches(pod.labels);
}
