// InterPodAffinity: required pod affinity needs a matching pod in the node's topology domain (or, for the
// first of a group that matches its own terms, no matching pod anywhere); required anti-affinity — the
// pod's own, and that of pods already placed — rules out domains holding a matching pod. Preferred terms
// (the pod's, and placed pods' terms about it) add or subtract their weights per domain.
import { MAX_NODE_SCORE, rejection, type Plugin } from '../framework.ts';
import { termMatchesPod, type AffinityTerm, type PodInfo } from '../pod-info.ts';
import type { ClusterSnapshot, Placed } from '../snapshot.ts';

const NAME = 'InterPodAffinity';
const AFFINITY = rejection(NAME, "node(s) didn't match pod affinity rules", false);
const ANTI_AFFINITY = rejection(NAME, "node(s) didn't match pod anti-affinity rules", true);
const EXISTING_ANTI_AFFINITY = rejection(NAME, "node(s) didn't satisfy existing pods anti-affinity rules", true);
/** The weight of a placed pod's required affinity term in scoring (hardPodAffinityWeight). */
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Numbers per topology domain (key, then value): looked up with the nodes' own label strings, no key building. */
class DomainCounts {
  private readonly byKey = new Map<string, Map<string, number>>();

  add(key: string, value: string, by = 1) {
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, values = new Map());
    values.set(value, (values.get(value) ?? 0) + by);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The keys, with their counts by value. */
  entries(): IterableIterator<[string, Map<string, number>]> {
    return this.byKey.entries();
  }
}

/** The namespaces a term of the incoming pod is about: listed ones plus those its selector picks ('all' for `{}`). */
function termNamespaces(term: AffinityTerm, snapshot: ClusterSnapshot): ReadonlySet<string> | 'all' {
  const selector = term.namespaceSelector;
  if (!selector || selector.nothing) return term.namespaces;
  if (selector.empty) return 'all';
  const names = new Set(term.namespaces);
  for (const ns of snapshot.namespaceNames()) if (selector.matches(snapshot.namespaceLabels(ns) ?? {})) names.add(ns);
  return names;
}

/** Calls `fn` for each placed pod an incoming pod's term is about. */
function forEachTermPod(term: AffinityTerm, snapshot: ClusterSnapshot, fn: (p: Placed) => void) {
  const namespaces = termNamespaces(term, snapshot);
  for (const ns of namespaces === 'all' ? snapshot.namespaceNames() : namespaces) snapshot.forEachPod(ns, term.selector, fn);
}

function termSelects(term: AffinityTerm, namespaces: ReadonlySet<string> | 'all', p: PodInfo): boolean {
  return (namespaces === 'all' || namespaces.has(p.namespace)) && term.selector.matches(p.labels);
}

export const interPodAffinity: Plugin = {
  name: NAME,
  weight: 2,
  retryOn: ['NodeAdded', 'NodeUpdated', 'NodeDeleted', 'AssignedPodAdded', 'AssignedPodUpdated', 'AssignedPodDeleted', 'NamespaceUpdated'],
  filter(pod, snapshot) {
    const affinity = pod.requiredAffinity;
    const antiAffinity = pod.requiredAntiAffinity;
    if (!affinity.length && !antiAffinity.length && !snapshot.antiAffinityTerms.size) return undefined;
    const namespaceLabels = snapshot.namespaceLabels(pod.namespace);

    // Domains where a placed pod's anti-affinity is about this pod.
    const existing = new DomainCounts();
    snapshot.antiAffinityTerms.forEachCandidate(pod.labels, ({ placed, term }) => {
      const value = placed.node.labels[term.topologyKey];
      if (value !== undefined && termMatchesPod(term, pod, namespaceLabels)) existing.add(term.topologyKey, value);
    });

    // Domains holding a pod that matches all affinity terms.
    const affinityCounts = new DomainCounts();
    if (affinity.length) {
      const namespaces = affinity.map(t => termNamespaces(t, snapshot));
      forEachTermPod(affinity[0], snapshot, p => {
        if (!affinity.every((t, i) => termSelects(t, namespaces[i], p.info))) return;
        for (const t of affinity) {
          const value = p.node.labels[t.topologyKey];
          if (value !== undefined) affinityCounts.add(t.topologyKey, value);
        }
      });
    }
    // The first pod of a group with affinity to itself may go anywhere its topology keys exist.
    const selfAffine = affinity.length > 0 && affinity.every(t => termMatchesPod(t, pod, namespaceLabels));

    // Domains holding a pod any anti-affinity term matches.
    const antiCounts = new DomainCounts();
    for (const t of antiAffinity) {
      forEachTermPod(t, snapshot, p => {
        const value = p.node.labels[t.topologyKey];
        if (value !== undefined) antiCounts.add(t.topologyKey, value);
      });
    }

    return node => {
      if (affinity.length) {
        let podsExist = true;
        for (const t of affinity) {
          const value = node.labels[t.topologyKey];
          if (value === undefined) return AFFINITY;
          if (!(affinityCounts.get(t.topologyKey, value) > 0)) podsExist = false;
        }
        if (!podsExist && !(affinityCounts.size === 0 && selfAffine)) return AFFINITY;
      }
      if (antiCounts.size) {
        for (const t of antiAffinity) {
          const value = node.labels[t.topologyKey];
          if (value !== undefined && antiCounts.get(t.topologyKey, value) > 0) return ANTI_AFFINITY;
        }
      }
      for (const [key, counts] of existing.entries()) {
        const value = node.labels[key];
        if (value !== undefined && (counts.get(value) ?? 0) > 0) return EXISTING_ANTI_AFFINITY;
      }
      return undefined;
    };
  },
  score(pod, snapshot) {
    // Per topology key and value: the summed weights of the terms that tie this pod to pods there.
    const byDomain = new DomainCounts();
    for (const [terms, sign] of [[pod.preferredAffinity, 1], [pod.preferredAntiAffinity, -1]] as const) {
      for (const t of terms) {
        forEachTermPod(t, snapshot, p => {
          const value = p.node.labels[t.topologyKey];
          if (value !== undefined) byDomain.add(t.topologyKey, value, sign * t.weight);
        });
      }
    }
    const namespaceLabels = snapshot.namespaceLabels(pod.namespace);
    snapshot.affinityTerms.forEachCandidate(pod.labels, ({ placed, term, kind }) => {
      const value = placed.node.labels[term.topologyKey];
      if (value === undefined || !termMatchesPod(term, pod, namespaceLabels)) return;
      byDomain.add(term.topologyKey, value, kind === 'requiredAffinity' ? HARD_POD_AFFINITY_WEIGHT : kind === 'preferredAffinity' ? term.weight : -term.weight);
    });
    if (!byDomain.size) return undefined;
    return {
      score(node) {
        let sum = 0;
        for (const [key, values] of byDomain.entries()) {
          const value = node.labels[key];
          if (value !== undefined) sum += values.get(value) ?? 0;
        }
        return sum;
      },
      normalize(scores) {
        let min = Infinity;
        let max = -Infinity;
        for (const s of scores) { min = Math.min(min, s); max = Math.max(max, s); }
        const range = max - min;
        for (let i = 0; i < scores.length; i++) scores[i] = range > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i] - min)) / range) : 0;
      },
    };
  },
};
