// The policy group (v1): PodDisruptionBudgets.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { notMoreThan100Percent, oneOf, shown, validateIntOrPercent, validateLabelSelector, type Errors } from './validation.ts';

const podDisruptionBudgetStrategy: Strategy = {
  // Go writes these status counters even when zero.
  prepareForCreate(pdb) {
    pdb.status = { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  },
  validate(pdb) {
    const spec = pdb.spec ?? {};
    const errs: Errors = [];
    if (spec.minAvailable != null && spec.maxUnavailable != null) {
      errs.push(field.invalid('spec', shown(spec), 'minAvailable and maxUnavailable cannot be both set'));
    }
    for (const key of ['minAvailable', 'maxUnavailable']) {
      errs.push(...validateIntOrPercent(spec[key], `spec.${key}`), ...notMoreThan100Percent(spec[key], `spec.${key}`));
    }
    errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    errs.push(...oneOf(spec.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'], 'spec.unhealthyPodEvictionPolicy'));
    return errs;
  },
};

const policy = apiVersion('policy', 'v1');

export const policyResources: ResourceDef[] = [
  policy('poddisruptionbudgets', 'PodDisruptionBudget', {
    namespaced: true, shortNames: ['pdb'], hasStatus: true, generation: true, strategy: podDisruptionBudgetStrategy,
  }),
];
