// NodeName: a pod that names its node fits only there.
import { rejection, type Plugin } from '../framework.ts';

const NAME = 'NodeName';
const OTHER_NODE = rejection(NAME, "node(s) didn't match the requested node name", false);

export const nodeName: Plugin = {
  name: NAME,
  retryOn: ['NodeAdded'],
  filter(pod) {
    const wanted: string | undefined = pod.pod.spec?.nodeName;
    if (!wanted) return undefined;
    return node => (node.name === wanted ? undefined : OTHER_NODE);
  },
};
