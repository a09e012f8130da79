// The node.k8s.io group (v1): RuntimeClasses.
import { apiVersion } from './define.ts';
import { entries } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { dns1123Label, immutable, invalidEach, validateLabels, validateQuantity } from './validation.ts';

const runtimeClassStrategy: Strategy = {
  validate: rc => [
    ...invalidEach('handler', rc.handler ?? '', dns1123Label(String(rc.handler ?? ''))),
    ...entries(rc.overhead?.podFixed).flatMap(([name, v]) => validateQuantity(v, `overhead.podFixed[${name}]`).errors),
    ...validateLabels(rc.scheduling?.nodeSelector, 'scheduling.nodeSelector'),
  ],
  validateUpdate: (rc, old) => immutable(rc.handler, old.handler, 'handler'),
};

const node = apiVersion('node.k8s.io', 'v1');

export const nodeResources: ResourceDef[] = [
  node('runtimeclasses', 'RuntimeClass', { namespaced: false, strategy: runtimeClassStrategy }),
];
