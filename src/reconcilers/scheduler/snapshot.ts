// The cluster as one scheduling pass sees it (the scheduler cache's snapshot): per node, what its pods
// already hold (requests, host ports, pod count), and the placed pods indexed by namespace and label for
// affinity and spreading. Built once per pass, then kept current as the pass assumes pods onto nodes.
import type { KubeObject } from '../../api/registry/types.ts';
import { amountOf } from './resources.ts';
import { podInfoOf, type AffinityTerm, type HostPort, type PodInfo } from './pod-info.ts';
import type { LabelSelector } from './selectors.ts';
import type { Taint } from './taints.ts';

type Labels = Record<string, string>;

/** A pod on a node, as this pass counts it. */
export interface Placed { info: PodInfo; node: NodeInfo }

export type TermKind = 'requiredAffinity' | 'requiredAntiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

/** A pod (anti-)affinity term of a placed pod: it weighs on the incoming pods it selects. */
export interface PlacedTerm { placed: Placed; term: AffinityTerm; kind: TermKind }

export class NodeInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly taints: Taint[];
  readonly unschedulable: boolean;
  readonly allocatableCpu: number;
  readonly allocatableMemory: number;
  readonly allocatableEphemeralStorage: number;
  readonly allowedPods: number;
  /** Other allocatable resources (extended resources, hugepages). */
  readonly allocatableScalars: Map<string, number>;
  requestedCpu = 0;
  requestedMemory = 0;
  requestedEphemeralStorage = 0;
  readonly requestedScalars = new Map<string, number>();
  /** Requests counting best-effort containers at the default amounts (least-allocated scoring). */
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  readonly pods: Placed[] = [];
  readonly usedPorts: HostPort[] = [];

  constructor(readonly node: KubeObject, readonly index: number) {
    this.name = node.metadata?.name ?? '';
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = !!node.spec?.unschedulable;
    const allocatable: Record<string, unknown> = node.status?.allocatable ?? {};
    this.allocatableCpu = amountOf('cpu', allocatable.cpu);
    this.allocatableMemory = amountOf('memory', allocatable.memory);
    this.allocatableEphemeralStorage = amountOf('ephemeral-storage', allocatable['ephemeral-storage']);
    this.allowedPods = amountOf('pods', allocatable.pods);
    this.allocatableScalars = new Map();
    for (const [name, q] of Object.entries(allocatable)) {
      if (!['cpu', 'memory', 'ephemeral-storage', 'pods'].includes(name)) this.allocatableScalars.set(name, amountOf(name, q));
    }
  }

  add(p: Placed, sign: 1 | -1 = 1) {
    const info = p.info;
    for (const [name, amount] of info.requests) {
      const a = sign * amount;
      if (name === 'cpu') this.requestedCpu += a;
      else if (name === 'memory') this.requestedMemory += a;
      else if (name === 'ephemeral-storage') this.requestedEphemeralStorage += a;
      else if (name !== 'pods') this.requestedScalars.set(name, (this.requestedScalars.get(name) ?? 0) + a);
    }
    this.nonZeroCpu += sign * info.nonZeroCpu;
    this.nonZeroMemory += sign * info.nonZeroMemory;
    if (sign === 1) {
      this.pods.push(p);
      for (const port of info.hostPorts) this.usedPorts.push(port);
    } else {
      this.pods.splice(this.pods.indexOf(p), 1);
      for (const port of info.hostPorts) this.usedPorts.splice(this.usedPorts.indexOf(port), 1);
    }
  }

  /** A copy without some of its pods (what preemption would leave). */
  without(victims: ReadonlySet<Placed>): NodeInfo {
    const copy = new NodeInfo(this.node, this.index);
    for (const p of this.pods) if (!victims.has(p)) copy.add({ info: p.info, node: copy });
    return copy;
  }
}

/** Placed pods of one namespace, by label, so selectors touch only the pods they may match. */
class NamespacePods {
  readonly all = new Set<Placed>();
  readonly byLabel = new Map<string, Map<string, Set<Placed>>>();

  add(p: Placed) {
    this.all.add(p);
    for (const [k, v] of Object.entries(p.info.labels)) {
      let byValue = this.byLabel.get(k);
      if (!byValue) this.byLabel.set(k, byValue = new Map());
      let set = byValue.get(v);
      if (!set) byValue.set(v, set = new Set());
      set.add(p);
    }
  }

  remove(p: Placed) {
    this.all.delete(p);
    for (const [k, v] of Object.entries(p.info.labels)) this.byLabel.get(k)?.get(v)?.delete(p);
  }

  /**
   * The smallest candidate sets an `In` or `Exists` requirement allows, and whether they are exactly the
   * selector's pods (it has no other requirement).
   */
  candidates(selector: LabelSelector): { sets: Iterable<Placed>[]; exact: boolean } {
    let sets: Iterable<Placed>[] = [this.all];
    let bestSize = this.all.size;
    let exact = selector.requirements.length === 0;
    for (const r of selector.requirements) {
      if (r.operator !== 'In' && r.operator !== 'Exists') continue;
      const byValue = this.byLabel.get(r.key);
      if (!byValue) return { sets: [], exact: true };
      const found: Set<Placed>[] = [];
      let size = 0;
      if (r.operator === 'In') {
        for (const v of r.values) { const set = byValue.get(v); if (set) { found.push(set); size += set.size; } }
      } else {
        for (const set of byValue.values()) { found.push(set); size += set.size; }
      }
      if (size < bestSize) { sets = found; bestSize = size; exact = selector.requirements.length === 1; }
    }
    return { sets, exact };
  }
}

/**
 * Placed pods' terms by a label their selector requires (`key In values`), so an incoming pod meets only
 * the terms that can select it; terms without such a requirement are checked against every pod.
 */
class TermIndex {
  private readonly byLabel = new Map<string, Map<string, Set<PlacedTerm>>>();
  private readonly unindexed = new Set<PlacedTerm>();
  size = 0;

  add(t: PlacedTerm) {
    if (t.term.selector.nothing) return;
    this.size++;
    const r = t.term.selector.requirements.find(r => r.operator === 'In');
    if (!r) { this.unindexed.add(t); return; }
    let byValue = this.byLabel.get(r.key);
    if (!byValue) this.byLabel.set(r.key, byValue = new Map());
    for (const v of r.values) {
      let set = byValue.get(v);
      if (!set) byValue.set(v, set = new Set());
      set.add(t);
    }
  }

  remove(t: PlacedTerm) {
    if (t.term.selector.nothing) return;
    this.size--;
    this.unindexed.delete(t);
    const r = t.term.selector.requirements.find(r => r.operator === 'In');
    if (r) for (const v of r.values) this.byLabel.get(r.key)?.get(v)?.delete(t);
  }

  /** Calls `fn` for each term whose label selector may select a pod with these labels (namespaces unchecked). */
  forEachCandidate(labels: Labels, fn: (t: PlacedTerm) => void) {
    for (const key in labels) {
      const set = this.byLabel.get(key)?.get(labels[key]);
      if (set) for (const t of set) fn(t);
    }
    for (const t of this.unindexed) fn(t);
  }
}

const TERM_KINDS: readonly TermKind[] = ['requiredAffinity', 'requiredAntiAffinity', 'preferredAffinity', 'preferredAntiAffinity'];

const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const labelOf = (labels: Labels, keys: string[]) => keys.map(k => labels[k]).find(v => v !== undefined) ?? '';

/** Nodes ordered round-robin across zones (the scheduler's node tree), so a partial scan covers every zone. */
function zoneInterleaved(nodes: KubeObject[]): KubeObject[] {
  const zones = new Map<string, KubeObject[]>();
  const sorted = [...nodes].sort((a, b) => (a.metadata!.name < b.metadata!.name ? -1 : 1));
  for (const n of sorted) {
    const labels = n.metadata?.labels ?? {};
    const zone = `${labelOf(labels, REGION_LABELS)}:\u0000:${labelOf(labels, ZONE_LABELS)}`;
    let list = zones.get(zone);
    if (!list) zones.set(zone, list = []);
    list.push(n);
  }
  if (zones.size <= 1) return sorted;
  const lists = [...zones.values()];
  const out: KubeObject[] = [];
  for (let i = 0; out.length < sorted.length; i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

export class ClusterSnapshot {
  readonly nodes: NodeInfo[];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly namespaceLabelsByName = new Map<string, Labels>();
  private readonly podsByNamespace = new Map<string, NamespacePods>();
  /** Placed pods' required anti-affinity terms (which filter incoming pods they select). */
  readonly antiAffinityTerms = new TermIndex();
  /** Placed pods' other affinity terms (which score incoming pods they select). */
  readonly affinityTerms = new TermIndex();
  private readonly termsOf = new Map<Placed, PlacedTerm[]>();
  /** Work shared by pods that ask the same question of the same nodes within the pass. */
  readonly memo = new Map<string, unknown>();

  constructor(nodes: readonly KubeObject[], pods: readonly KubeObject[], namespaces: readonly KubeObject[] = []) {
    this.nodes = zoneInterleaved(nodes as KubeObject[]).map((n, i) => new NodeInfo(n, i));
    for (const n of this.nodes) this.byName.set(n.name, n);
    for (const ns of namespaces) this.namespaceLabelsByName.set(ns.metadata?.name ?? '', ns.metadata?.labels ?? {});
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName) continue;
      const node = this.byName.get(nodeName);
      const info = podInfoOf(pod);
      // Finished pods free their node; pods on nodes that are gone hold nothing.
      if (node && !info.terminal) this.place(info, node);
    }
  }

  node(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  namespaceLabels(namespace: string): Labels | undefined {
    return this.namespaceLabelsByName.get(namespace);
  }

  namespaceNames(): Iterable<string> {
    return new Set([...this.namespaceLabelsByName.keys(), ...this.podsByNamespace.keys()]);
  }

  /** Counts the pod on the node from now on (before the binding is confirmed, as kube-scheduler assumes). */
  assume(pod: KubeObject, nodeName: string): Placed {
    const node = this.byName.get(nodeName);
    if (!node) throw new Error(`no node ${nodeName} in the snapshot`);
    return this.place(podInfoOf(pod), node);
  }

  /** Undoes an assumption whose binding failed. */
  forget(p: Placed) {
    p.node.add(p, -1);
    this.podsByNamespace.get(p.info.namespace)?.remove(p);
    for (const t of this.termsOf.get(p) ?? []) this.termIndexFor(t.kind).remove(t);
    this.termsOf.delete(p);
  }

  /** Calls `fn` for each placed pod in the namespace that the selector selects. */
  forEachPod(namespace: string, selector: LabelSelector, fn: (p: Placed) => void) {
    if (selector.nothing) return;
    const pods = this.podsByNamespace.get(namespace);
    if (!pods) return;
    const { sets, exact } = pods.candidates(selector);
    for (const set of sets) for (const p of set) if (exact || selector.matches(p.info.labels)) fn(p);
  }

  private place(info: PodInfo, node: NodeInfo): Placed {
    const p: Placed = { info, node };
    node.add(p);
    let pods = this.podsByNamespace.get(info.namespace);
    if (!pods) this.podsByNamespace.set(info.namespace, pods = new NamespacePods());
    pods.add(p);
    for (const kind of TERM_KINDS) {
      if (!info[kind].length) continue;
      let terms = this.termsOf.get(p);
      if (!terms) this.termsOf.set(p, terms = []);
      for (const term of info[kind]) {
        const t: PlacedTerm = { placed: p, term, kind };
        terms.push(t);
        this.termIndexFor(kind).add(t);
      }
    }
    return p;
  }

  private termIndexFor(kind: TermKind): TermIndex {
    return kind === 'requiredAntiAffinity' ? this.antiAffinityTerms : this.affinityTerms;
  }
}
