// Why a pod fits nowhere, worded as kube-scheduler words it (FitError): the nodes' reasons counted and
// sorted as strings, then what preemption found (DefaultPreemption's PostFilter):
//   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector.
//   preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
import type { NodeFilter, Rejection } from './framework.ts';
import type { PodInfo } from './pod-info.ts';
import type { NodeInfo, Placed } from './snapshot.ts';

export const NO_NODES = 'no nodes available to schedule pods';
const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface RejectedNode { node: NodeInfo; rejection: Rejection }

/** "0/N nodes are available: <count> <reason>, ...." with the reasons of each node (plus `others` for the rest). */
export function fitErrorMessage(totalNodes: number, reasons: Iterable<readonly string[]>, others?: { count: number; reason: string }): string {
  const histogram = new Map<string, number>();
  for (const list of reasons) for (const r of list) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  if (others && others.count > 0) histogram.set(others.reason, (histogram.get(others.reason) ?? 0) + others.count);
  // Go's sort.Strings: plain code-unit order, so "10 ..." sorts before "2 ...".
  const parts = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `0/${totalNodes} nodes are available: ${parts.join(', ')}.`;
}

/**
 * What preemption reports when it cannot help, or undefined when it could (evicting lower-priority pods
 * would make room on some node; Skiff does not preempt, and upstream prints no preemption part then).
 * Only nodes rejected for resolvable reasons are candidates; on those, all lower-priority pods are taken
 * away and the filters run again.
 */
export function preemptionMessage(pod: PodInfo, totalNodes: number, rejected: readonly RejectedNode[], filters: readonly NodeFilter[]): string | undefined {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const reasons: (readonly string[])[] = [];
  for (const { node, rejection } of rejected) {
    if (!rejection.resolvable) continue;
    const victims = new Set<Placed>(node.pods.filter(p => p.info.priority < pod.priority));
    if (!victims.size) { reasons.push([NO_VICTIMS]); continue; }
    const freed = node.without(victims);
    let again: Rejection | undefined;
    for (const f of filters) if ((again = f(freed))) break;
    if (!again) return undefined;
    reasons.push(again.reasons);
  }
  return `preemption: ${fitErrorMessage(totalNodes, reasons, { count: totalNodes - reasons.length, reason: NOT_HELPFUL })}`;
}
