// Table columns of node.k8s.io, as kube-apiserver's printers define them.
import type { RuntimeClass } from 'kubernetes-types/node/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

const runtimeClasses: Column[] = [
  nameColumn,
  // kube-apiserver looks this description up under ObjectMeta, where it does not exist: it is empty.
  col<RuntimeClass>('Handler', 'string', '', (rc) => rc.handler ?? ''),
  ageColumn,
];

export const nodeColumns: Record<string, Column[]> = {
  'runtimeclasses.node.k8s.io': runtimeClasses,
};
