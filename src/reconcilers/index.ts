// The reconcilers every cluster runs, in pass order (a fresh set per control plane: some keep state).
import type { Controller } from './runtime.ts';
import { namespaceController } from './namespace.ts';
import { garbageCollector } from './garbage-collector.ts';
import { scheduler } from './scheduler/controller.ts';
import { nodePoolController } from './nodes/node-pool.ts';
import { nodeIpamController } from './nodes/ipam.ts';
import { nodeLifecycleController } from './nodes/lifecycle.ts';
import { taintEvictionController } from './nodes/taint-eviction.ts';
import { kubeletNodesController } from './kubelet/nodes.ts';
import { kubeletPodsController } from './kubelet/pods.ts';
import { podGarbageCollector } from './pod-gc.ts';

export function controllers(): Controller[] {
  return [
    nodePoolController(), nodeIpamController(), kubeletNodesController(), nodeLifecycleController(), taintEvictionController(),
    // After node lifecycle, so that a pass schedules against the taints it just set; the kubelet right after,
    // so that a pod bound in a pass starts in the same pass.
    scheduler(), kubeletPodsController(),
    podGarbageCollector(), namespaceController, garbageCollector(),
  ];
}
