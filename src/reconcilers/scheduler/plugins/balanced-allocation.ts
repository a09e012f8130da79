// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal proportion
// (1 - standard deviation of the two fractions). Best-effort pods are not scored: they would all pile up.
import { MAX_NODE_SCORE, type Plugin } from '../framework.ts';

export const balancedAllocation: Plugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  retryOn: [],
  score(pod) {
    const cpu = pod.requests.get('cpu') ?? 0;
    const memory = pod.requests.get('memory') ?? 0;
    if (cpu === 0 && memory === 0) return undefined;
    return {
      score(node) {
        const cpuShare = node.allocatableCpu ? Math.min(1, (node.requestedCpu + cpu) / node.allocatableCpu) : undefined;
        const memoryShare = node.allocatableMemory ? Math.min(1, (node.requestedMemory + memory) / node.allocatableMemory) : undefined;
        const std = cpuShare !== undefined && memoryShare !== undefined ? Math.abs(cpuShare - memoryShare) / 2 : 0;
        return Math.trunc((1 - std) * MAX_NODE_SCORE);
      },
    };
  },
};
