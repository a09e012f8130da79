import { describe, expect, it } from 'vitest';
import { resources } from '../../src/api/registry/index.ts';
import type { KubeObject, ResourceDef } from '../../src/api/registry/types.ts';

const find = (group: string, version: string, resource: string): ResourceDef => {
  const def = resources.find(d => d.group === group && d.version === version && d.resource === resource);
  if (!def) throw new Error(`no entry for ${group}/${version}/${resource}`);
  return def;
};

describe('registry consistency', () => {
  it('has one entry per group/version/resource and per group/version/kind', () => {
    const gvr = resources.map(d => `${d.group}/${d.version}/${d.resource}`);
    const gvk = resources.map(d => `${d.group}/${d.version}/${d.kind}`);
    expect(new Set(gvr).size).toBe(gvr.length);
    expect(new Set(gvk).size).toBe(gvk.length);
  });

  it('uses each short name once per group, and never a plural of the same group', () => {
    const byGroup = new Map<string, ResourceDef[]>();
    for (const d of resources) byGroup.set(d.group, [...(byGroup.get(d.group) ?? []), d]);
    for (const [, defs] of byGroup) {
      const owners = new Map<string, string>();
      for (const d of defs) {
        for (const s of d.shortNames ?? []) {
          const owner = owners.get(s);
          expect(owner === undefined || owner === d.resource, `${s} claimed by ${owner} and ${d.resource}`).toBe(true);
          owners.set(s, d.resource);
        }
      }
      const plurals = new Set(defs.map(d => d.resource));
      for (const s of owners.keys()) expect(plurals.has(s), s).toBe(false);
    }
  });

  it('names things as Kubernetes does: singular, lower-case plural, OpenAPI definition', () => {
    for (const d of resources) {
      expect(d.singular).toBe(d.kind.toLowerCase());
      expect(d.resource).toMatch(/^[a-z]+$/);
      // Skiff's own kinds (skiff.dev) have no Kubernetes schema, as a CRD without one.
      if (d.group !== 'skiff.dev') expect(d.definition).toMatch(/^io\.k8s\./);
      expect(d.verbs.length).toBeGreaterThan(0);
    }
    expect(find('apps', 'v1', 'deployments').definition).toBe('io.k8s.api.apps.v1.Deployment');
    expect(find('', 'v1', 'pods').definition).toBe('io.k8s.api.core.v1.Pod');
    expect(find('rbac.authorization.k8s.io', 'v1', 'clusterroles').definition).toBe('io.k8s.api.rbac.v1.ClusterRole');
    expect(find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions').definition)
      .toBe('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
  });

  it('points every non-storage version at a stored form through a conversion', () => {
    for (const d of resources.filter(r => r.conversion)) {
      const key = d.storage ?? { group: d.group, resource: d.resource };
      const stored = resources.filter(r => (r.storage ?? r).group === key.group && (r.storage ?? r).resource === key.resource && !r.conversion);
      expect(stored, `${d.group}/${d.version}/${d.resource}`).toHaveLength(1);
    }
    expect(find('events.k8s.io', 'v1', 'events').storage).toEqual({ group: '', resource: 'events' });
    expect(find('autoscaling', 'v1', 'horizontalpodautoscalers').conversion).toBeDefined();
    expect(find('autoscaling', 'v2', 'horizontalpodautoscalers').conversion).toBeUndefined();
  });

  it('lists autoscaling/v2 before v1 so v2 is the preferred version', () => {
    const versions = resources.filter(d => d.group === 'autoscaling').map(d => d.version);
    expect(versions).toEqual(['v2', 'v1']);
  });
});

describe('discovery data as kube-apiserver serves it', () => {
  it.each([
    ['', 'v1', 'pods', ['po'], ['all']],
    ['', 'v1', 'services', ['svc'], ['all']],
    ['', 'v1', 'endpoints', ['ep'], undefined],
    ['', 'v1', 'nodes', ['no'], undefined],
    ['', 'v1', 'namespaces', ['ns'], undefined],
    ['', 'v1', 'configmaps', ['cm'], undefined],
    ['', 'v1', 'secrets', undefined, undefined],
    ['', 'v1', 'serviceaccounts', ['sa'], undefined],
    ['', 'v1', 'events', ['ev'], undefined],
    ['', 'v1', 'persistentvolumes', ['pv'], undefined],
    ['', 'v1', 'persistentvolumeclaims', ['pvc'], undefined],
    ['', 'v1', 'replicationcontrollers', ['rc'], ['all']],
    ['', 'v1', 'resourcequotas', ['quota'], undefined],
    ['', 'v1', 'limitranges', ['limits'], undefined],
    ['', 'v1', 'componentstatuses', ['cs'], undefined],
    ['apps', 'v1', 'deployments', ['deploy'], ['all']],
    ['apps', 'v1', 'replicasets', ['rs'], ['all']],
    ['apps', 'v1', 'statefulsets', ['sts'], ['all']],
    ['apps', 'v1', 'daemonsets', ['ds'], ['all']],
    ['batch', 'v1', 'jobs', undefined, ['all']],
    ['batch', 'v1', 'cronjobs', ['cj'], ['all']],
    ['autoscaling', 'v2', 'horizontalpodautoscalers', ['hpa'], ['all']],
    ['autoscaling', 'v1', 'horizontalpodautoscalers', ['hpa'], ['all']],
    ['policy', 'v1', 'poddisruptionbudgets', ['pdb'], undefined],
    ['networking.k8s.io', 'v1', 'ingresses', ['ing'], undefined],
    ['networking.k8s.io', 'v1', 'networkpolicies', ['netpol'], undefined],
    ['networking.k8s.io', 'v1', 'ipaddresses', ['ip'], undefined],
    ['events.k8s.io', 'v1', 'events', ['ev'], undefined],
    ['storage.k8s.io', 'v1', 'storageclasses', ['sc'], undefined],
    ['storage.k8s.io', 'v1', 'volumeattributesclasses', ['vac'], undefined],
    ['scheduling.k8s.io', 'v1', 'priorityclasses', ['pc'], undefined],
    ['certificates.k8s.io', 'v1', 'certificatesigningrequests', ['csr'], undefined],
    ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', ['crd', 'crds'], ['api-extensions']],
    ['admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', undefined, ['api-extensions']],
    ['admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', undefined, ['api-extensions']],
    ['admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', undefined, ['api-extensions']],
    ['admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', undefined, ['api-extensions']],
    ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', undefined, undefined],
  ])('%s/%s %s: short names %j, categories %j', (group, version, resource, shortNames, categories) => {
    const d = find(group, version, resource);
    expect(d.shortNames).toEqual(shortNames);
    expect(d.categories).toEqual(categories);
  });

  it('puts exactly the workloads Kubernetes puts in `all`', () => {
    const all = resources.filter(d => d.categories?.includes('all')).map(d => `${d.group}/${d.resource}`);
    expect([...new Set(all)].sort()).toEqual([
      '/pods', '/replicationcontrollers', '/services', 'apps/daemonsets', 'apps/deployments', 'apps/replicasets',
      'apps/statefulsets', 'autoscaling/horizontalpodautoscalers', 'batch/cronjobs', 'batch/jobs',
    ]);
  });

  it('advertises the verbs kube-apiserver does', () => {
    const every = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
    expect(find('', 'v1', 'pods').verbs).toEqual(every);
    expect(find('', 'v1', 'namespaces').verbs).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(find('', 'v1', 'componentstatuses').verbs).toEqual(['get', 'list']);
    expect(find('', 'v1', 'bindings').verbs).toEqual(['create']);
    for (const r of ['tokenreviews', 'selfsubjectreviews']) expect(find('authentication.k8s.io', 'v1', r).verbs).toEqual(['create']);
    for (const r of ['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews', 'localsubjectaccessreviews']) {
      expect(find('authorization.k8s.io', 'v1', r).verbs).toEqual(['create']);
    }
  });

  it('scopes resources as Kubernetes does', () => {
    const clusterScoped = resources.filter(d => !d.namespaced).map(d => d.resource);
    for (const r of ['nodes', 'namespaces', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'storageclasses',
      'priorityclasses', 'customresourcedefinitions', 'certificatesigningrequests', 'ipaddresses', 'servicecidrs', 'ingressclasses',
      'runtimeclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'selfsubjectaccessreviews', 'componentstatuses']) {
      expect(clusterScoped, r).toContain(r);
    }
    expect(find('authorization.k8s.io', 'v1', 'localsubjectaccessreviews').namespaced).toBe(true);
    expect(find('storage.k8s.io', 'v1', 'csistoragecapacities').namespaced).toBe(true);
  });

  it('lists subresources as discovery does', () => {
    const names = (d: ResourceDef) => (d.subresources ?? []).map(s => s.name).sort();
    const pods = find('', 'v1', 'pods');
    expect(pods.hasStatus).toBe(true);
    expect(names(pods)).toEqual(['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'resize']);
    expect(pods.subresources!.find(s => s.name === 'eviction')).toMatchObject({ kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] });
    expect(pods.subresources!.find(s => s.name === 'exec')?.verbs).toEqual(['create', 'get']);
    expect(names(find('', 'v1', 'services'))).toEqual(['proxy']);
    expect(names(find('', 'v1', 'nodes'))).toEqual(['proxy']);
    expect(find('', 'v1', 'namespaces').subresources).toEqual([{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }]);
    expect(find('', 'v1', 'serviceaccounts').subresources![0]).toMatchObject({ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io' });
    expect(names(find('certificates.k8s.io', 'v1', 'certificatesigningrequests'))).toEqual(['approval']);
    for (const r of ['deployments', 'replicasets', 'statefulsets']) expect(find('apps', 'v1', r).scale?.specReplicasPath).toBe('spec.replicas');
    expect(find('', 'v1', 'replicationcontrollers').scale).toBeDefined();
    expect(find('apps', 'v1', 'daemonsets').scale).toBeUndefined();
  });

  it('validates names with the rule of each kind', () => {
    expect(find('', 'v1', 'namespaces').nameRule).toBe('label');
    expect(find('', 'v1', 'services').nameRule).toBe('label');
    for (const r of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings']) {
      expect(find('rbac.authorization.k8s.io', 'v1', r).nameRule).toBe('path-segment');
    }
    expect(find('apps', 'v1', 'deployments').nameRule).toBeUndefined();
  });
});

describe('field selectors', () => {
  const value = (d: ResourceDef, path: string, obj: KubeObject) => d.fieldSelectors![path](obj);

  it('covers what kube-apiserver supports, per kind', () => {
    const keys = (g: string, v: string, r: string) => Object.keys(find(g, v, r).fieldSelectors ?? {}).sort();
    expect(keys('', 'v1', 'pods')).toEqual(['spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName',
      'spec.serviceAccountName', 'status.nominatedNodeName', 'status.phase', 'status.podIP', 'status.podIPs']);
    expect(keys('', 'v1', 'events')).toEqual(['involvedObject.apiVersion', 'involvedObject.fieldPath', 'involvedObject.kind',
      'involvedObject.name', 'involvedObject.namespace', 'involvedObject.resourceVersion', 'involvedObject.uid', 'reason',
      'reportingComponent', 'source', 'type']);
    expect(keys('events.k8s.io', 'v1', 'events')).toContain('regarding.name');
    expect(keys('events.k8s.io', 'v1', 'events')).toContain('reportingController');
    expect(keys('', 'v1', 'secrets')).toEqual(['type']);
    expect(keys('', 'v1', 'nodes')).toEqual(['spec.unschedulable']);
    expect(keys('', 'v1', 'namespaces')).toEqual(['status.phase']);
    expect(keys('', 'v1', 'replicationcontrollers')).toEqual(['status.replicas']);
    expect(keys('apps', 'v1', 'replicasets')).toEqual(['status.replicas']);
    expect(keys('batch', 'v1', 'jobs')).toEqual(['status.successful']);
    expect(keys('', 'v1', 'services')).toEqual(['spec.clusterIP', 'spec.type']);
    expect(keys('certificates.k8s.io', 'v1', 'certificatesigningrequests')).toEqual(['spec.signerName']);
  });

  it('yields values as Kubernetes compares them: Go zero values, booleans and numbers as text', () => {
    const pods = find('', 'v1', 'pods');
    const pod = { spec: { nodeName: 'n1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] } };
    expect(value(pods, 'spec.nodeName', pod)).toBe('n1');
    expect(value(pods, 'spec.hostNetwork', pod)).toBe('false');
    expect(value(pods, 'spec.hostNetwork', { spec: { hostNetwork: true } })).toBe('true');
    expect(value(pods, 'status.podIP', pod)).toBe('10.0.0.5');
    expect(value(pods, 'spec.schedulerName', {})).toBe('');
    expect(value(find('', 'v1', 'nodes'), 'spec.unschedulable', {})).toBe('false');
    expect(value(find('apps', 'v1', 'replicasets'), 'status.replicas', { status: { replicas: 3 } })).toBe('3');
    expect(value(find('batch', 'v1', 'jobs'), 'status.successful', {})).toBe('0');
  });

  it('selects events by source, falling back to the reporting controller', () => {
    const events = find('', 'v1', 'events');
    expect(value(events, 'source', { source: { component: 'kubelet' } })).toBe('kubelet');
    expect(value(events, 'source', { reportingComponent: 'my-controller' })).toBe('my-controller');
    const v1events = find('events.k8s.io', 'v1', 'events');
    const served = { apiVersion: 'events.k8s.io/v1', regarding: { name: 'web', kind: 'Pod' }, reportingController: 'ctl' };
    expect(value(v1events, 'regarding.name', served)).toBe('web');
    expect(value(v1events, 'reportingController', served)).toBe('ctl');
    expect(value(v1events, 'regarding.kind', { apiVersion: 'v1', involvedObject: { kind: 'Pod' } })).toBe('Pod');
  });
});
