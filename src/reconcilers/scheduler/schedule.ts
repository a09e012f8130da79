// One scheduling cycle for one pod, as kube-scheduler runs it: PreFilter, then Filter over the nodes
// starting where the previous cycle stopped until enough feasible nodes are found, then PreScore/Score/
// NormalizeScore over those, weighted and summed; the best node wins, ties broken by a seeded random
// choice (reservoir sampling, as selectHost does). A pure function of the snapshot and the state.
import type { KubeObject } from '../../api/registry/types.ts';
import type { NodeFilter, Plugin, Rejection } from './framework.ts';
import { fitErrorMessage, NO_NODES, preemptionMessage, type RejectedNode } from './diagnosis.ts';
import { podInfoOf } from './pod-info.ts';
import { DEFAULT_PROFILE } from './profile.ts';
import type { ClusterSnapshot, NodeInfo } from './snapshot.ts';

/** Fewer nodes than this are all evaluated (minFeasibleNodesToFind). */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** What carries over from one cycle to the next. */
export interface SchedulingState {
  /** Where the next cycle starts looking, so successive pods spread their search over all nodes. */
  nextStartIndex: number;
  /** Picks among equally scored nodes. */
  random: () => number;
  /** percentageOfNodesToScore; 0 or absent: adaptive (50% minus 1% per 125 nodes, at least 5%). */
  percentageOfNodesToScore?: number;
}

/** A deterministic generator (mulberry32), so the same cluster and pods give the same placements. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function newSchedulingState(seed = 1): SchedulingState {
  return { nextStartIndex: 0, random: seededRandom(seed) };
}

export type Decision =
  | { node: string; evaluatedNodes: number; feasibleNodes: number }
  | { node?: undefined; message: string; rejectedBy: ReadonlySet<string> };

/** How many feasible nodes are enough to stop filtering (numFeasibleNodesToFind). */
export function feasibleNodesToFind(totalNodes: number, percentage = 0): number {
  if (totalNodes < MIN_FEASIBLE_NODES) return totalNodes;
  if (!percentage) percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(totalNodes / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((totalNodes * percentage) / 100));
}

export function schedulePod(
  snapshot: ClusterSnapshot, pod: KubeObject, state: SchedulingState = newSchedulingState(), profile: readonly Plugin[] = DEFAULT_PROFILE,
): Decision {
  const info = podInfoOf(pod);
  const nodes = snapshot.nodes;
  const total = nodes.length;
  if (!total) return { message: NO_NODES, rejectedBy: new Set() };

  const filters: NodeFilter[] = [];
  for (const plugin of profile) {
    const f = plugin.filter?.(info, snapshot);
    if (f) filters.push(f);
  }
  const enough = feasibleNodesToFind(total, state.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  // Parallel lists, not an object per rejected node: this loop is the hot path.
  const rejectedNodes: NodeInfo[] = [];
  const rejections: Rejection[] = [];
  const start = state.nextStartIndex % total;
  let evaluated = 0;
  while (evaluated < total && feasible.length < enough) {
    const node = nodes[(start + evaluated) % total];
    evaluated++;
    let rejection: Rejection | undefined;
    for (const f of filters) if ((rejection = f(node))) break;
    if (rejection) { rejectedNodes.push(node); rejections.push(rejection); } else feasible.push(node);
  }
  state.nextStartIndex = (start + evaluated) % total;

  if (!feasible.length) {
    const rejected: RejectedNode[] = rejectedNodes.map((node, i) => ({ node, rejection: rejections[i] }));
    const fit = fitErrorMessage(total, rejections.map(r => r.reasons));
    const preemption = preemptionMessage(info, total, rejected, filters);
    return { message: preemption ? `${fit} ${preemption}` : fit, rejectedBy: new Set(rejections.map(r => r.plugin)) };
  }
  if (feasible.length === 1) return { node: feasible[0].name, evaluatedNodes: evaluated, feasibleNodes: 1 };

  const totals = new Float64Array(feasible.length);
  const scores = new Float64Array(feasible.length);
  for (const plugin of profile) {
    if (!plugin.weight || !plugin.score) continue;
    const scorer = plugin.score(info, snapshot, feasible);
    if (!scorer) continue;
    for (let i = 0; i < feasible.length; i++) scores[i] = scorer.score(feasible[i]);
    scorer.normalize?.(scores, feasible);
    for (let i = 0; i < feasible.length; i++) totals[i] += scores[i] * plugin.weight;
  }
  let best = 0;
  let ties = 1;
  for (let i = 1; i < feasible.length; i++) {
    if (totals[i] > totals[best]) { best = i; ties = 1; }
    else if (totals[i] === totals[best] && state.random() * ++ties < 1) best = i;
  }
  return { node: feasible[best].name, evaluatedNodes: evaluated, feasibleNodes: feasible.length };
}
