// NodeAffinity: spec.nodeSelector and required node affinity rule nodes out; preferred terms add their
// weights to the nodes they match.
import { normalizeToMax, rejection, type Plugin } from '../framework.ts';

const NAME = 'NodeAffinity';
const NO_MATCH = rejection(NAME, "node(s) didn't match Pod's node affinity/selector", false);

export const nodeAffinity: Plugin = {
  name: NAME,
  weight: 2,
  retryOn: ['NodeAdded', 'NodeUpdated'],
  filter(pod) {
    const matches = pod.nodeMatches;
    if (!matches) return undefined;
    return node => (matches(node) ? undefined : NO_MATCH);
  },
  score(pod) {
    const terms = pod.preferredNodeTerms;
    if (!terms.length) return undefined;
    return {
      score(node) {
        let sum = 0;
        for (const t of terms) if (t.matches(node)) sum += t.weight;
        return sum;
      },
      normalize: scores => normalizeToMax(scores),
    };
  },
};
