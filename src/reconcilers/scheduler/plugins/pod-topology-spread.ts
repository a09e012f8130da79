// PodTopologySpread: DoNotSchedule constraints rule out nodes whose domain would exceed maxSkew over the
// least loaded eligible domain; ScheduleAnyway constraints prefer the domains with the fewest matching pods.
// Eligible domains come from nodes that carry the topology keys and pass the node inclusion policies
// (nodeAffinityPolicy Honor and nodeTaintsPolicy Ignore by default). Matching pods are counted in the
// pod's namespace, leaving out pods being deleted.
import { MAX_NODE_SCORE, rejection, type Plugin } from '../framework.ts';
import type { PodInfo, SpreadConstraint } from '../pod-info.ts';
import type { ClusterSnapshot, NodeInfo } from '../snapshot.ts';
import { BLOCKING_EFFECTS, firstUntolerated } from '../taints.ts';

const NAME = 'PodTopologySpread';
const SKEWED = rejection(NAME, "node(s) didn't match pod topology spread constraints", true);
const MISSING_LABEL = rejection(NAME, "node(s) didn't match pod topology spread constraints (missing required label)", false);
const HOSTNAME = 'kubernetes.io/hostname';
/** The global minimum when there is no eligible domain at all (math.MaxInt32 upstream). */
const NO_DOMAINS_MIN = 2 ** 31 - 1;

const hasKey = (node: NodeInfo, key: string) => Object.prototype.hasOwnProperty.call(node.labels, key);
// Loops rather than callbacks in what runs per node: every closure costs (tsx keeps function names).
function hasAllKeys(node: NodeInfo, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (!hasKey(node, c.topologyKey)) return false;
  return true;
}

/** Per constraint: which nodes count as its domains (by node index), and the domain values they give. */
interface Domains { eligible: Uint8Array[]; values: Set<string>[] }

/** The eligible domains; the same for every pod asking with the same constraints, selector and tolerations. */
function domainsOf(pod: PodInfo, snapshot: ClusterSnapshot, constraints: readonly SpreadConstraint[]): Domains {
  const spec = pod.pod.spec ?? {};
  const honorsAffinity = constraints.some(c => c.honorNodeAffinity) && pod.nodeMatches;
  const honorsTaints = constraints.some(c => c.honorNodeTaints);
  const memoKey = `${NAME}:${JSON.stringify([
    constraints.map(c => [c.topologyKey, c.honorNodeAffinity, c.honorNodeTaints]),
    honorsAffinity ? [spec.nodeSelector, spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution] : null,
    honorsTaints ? spec.tolerations : null,
  ])}`;
  const cached = snapshot.memo.get(memoKey) as Domains | undefined;
  if (cached) return cached;
  const n = snapshot.nodes.length;
  const domains: Domains = { eligible: constraints.map(() => new Uint8Array(n)), values: constraints.map(() => new Set()) };
  for (const node of snapshot.nodes) {
    if (!hasAllKeys(node, constraints)) continue;
    const matchesAffinity = pod.nodeMatches ? pod.nodeMatches(node) : true;
    const toleratesTaints = !honorsTaints || !firstUntolerated(node.taints, pod.tolerations, BLOCKING_EFFECTS);
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if ((c.honorNodeAffinity && !matchesAffinity) || (c.honorNodeTaints && !toleratesTaints)) continue;
      domains.eligible[i][node.index] = 1;
      domains.values[i].add(node.labels[c.topologyKey]);
    }
  }
  snapshot.memo.set(memoKey, domains);
  return domains;
}

/** Calls `fn` for each pod the constraint counts (an empty selector counts none, as upstream). */
function forEachCounted(pod: PodInfo, snapshot: ClusterSnapshot, c: SpreadConstraint, fn: (node: NodeInfo) => void) {
  if (c.selector.empty) return;
  snapshot.forEachPod(pod.namespace, c.selector, p => { if (!p.info.deleting) fn(p.node); });
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export const podTopologySpread: Plugin = {
  name: NAME,
  weight: 2,
  retryOn: ['NodeAdded', 'NodeUpdated', 'NodeDeleted', 'AssignedPodAdded', 'AssignedPodUpdated', 'AssignedPodDeleted'],
  filter(pod, snapshot) {
    const constraints = pod.spreadConstraints.filter(c => c.whenUnsatisfiable === 'DoNotSchedule');
    if (!constraints.length) return undefined;
    const domains = domainsOf(pod, snapshot, constraints);
    const counts = constraints.map((c, i) => {
      const m = new Map<string, number>();
      forEachCounted(pod, snapshot, c, node => { if (domains.eligible[i][node.index]) bump(m, node.labels[c.topologyKey]); });
      return m;
    });
    const minimum = constraints.map((c, i) => {
      const domainCount = domains.values[i].size;
      if (c.minDomains !== undefined && domainCount < c.minDomains) return 0;
      if (domainCount === 0) return NO_DOMAINS_MIN;
      if (counts[i].size < domainCount) return 0;
      return Math.min(...counts[i].values());
    });
    const selfMatch = constraints.map(c => (c.selector.matches(pod.labels) ? 1 : 0));
    return node => {
      if (!hasAllKeys(node, constraints)) return MISSING_LABEL;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        const skew = (counts[i].get(node.labels[c.topologyKey]) ?? 0) + selfMatch[i] - minimum[i];
        if (skew > c.maxSkew) return SKEWED;
      }
      return undefined;
    };
  },
  score(pod, snapshot, feasible) {
    const constraints = pod.spreadConstraints.filter(c => c.whenUnsatisfiable === 'ScheduleAnyway');
    if (!constraints.length) return undefined;
    // Nodes without every topology key are not scored (and get 0).
    const ignored = new Set(feasible.filter(n => !hasAllKeys(n, constraints)));
    const domains = domainsOf(pod, snapshot, constraints);
    // Pods are counted in the domains of the feasible nodes; per node for the hostname key.
    const counts = constraints.map(c => {
      const m = new Map<string, number>();
      if (c.topologyKey !== HOSTNAME) for (const n of feasible) if (!ignored.has(n)) m.set(n.labels[c.topologyKey], 0);
      return m;
    });
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME ? feasible.length - ignored.size : counts[i].size) + 2));
    const perNode = constraints.map(() => new Map<NodeInfo, number>());
    constraints.forEach((c, i) => forEachCounted(pod, snapshot, c, node => {
      if (c.topologyKey === HOSTNAME) perNode[i].set(node, (perNode[i].get(node) ?? 0) + 1);
      else if (domains.eligible[i][node.index] && counts[i].has(node.labels[c.topologyKey])) bump(counts[i], node.labels[c.topologyKey]);
    }));
    return {
      score(node) {
        if (ignored.has(node)) return 0;
        let sum = 0;
        for (let i = 0; i < constraints.length; i++) {
          const c = constraints[i];
          if (!hasKey(node, c.topologyKey)) continue;
          const count = c.topologyKey === HOSTNAME ? (perNode[i].get(node) ?? 0) : (counts[i].get(node.labels[c.topologyKey]) ?? 0);
          // maxSkew - 1 waters differences down: a larger allowed skew makes the score more tolerant.
          sum += count * weights[i] + (c.maxSkew - 1);
        }
        return Math.round(sum);
      },
      // Fewer matching pods is better: the emptiest domain scores MAX_NODE_SCORE.
      normalize(scores, nodes) {
        let min = Infinity;
        let max = 0;
        for (let i = 0; i < nodes.length; i++) {
          if (ignored.has(nodes[i])) continue;
          min = Math.min(min, scores[i]);
          max = Math.max(max, scores[i]);
        }
        for (let i = 0; i < nodes.length; i++) {
          scores[i] = ignored.has(nodes[i]) ? 0 : max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
        }
      },
    };
  },
};
