// TaintToleration: NoSchedule/NoExecute taints the pod does not tolerate rule a node out; untolerated
// PreferNoSchedule taints make it less attractive (fewer is better).
import { normalizeToMax, type Plugin, type Rejection } from '../framework.ts';
import { BLOCKING_EFFECTS, firstUntolerated, isTolerated, type Taint } from '../taints.ts';

const NAME = 'TaintToleration';
const rejections = new Map<string, Rejection>();

function untolerated(taint: Taint): Rejection {
  const reason = `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  let r = rejections.get(reason);
  if (!r) rejections.set(reason, r = { plugin: NAME, reasons: [reason], resolvable: false });
  return r;
}

export const taintToleration: Plugin = {
  name: NAME,
  weight: 3,
  retryOn: ['NodeAdded', 'NodeUpdated'],
  filter(pod) {
    return node => {
      if (!node.taints.length) return undefined;
      const taint = firstUntolerated(node.taints, pod.tolerations, BLOCKING_EFFECTS);
      return taint ? untolerated(taint) : undefined;
    };
  },
  score(pod) {
    const tolerations = pod.tolerations.filter(t => !t.effect || t.effect === 'PreferNoSchedule');
    return {
      score(node) {
        let count = 0;
        for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !isTolerated(tolerations, taint)) count++;
        return count;
      },
      normalize: scores => normalizeToMax(scores, true),
    };
  },
};
