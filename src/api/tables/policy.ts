// Table columns of the policy group, as kube-apiserver's printers define them.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

/** An int-or-percent bound, `N/A` when the budget does not set it. */
const bound = (value: number | string | undefined) => (value == null ? 'N/A' : String(value));

const podDisruptionBudgets: Column[] = [
  nameColumn,
  col<PodDisruptionBudget>('Min Available', 'string', 'The minimum number of pods that must be available.', (p) => bound(p.spec?.minAvailable)),
  col<PodDisruptionBudget>('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.', (p) => bound(p.spec?.maxUnavailable)),
  col<PodDisruptionBudget>('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.', (p) => p.status?.disruptionsAllowed ?? 0),
  ageColumn,
];

export const policyColumns: Record<string, Column[]> = {
  'poddisruptionbudgets.policy': podDisruptionBudgets,
};
