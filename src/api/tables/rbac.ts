// Table columns of rbac.authorization.k8s.io, as kube-apiserver's printers define them.
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, defaultColumns, nameColumn, wide } from './columns.ts';

const DOC = {
  roleRef: 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
  clusterRoleRef: 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
};

type Binding = RoleBinding | ClusterRoleBinding;

/** The subjects of one kind, joined with ', ' (service accounts as namespace/name). */
const subjects = (kind: Subject['kind']) => (b: Binding) =>
  (b.subjects ?? [])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');

function bindingColumns(roleRefDoc: string, noun: string): Column[] {
  return [
    nameColumn,
    col<Binding>('Role', 'string', roleRefDoc, (b) => `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`),
    ageColumn,
    wide(col<Binding>('Users', 'string', `Users in the ${noun}`, subjects('User'))),
    wide(col<Binding>('Groups', 'string', `Groups in the ${noun}`, subjects('Group'))),
    wide(col<Binding>('ServiceAccounts', 'string', `ServiceAccounts in the ${noun}`, subjects('ServiceAccount'))),
  ];
}

export const rbacColumns: Record<string, Column[]> = {
  'rolebindings.rbac.authorization.k8s.io': bindingColumns(DOC.roleRef, 'roleBinding'),
  'clusterrolebindings.rbac.authorization.k8s.io': bindingColumns(DOC.clusterRoleRef, 'clusterRoleBinding'),
  // kube-apiserver has no printer for roles: they get the generic table.
  'roles.rbac.authorization.k8s.io': defaultColumns,
  'clusterroles.rbac.authorization.k8s.io': defaultColumns,
};
