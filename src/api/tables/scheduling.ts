// Table columns of scheduling.k8s.io, as kube-apiserver's printers define them.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

const DOC = {
  value: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
  globalDefault: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.',
  preemptionPolicy: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
};

const priorityClasses: Column[] = [
  nameColumn,
  col<PriorityClass>('Value', 'integer', DOC.value, (pc) => pc.value ?? 0),
  col<PriorityClass>('Global-Default', 'boolean', DOC.globalDefault, (pc) => pc.globalDefault ?? false),
  ageColumn,
  // Shown without -o wide: kube-apiserver gives this column priority 0.
  col<PriorityClass>('PreemptionPolicy', 'string', DOC.preemptionPolicy, (pc) => pc.preemptionPolicy ?? ''),
];

export const schedulingColumns: Record<string, Column[]> = {
  'priorityclasses.scheduling.k8s.io': priorityClasses,
};
