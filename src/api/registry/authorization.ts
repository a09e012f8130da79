// The authorization.k8s.io group (v1): access review kinds, created and answered, never stored.
import { field } from '../errors.ts';
import { apiVersion, CREATE_ONLY } from './define.ts';
import type { ResourceDef, Strategy } from './types.ts';
import type { Errors } from './validation.ts';
import type { Obj } from './objects.ts';

/** Exactly one of resourceAttributes and nonResourceAttributes. */
function validateAttributes(spec: Obj): Errors {
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    return [field.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    return [field.invalid('spec.resourceAttributes', spec.nonResourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

const selfSubjectAccessReviewStrategy: Strategy = { validate: r => validateAttributes(r.spec ?? {}) };

/** A review about someone else names them. */
function validateSubjectAccessReview(r: Obj): Errors {
  const spec = r.spec ?? {};
  const errs = validateAttributes(spec);
  if (!spec.user && !(Array.isArray(spec.groups) && spec.groups.length)) {
    errs.push(field.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return errs;
}

const subjectAccessReviewStrategy: Strategy = { validate: validateSubjectAccessReview };

const localSubjectAccessReviewStrategy: Strategy = {
  validate(r) {
    const spec = r.spec ?? {};
    const errs = validateSubjectAccessReview(r);
    if (spec.resourceAttributes && spec.resourceAttributes.namespace !== r.metadata?.namespace) {
      errs.push(field.invalid('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
    }
    if (spec.nonResourceAttributes) errs.push(field.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
    return errs;
  },
};

const authorization = apiVersion('authorization.k8s.io', 'v1');

export const authorizationResources: ResourceDef[] = [
  authorization('selfsubjectaccessreviews', 'SelfSubjectAccessReview', { namespaced: false, verbs: CREATE_ONLY, strategy: selfSubjectAccessReviewStrategy }),
  authorization('selfsubjectrulesreviews', 'SelfSubjectRulesReview', { namespaced: false, verbs: CREATE_ONLY }),
  authorization('subjectaccessreviews', 'SubjectAccessReview', { namespaced: false, verbs: CREATE_ONLY, strategy: subjectAccessReviewStrategy }),
  authorization('localsubjectaccessreviews', 'LocalSubjectAccessReview', { namespaced: true, verbs: CREATE_ONLY, strategy: localSubjectAccessReviewStrategy }),
];
