// NodeResourcesFit: the pod's requests must fit in what the node has left of its allocatable resources,
// and one more pod within its pod capacity; scores prefer the least allocated nodes (LeastAllocated,
// cpu and memory weighted 1:1, counting best-effort containers at the default requests).
import { MAX_NODE_SCORE, type Plugin } from '../framework.ts';
import type { NodeInfo } from '../snapshot.ts';

const NAME = 'NodeResourcesFit';
const CORE = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

/** (capacity - requested) / capacity, as an integer score; 0 when over capacity. */
function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export const nodeResourcesFit: Plugin = {
  name: NAME,
  weight: 1,
  retryOn: ['NodeAdded', 'NodeUpdated', 'AssignedPodDeleted'],
  filter(pod) {
    const cpu = pod.requests.get('cpu') ?? 0;
    const memory = pod.requests.get('memory') ?? 0;
    const storage = pod.requests.get('ephemeral-storage') ?? 0;
    const scalars = [...pod.requests].filter(([name, amount]) => !CORE.has(name) && amount > 0);
    const asksNothing = cpu === 0 && memory === 0 && storage === 0 && scalars.length === 0;
    return (node: NodeInfo) => {
      let reasons: string[] | undefined;
      // A request larger than the whole node cannot be met by preempting anything.
      let unresolvable = false;
      if (node.pods.length + 1 > node.allowedPods) (reasons ??= []).push('Too many pods');
      if (asksNothing) return reasons ? { plugin: NAME, reasons, resolvable: true } : undefined;
      if (cpu > 0 && cpu > node.allocatableCpu - node.requestedCpu) {
        (reasons ??= []).push('Insufficient cpu');
        unresolvable ||= cpu > node.allocatableCpu;
      }
      if (memory > 0 && memory > node.allocatableMemory - node.requestedMemory) {
        (reasons ??= []).push('Insufficient memory');
        unresolvable ||= memory > node.allocatableMemory;
      }
      if (storage > 0 && storage > node.allocatableEphemeralStorage - node.requestedEphemeralStorage) {
        (reasons ??= []).push('Insufficient ephemeral-storage');
        unresolvable ||= storage > node.allocatableEphemeralStorage;
      }
      for (const [name, amount] of scalars) {
        const allocatable = node.allocatableScalars.get(name) ?? 0;
        if (amount > allocatable - (node.requestedScalars.get(name) ?? 0)) {
          (reasons ??= []).push(`Insufficient ${name}`);
          unresolvable ||= amount > allocatable;
        }
      }
      return reasons ? { plugin: NAME, reasons, resolvable: !unresolvable } : undefined;
    };
  },
  score(pod) {
    const cpu = pod.nonZeroCpu;
    const memory = pod.nonZeroMemory;
    return {
      score(node) {
        let sum = 0;
        let weights = 0;
        if (node.allocatableCpu) { sum += leastRequested(node.nonZeroCpu + cpu, node.allocatableCpu); weights++; }
        if (node.allocatableMemory) { sum += leastRequested(node.nonZeroMemory + memory, node.allocatableMemory); weights++; }
        return weights ? Math.trunc(sum / weights) : 0;
      },
    };
  },
};
