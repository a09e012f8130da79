// The coordination.k8s.io group (v1): Leases.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { nonNegative, oneOf, positive, type Errors } from './validation.ts';

const leaseStrategy: Strategy = {
  validate(lease) {
    const spec = lease.spec ?? {};
    const errs: Errors = [
      ...positive(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds'),
      ...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'),
      ...oneOf(spec.strategy, ['OldestEmulationVersion'], 'spec.strategy'),
    ];
    if (spec.preferredHolder && !spec.strategy) errs.push(field.forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
    return errs;
  },
};

const coordination = apiVersion('coordination.k8s.io', 'v1');

export const coordinationResources: ResourceDef[] = [
  coordination('leases', 'Lease', { namespaced: true, strategy: leaseStrategy }),
];
