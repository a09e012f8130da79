// The scheduling framework's shape: a plugin may filter nodes (with a per-pod PreFilter step) and score
// the nodes that passed (with a per-pod PreScore step and its own normalisation to 0..100). The profile is
// the list of plugins; the scheduling cycle (schedule.ts) is the one mechanism that runs them.
import type { PodInfo } from './pod-info.ts';
import type { ClusterSnapshot, NodeInfo } from './snapshot.ts';

export const MAX_NODE_SCORE = 100;

/** Why a node cannot take the pod. */
export interface Rejection {
  plugin: string;
  reasons: readonly string[];
  /** Unschedulable (preemption might help) rather than UnschedulableAndUnresolvable. */
  resolvable: boolean;
}

/** Changes in the cluster that can make a rejected pod schedulable (the queueing hints' events). */
export type ClusterEvent = 'NodeAdded' | 'NodeUpdated' | 'NodeDeleted' | 'AssignedPodAdded' | 'AssignedPodUpdated' | 'AssignedPodDeleted' | 'NamespaceUpdated';

export type NodeFilter = (node: NodeInfo) => Rejection | undefined;

export interface NodeScorer {
  /** The raw score of a feasible node. */
  score(node: NodeInfo): number;
  /** Rescales the raw scores of all feasible nodes (in place) to 0..MAX_NODE_SCORE. */
  normalize?(scores: Float64Array, nodes: readonly NodeInfo[]): void;
}

export interface Plugin {
  name: string;
  /** The score weight (upstream's default); plugins without one do not score. */
  weight?: number;
  /** Events after which a pod this plugin rejected is worth trying again. */
  retryOn: readonly ClusterEvent[];
  /** PreFilter: the check for this pod, or undefined when the plugin has nothing to check. */
  filter?(pod: PodInfo, snapshot: ClusterSnapshot): NodeFilter | undefined;
  /** PreScore: the scorer for this pod, or undefined when the plugin has nothing to say (Skip). */
  score?(pod: PodInfo, snapshot: ClusterSnapshot, feasible: readonly NodeInfo[]): NodeScorer | undefined;
}

/** A rejection that is always the same: made once, shared by every node it applies to. */
export const rejection = (plugin: string, reason: string, resolvable: boolean): Rejection => ({ plugin, reasons: [reason], resolvable });

/** DefaultNormalizeScore: scales so the best node gets MAX_NODE_SCORE (or the reverse, best = fewest). */
export function normalizeToMax(scores: Float64Array, reverse = false) {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
