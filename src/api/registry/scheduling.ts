// The scheduling.k8s.io group (v1): PriorityClasses.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { setDefault } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { immutable, oneOf, type Errors } from './validation.ts';

/** The classes the system itself defines: the only names allowed the system- prefix. */
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HIGHEST_USER_PRIORITY = 1000000000;
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

const priorityClassStrategy: Strategy = {
  defaults: pc => setDefault(pc, 'preemptionPolicy', 'PreemptLowerPriority'),
  validate(pc) {
    const name = pc.metadata?.name ?? '';
    const errs: Errors = [];
    if (name.startsWith('system-')) {
      const known = SYSTEM_PRIORITY_CLASSES[name];
      const problem = known === undefined ? `${name} is not a known system priority class`
        : pc.value !== known ? `value of ${name} PriorityClass must be ${known}`
          : pc.globalDefault ? `globalDefault of ${name} PriorityClass must be false` : undefined;
      if (problem) errs.push(field.forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
    } else if (pc.value > HIGHEST_USER_PRIORITY) {
      errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_PRIORITY}`));
    }
    errs.push(...oneOf(pc.preemptionPolicy, PREEMPTION_POLICIES, 'preemptionPolicy'));
    return errs;
  },
  validateUpdate(pc, old) {
    const errs = pc.value !== old.value ? [field.forbidden('value', 'may not be changed in an update.')] : [];
    return [...errs, ...immutable(pc.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy')];
  },
};

const scheduling = apiVersion('scheduling.k8s.io', 'v1');

export const schedulingResources: ResourceDef[] = [
  scheduling('priorityclasses', 'PriorityClass', { namespaced: false, shortNames: ['pc'], strategy: priorityClassStrategy }),
];
