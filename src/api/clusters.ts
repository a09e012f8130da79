// Clusters: objects of the management API (skiff.dev), stored in the management scope. Bootstrapping a
// cluster creates what every Kubernetes cluster starts with.
import type { Api, RequestScope } from './api.ts';
import type { KubeObject, ResourceDef } from './registry/types.ts';
import { ALL_VERBS } from './registry/types.ts';
import { ADMIN_USER } from './authn.ts';
import { StatusError } from './errors.ts';

export const CLUSTER_DEF: ResourceDef = {
  group: 'skiff.dev', version: 'v1alpha1', resource: 'clusters', singular: 'cluster', kind: 'Cluster',
  namespaced: false, verbs: ALL_VERBS, hasStatus: true, nameRule: 'label',
};

/** The management plane is a scope of its own in the store. */
const MANAGEMENT: RequestScope = { cluster: '', user: ADMIN_USER };

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const EXISTENCE_CACHE_MS = 5_000;

export class Clusters {
  private known = new Map<string, number>();

  constructor(private readonly api: Api) {}

  async exists(name: string): Promise<boolean> {
    const seen = this.known.get(name);
    const now = this.api.clock.now();
    if (seen !== undefined && now - seen < EXISTENCE_CACHE_MS) return true;
    try {
      await this.api.get(MANAGEMENT, { def: CLUSTER_DEF, name });
      this.known.set(name, now);
      return true;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return false;
      throw e;
    }
  }

  /** Creates the cluster and its built-in objects; safe to repeat (missing pieces are added). */
  async ensure(name: string): Promise<void> {
    const created = await this.ensureObject(MANAGEMENT, CLUSTER_DEF, { apiVersion: 'skiff.dev/v1alpha1', kind: 'Cluster', metadata: { name }, spec: {} });
    const scope: RequestScope = { cluster: name, user: ADMIN_USER };
    const namespaces = this.api.catalog.find('', 'v1', 'namespaces')!;
    for (const ns of SYSTEM_NAMESPACES) {
      await this.ensureObject(scope, namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    await this.ensureObject(scope, this.api.catalog.find('', 'v1', 'services')!, kubernetesService());
    // The default cluster starts with a few simulated nodes; only when new, so a pool the user removed stays removed.
    if (created && name === 'default') await this.ensureObject(scope, this.api.catalog.find('skiff.dev', 'v1alpha1', 'nodepools')!, defaultNodePool());
  }

  /** Creates the object unless it exists (true when this call created it); another process creating it at the same moment is fine too. */
  private async ensureObject(scope: RequestScope, def: ResourceDef, obj: KubeObject): Promise<boolean> {
    const target = { def, namespace: obj.metadata?.namespace, name: obj.metadata?.name };
    const exists = () => this.api.get(scope, target).then(() => true, e => {
      if (e instanceof StatusError && e.code === 404) return false;
      throw e;
    });
    if (await exists()) return false;
    try {
      await this.api.create(scope, { def, namespace: target.namespace }, obj);
      return true;
    } catch (e) {
      if (!(await exists())) throw e;
      return false;
    }
  }
}

/** NodePool `sim`: three simulated nodes for workloads to run on. */
function defaultNodePool(): KubeObject {
  return { apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'sim' }, spec: { replicas: 3 } };
}

/** The `kubernetes` Service every cluster has, at the first address of the service range. */
function kubernetesService(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  };
}
