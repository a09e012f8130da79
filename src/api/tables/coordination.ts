// Table columns of coordination.k8s.io, as kube-apiserver's printers define them.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

const leases: Column[] = [
  nameColumn,
  col<Lease>('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.', (l) => l.spec?.holderIdentity ?? ''),
  ageColumn,
];

export const coordinationColumns: Record<string, Column[]> = {
  'leases.coordination.k8s.io': leases,
};
