// Table columns of the skiff.dev kinds served inside a cluster.
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

const nodePools: Column[] = [
  nameColumn,
  col('Replicas', 'integer', 'The number of nodes the pool should have.', (p) => p.spec?.replicas ?? 0),
  col('Ready', 'integer', 'The number of the pool\'s nodes whose Ready condition is True.', (p) => p.status?.readyReplicas ?? 0),
  ageColumn,
];

export const skiffColumns: Record<string, Column[]> = {
  'nodepools.skiff.dev': nodePools,
};
