// Table columns of apiextensions.k8s.io: CustomResourceDefinitions get the generic table.
import type { Column } from '../registry/types.ts';
import { defaultColumns } from './columns.ts';

export const apiextensionsColumns: Record<string, Column[]> = {
  'customresourcedefinitions.apiextensions.k8s.io': defaultColumns,
};
