// NodePorts: a host port (per protocol) can be bound once per node; 0.0.0.0 conflicts with every address.
import { rejection, type Plugin } from '../framework.ts';
import type { HostPort } from '../pod-info.ts';

const NAME = 'NodePorts';
const TAKEN = rejection(NAME, "node(s) didn't have free ports for the requested pod ports", true);
const ANY_IP = '0.0.0.0';

const conflicts = (a: HostPort, b: HostPort) =>
  a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === ANY_IP || b.ip === ANY_IP);

export const nodePorts: Plugin = {
  name: NAME,
  retryOn: ['NodeAdded', 'AssignedPodDeleted'],
  filter(pod) {
    const wanted = pod.hostPorts;
    if (!wanted.length) return undefined;
    return node => {
      for (const used of node.usedPorts) for (const w of wanted) if (conflicts(used, w)) return TAKEN;
      return undefined;
    };
  },
};
