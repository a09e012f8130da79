// Taints as the node lifecycle controller and the taint eviction controller read them: which taints a
// node's conditions call for (TaintNodesByCondition, taint-based eviction), and which taints a pod tolerates.
import type { KubeObject } from '../../api/registry/types.ts';
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '../../api/admission/default-tolerations.ts';
import { rfc3339 } from '../../util/time.ts';

export interface Taint { key: string; value?: string; effect: string; timeAdded?: string }
export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number | null }

export { NOT_READY_TAINT, UNREACHABLE_TAINT };

/** NoSchedule taints a condition in a given status calls for. */
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: { False: NOT_READY_TAINT, Unknown: UNREACHABLE_TAINT },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
};
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** The taints this controller owns: it adds and removes only these, leaving everyone else's alone. */
const MANAGED = new Set([
  ...Object.values(CONDITION_TAINTS).flatMap(m => Object.values(m)).map(k => `${k}:NoSchedule`),
  `${UNSCHEDULABLE_TAINT}:NoSchedule`,
  `${NOT_READY_TAINT}:NoExecute`,
  `${UNREACHABLE_TAINT}:NoExecute`,
]);

const id = (t: { key?: string; effect?: string }) => `${t.key}:${t.effect}`;

/** The controller-owned taints a node should carry now. */
function wantedTaints(node: KubeObject): Taint[] {
  const wanted: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status];
    if (key) wanted.push({ key, effect: 'NoSchedule' });
    // Taint-based eviction: pods leave a not-ready or unreachable node unless they tolerate it.
    if (c.type === 'Ready' && key) wanted.push({ key, effect: 'NoExecute' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
  return wanted;
}

/**
 * The node's taints with the controller-owned ones brought in line with its conditions, new ones stamped
 * with the time they were added; undefined when nothing needs to change (the common case: no write).
 */
export function reconcileTaints(node: KubeObject, now: number): { taints: Taint[]; removed: Taint[] } | undefined {
  const current: Taint[] = node.spec?.taints ?? [];
  const wanted = new Map(wantedTaints(node).map(t => [id(t), t]));
  const removed = current.filter(t => MANAGED.has(id(t)) && !wanted.has(id(t)));
  const have = new Set(current.map(id));
  const added = [...wanted.values()].filter(t => !have.has(id(t)));
  if (!removed.length && !added.length) return undefined;
  return {
    taints: [...current.filter(t => !removed.includes(t)), ...added.map(t => ({ ...t, timeAdded: rfc3339(now) }))],
    removed,
  };
}

export const isLifecycleNoExecute = (t: Taint) => t.effect === 'NoExecute' && (t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT);

/** v1.Toleration.ToleratesTaint: empty effect matches all effects, empty key with Exists all keys. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/**
 * For each taint, the first toleration that tolerates it (upstream GetMatchingTolerations), or
 * undefined when some taint is not tolerated at all.
 */
export function matchingTolerations(taints: Taint[], tolerations: Toleration[]): Toleration[] | undefined {
  const matches = taints.map(taint => tolerations.find(t => tolerates(t, taint)));
  return matches.every(m => m !== undefined) ? matches as Toleration[] : undefined;
}
