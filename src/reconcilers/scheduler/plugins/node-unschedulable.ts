// NodeUnschedulable: cordoned nodes (spec.unschedulable) take only pods that tolerate the unschedulable taint.
import { rejection, type Plugin } from '../framework.ts';
import { isTolerated } from '../taints.ts';

const NAME = 'NodeUnschedulable';
const CORDONED = rejection(NAME, 'node(s) were unschedulable', false);
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: Plugin = {
  name: NAME,
  retryOn: ['NodeAdded', 'NodeUpdated'],
  filter(pod) {
    if (isTolerated(pod.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
    return node => (node.unschedulable ? CORDONED : undefined);
  },
};
