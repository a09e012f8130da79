// DefaultTolerationSeconds admission: a new pod tolerates a not-ready or unreachable node for 5 minutes
// unless it says otherwise, so a node's short outage does not evict everything on it at once.
import type { KubeObject } from '../registry/types.ts';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** kube-apiserver's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether an existing toleration already covers the NoExecute taint `key` (an empty key or effect matches all). */
function covers(toleration: any, key: string): boolean {
  return (!toleration?.key || toleration.key === key) && (!toleration?.effect || toleration.effect === 'NoExecute');
}

/** Adds the two default tolerations a pod lacks (on create only, as upstream). */
export function addDefaultTolerations(pod: KubeObject): void {
  const spec = (pod.spec ??= {});
  const tolerations: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  const added = [NOT_READY_TAINT, UNREACHABLE_TAINT]
    .filter(key => !tolerations.some(t => covers(t, key)))
    .map(key => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  if (added.length) spec.tolerations = [...tolerations, ...added];
}
