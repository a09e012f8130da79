// The skiff.dev group (v1alpha1) inside a cluster: NodePools, sets of simulated nodes `kubectl scale` can grow.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, entries, setDefault } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  TAINT_EFFECTS, duplicates, eachItem, nonNegative, qualifiedName, requiredName, requiredOneOf, validateLabels, validateQuantity,
  type Errors,
} from './validation.ts';
import { qualifiedNameErrors } from '../metadata.ts';

/** What a pool's node offers when its template says nothing: a modest general-purpose machine. */
export const DEFAULT_NODE_CAPACITY = { cpu: '4', memory: '16Gi', pods: '110' };

const nodePoolStrategy: Strategy = {
  defaults(pool) {
    const spec = child(pool, 'spec');
    setDefault(spec, 'replicas', 1);
    const template = child(child(spec, 'template'), 'spec');
    setDefault(template, 'capacity', { ...DEFAULT_NODE_CAPACITY });
  },
  validate(pool) {
    const spec = pool.spec ?? {};
    const meta = spec.template?.metadata ?? {};
    const nodeSpec = spec.template?.spec ?? {};
    const errs: Errors = [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...validateLabels(meta.labels, 'spec.template.metadata.labels'),
      ...entries(meta.annotations).flatMap(([k]) => qualifiedNameErrors(k.toLowerCase(), 'spec.template.metadata.annotations')),
      ...eachItem(nodeSpec.taints, 'spec.template.spec.taints', (t, p) => [
        ...requiredName(t.key, `${p}.key`, qualifiedName),
        ...requiredOneOf(t.effect, TAINT_EFFECTS, `${p}.effect`),
      ]),
      ...duplicates(nodeSpec.taints, 'spec.template.spec.taints', t => `${t.key}:${t.effect}`, ''),
      ...entries(nodeSpec.capacity).flatMap(([name, q]) => [
        ...qualifiedNameErrors(name, 'spec.template.spec.capacity'),
        ...validateQuantity(q, `spec.template.spec.capacity[${name}]`).errors,
      ]),
    ];
    if (spec.replicas !== undefined && !Number.isInteger(spec.replicas)) errs.push(field.invalid('spec.replicas', spec.replicas, 'must be an integer'));
    return errs;
  },
};

const skiff = apiVersion('skiff.dev', 'v1alpha1');

export const skiffResources: ResourceDef[] = [
  skiff('nodepools', 'NodePool', {
    namespaced: false, shortNames: ['np'], hasStatus: true, generation: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' },
    strategy: nodePoolStrategy,
    // No OpenAPI schema (as a CRD without one): merge patches, no strategic ones.
    definition: undefined,
  }),
];
