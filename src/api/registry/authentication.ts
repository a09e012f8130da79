// The authentication.k8s.io group (v1): review kinds that are created, answered, and never stored.
import { apiVersion, CREATE_ONLY } from './define.ts';
import type { ResourceDef } from './types.ts';

const authentication = apiVersion('authentication.k8s.io', 'v1');

export const authenticationResources: ResourceDef[] = [
  authentication('tokenreviews', 'TokenReview', { namespaced: false, verbs: CREATE_ONLY }),
  authentication('selfsubjectreviews', 'SelfSubjectReview', { namespaced: false, verbs: CREATE_ONLY }),
];
