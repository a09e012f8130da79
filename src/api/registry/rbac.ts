// The rbac.authorization.k8s.io group (v1): Roles, ClusterRoles and their bindings.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, deepEqual, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import { dns1123Subdomain, eachItem, invalidEach, oneOf, requiredName, shown, validateLabelSelector, type Errors } from './validation.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Names of RBAC objects (and what refers to them) are path segments. */
function pathSegment(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter(c => name.includes(c)).map(c => `may not contain '${c}'`);
}

function validateRule(rule: Obj, path: string, namespaced: boolean): Errors {
  const errs: Errors = [];
  if (items(rule.verbs).length === 0) errs.push(field.required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (items(rule.nonResourceURLs).length > 0) {
    if (namespaced) errs.push(field.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (items(rule.apiGroups).length || items(rule.resources).length || items(rule.resourceNames).length) {
      errs.push(field.invalid(`${path}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (items(rule.apiGroups).length === 0) errs.push(field.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (items(rule.resources).length === 0) errs.push(field.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

const roleStrategy = (namespaced: boolean): Strategy => ({
  validate: role => [
    ...eachItem(role.rules, 'rules', (rule, p) => validateRule(rule, p, namespaced)),
    ...eachItem(role.aggregationRule?.clusterRoleSelectors, 'aggregationRule.clusterRoleSelectors', (s, p) => validateLabelSelector(s, p)),
  ],
});

/** SetDefaults_Subject and the roleRef group default. */
function defaultBinding(binding: Obj): void {
  setDefault(child(binding, 'roleRef'), 'apiGroup', RBAC_GROUP);
  for (const subject of items(binding.subjects)) {
    if (!subject || subject.apiGroup) continue;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
    else if (subject.kind === 'ServiceAccount') subject.apiGroup = '';
  }
}

function validateSubject(subject: Obj, path: string, namespaced: boolean): Errors {
  const errs: Errors = subject.name ? [] : [field.required(`${path}.name`, '')];
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) errs.push(...invalidEach(`${path}.name`, subject.name, dns1123Subdomain(subject.name)));
      if (subject.apiGroup) errs.push(field.notSupported(`${path}.apiGroup`, subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(field.required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (subject.apiGroup !== RBAC_GROUP) errs.push(field.notSupported(`${path}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(field.notSupported(`${path}.kind`, subject.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

const bindingStrategy = (namespaced: boolean): Strategy => ({
  defaults: defaultBinding,
  validate(binding) {
    const ref = binding.roleRef ?? {};
    return [
      ...(ref.apiGroup === RBAC_GROUP ? [] : [field.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP])]),
      ...oneOf(ref.kind ?? '', namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'], 'roleRef.kind'),
      ...requiredName(ref.name, 'roleRef.name', pathSegment),
      ...eachItem(binding.subjects, 'subjects', (s, p) => validateSubject(s, p, namespaced)),
    ];
  },
  validateUpdate: (binding, old) =>
    (deepEqual(binding.roleRef, old.roleRef) ? [] : [field.invalid('roleRef', shown(binding.roleRef), 'cannot change roleRef')]),
});

const rbac = apiVersion(RBAC_GROUP, 'v1');
const named = { nameRule: 'path-segment' as const };

export const rbacResources: ResourceDef[] = [
  rbac('roles', 'Role', { ...named, namespaced: true, strategy: roleStrategy(true) }),
  rbac('rolebindings', 'RoleBinding', { ...named, namespaced: true, strategy: bindingStrategy(true) }),
  rbac('clusterroles', 'ClusterRole', { ...named, namespaced: false, strategy: roleStrategy(false) }),
  rbac('clusterrolebindings', 'ClusterRoleBinding', { ...named, namespaced: false, strategy: bindingStrategy(false) }),
];
