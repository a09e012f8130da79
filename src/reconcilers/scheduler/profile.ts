// The default-scheduler profile: its plugins in upstream's order (filters run in this order and a node's
// first rejection is the one reported), with upstream's default score weights on the plugins themselves.
import type { Plugin } from './framework.ts';
import { nodeUnschedulable } from './plugins/node-unschedulable.ts';
import { nodeName } from './plugins/node-name.ts';
import { taintToleration } from './plugins/taint-toleration.ts';
import { nodeAffinity } from './plugins/node-affinity.ts';
import { nodePorts } from './plugins/node-ports.ts';
import { nodeResourcesFit } from './plugins/node-resources-fit.ts';
import { podTopologySpread } from './plugins/pod-topology-spread.ts';
import { interPodAffinity } from './plugins/inter-pod-affinity.ts';
import { balancedAllocation } from './plugins/balanced-allocation.ts';

export const DEFAULT_SCHEDULER = 'default-scheduler';

export const DEFAULT_PROFILE: readonly Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
  balancedAllocation,
];
