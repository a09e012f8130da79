// Resources that are computed, not stored: component health and the self-review kinds.
import type { KubeObject } from './registry/types.ts';
import type { RequestScope } from './api.ts';
import type { HealthCheck } from './health.ts';
import { runChecks } from './health.ts';
import { notFound } from './errors.ts';

/** What a read of a computed resource asks for besides its name: namespace and selectors. */
export interface VirtualRequest { namespace?: string; labelSelector?: string; fieldSelector?: string }

export interface VirtualResource {
  list?(scope: RequestScope, req: VirtualRequest): Promise<KubeObject>;
  get?(scope: RequestScope, name: string, req: VirtualRequest): Promise<KubeObject>;
  create?(scope: RequestScope, body: KubeObject): Promise<KubeObject>;
}

/** componentstatuses: one entry per health check, as `kubectl get cs` shows them. */
export function componentStatuses(checks: HealthCheck[]): VirtualResource {
  const item = (r: { name: string; healthy: boolean; message: string }) => ({
    kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: r.name },
    conditions: [{ type: 'Healthy', status: r.healthy ? 'True' : 'False', ...(r.healthy ? { message: r.message } : { error: r.message }) }],
  });
  return {
    async list() {
      const reports = await runChecks(checks);
      return { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: reports.map(r => { const { kind: _k, apiVersion: _a, ...rest } = item(r); return rest; }) };
    },
    async get(_scope, name) {
      const check = checks.find(c => c.name === name);
      if (!check) throw notFound({ group: '', resource: 'componentstatuses' }, name);
      return item((await runChecks([check]))[0]);
    },
  };
}

/** Review kinds answer about the requesting user; every authenticated user is a cluster admin for now. */
export const selfReviews: Record<string, VirtualResource> = {
  'selfsubjectreviews.authentication.k8s.io': {
    async create(scope, body) {
      const { username, uid, groups } = scope.user;
      return { ...body, apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null, ...body.metadata },
        status: { userInfo: { username, ...(uid ? { uid } : {}), groups } } };
    },
  },
  'selfsubjectaccessreviews.authorization.k8s.io': {
    async create(_scope, body) {
      return { ...body, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null, ...body.metadata },
        status: { allowed: true, reason: 'the user is a cluster administrator' } };
    },
  },
  'selfsubjectrulesreviews.authorization.k8s.io': {
    async create(_scope, body) {
      return { ...body, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null, ...body.metadata },
        status: {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        } };
    },
  },
};
