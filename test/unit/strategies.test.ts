import { describe, expect, it } from 'vitest';
import { resources } from '../../src/api/registry/index.ts';
import { HPA_ANNOTATIONS, hpaV1ToV2, hpaV2ToV1 } from '../../src/api/registry/autoscaling.ts';
import { coreToEventsV1, eventsV1ToCore } from '../../src/api/registry/events.ts';
import { formatQuantity, parseQuantity } from '../../src/api/registry/quantity.ts';
import { cronScheduleError } from '../../src/api/registry/cron.ts';
import type { KubeObject, ResourceDef } from '../../src/api/registry/types.ts';

const ctx = { now: new Date('2025-06-01T12:00:00Z'), cluster: 'test' };
const UID = '6f1a2b3c-0000-4000-8000-000000000001';

function def(group: string, resource: string, version?: string): ResourceDef {
  const d = resources.find(r => r.group === group && r.resource === resource && (!version || r.version === version));
  if (!d) throw new Error(`${group}/${resource}`);
  return d;
}

/** The create path of the server: defaults, status reset, prepareForCreate, validate. */
function create(group: string, resource: string, input: KubeObject, version?: string) {
  const d = def(group, resource, version);
  const obj = structuredClone(input);
  d.strategy?.defaults?.(obj);
  if (d.hasStatus && resource !== 'nodes') delete obj.status;
  d.strategy?.prepareForCreate?.(obj, ctx);
  const errors = (d.strategy?.validate?.(obj, ctx) ?? []).map(e => `${e.field}: ${e.message}`);
  return { obj, errors };
}

/** The update path: defaults, status kept, prepareForUpdate, validate and validateUpdate. */
function update(group: string, resource: string, old: KubeObject, input: KubeObject) {
  const d = def(group, resource);
  const obj = structuredClone(input);
  d.strategy?.defaults?.(obj);
  if (d.hasStatus) obj.status = structuredClone(old.status);
  d.strategy?.prepareForUpdate?.(obj, old, ctx);
  const errors = [...(d.strategy?.validate?.(obj, ctx) ?? []), ...(d.strategy?.validateUpdate?.(obj, old, ctx) ?? [])]
    .map(e => `${e.field}: ${e.message}`);
  return { obj, errors };
}

const DNS_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const podSpecDefaults = {
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
  terminationGracePeriodSeconds: 30,
};
const containerDefaults = {
  resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
};

describe('defaults as `kubectl get -o yaml` shows them', () => {
  it('a `kubectl run nginx --image=nginx` pod', () => {
    // What kubectl run sends.
    const { obj, errors } = create('', 'pods', {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      status: {},
    });
    expect(errors).toEqual([]);
    expect(obj).toEqual({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } },
      spec: {
        containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', ...containerDefaults }],
        ...podSpecDefaults, enableServiceLinks: true,
      },
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    });
  });

  it('pull policy by tag, probe and port defaults, requests from limits, QoS', () => {
    const { obj } = create('', 'pods', {
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{
          name: 'app', image: 'registry.local:5000/app:1.2', ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { port: 8080 } },
          resources: { limits: { cpu: '500m', memory: '1024Mi' } },
        }, { name: 'side', image: 'busybox@sha256:abc', resources: { limits: { cpu: '0.5', memory: '1Gi' } } }],
      },
    });
    const [app, side] = obj.spec.containers;
    expect(app.imagePullPolicy).toBe('IfNotPresent');
    expect(side.imagePullPolicy).toBe('IfNotPresent');
    expect(app.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(app.readinessProbe).toEqual({
      httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
    });
    expect(app.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(side.resources.limits).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(obj.status.qosClass).toBe('Guaranteed');
  });

  it('computes Burstable when requests are below limits', () => {
    const { obj } = create('', 'pods', {
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '1Gi' } } }] },
    });
    expect(obj.status.qosClass).toBe('Burstable');
  });

  it('a minimal Deployment (kubectl create deployment web --image=nginx)', () => {
    const { obj, errors } = create('apps', 'deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {},
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      },
      status: {},
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      progressDeadlineSeconds: 600, replicas: 1, revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', ...containerDefaults }], ...podSpecDefaults },
      },
    });
    expect(obj.status).toBeUndefined();
  });

  it('a Service (kubectl create service clusterip web --tcp=80:8080)', () => {
    const { obj, errors } = create('', 'services', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { ports: [{ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: 'web' }, type: 'ClusterIP' },
      status: { loadBalancer: {} },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' }, sessionAffinity: 'None', type: 'ClusterIP',
    });
    expect(obj.status).toEqual({ loadBalancer: {} });
  });

  it('service ports: targetPort defaults to port; NodePort gets externalTrafficPolicy', () => {
    const { obj } = create('', 'services', {
      metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] },
    });
    expect(obj.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    expect(obj.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('an update that omits the allocated cluster IP keeps it', () => {
    const old = create('', 'services', { metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }).obj;
    old.spec.clusterIP = '10.96.0.10';
    old.spec.clusterIPs = ['10.96.0.10'];
    const { obj, errors } = update('', 'services', old, { metadata: { name: 's', namespace: 'default' }, spec: { ports: [{ port: 81 }] } });
    expect(errors).toEqual([]);
    expect(obj.spec.clusterIP).toBe('10.96.0.10');
    expect(obj.spec.clusterIPs).toEqual(['10.96.0.10']);
    expect(update('', 'services', old, { ...old, spec: { ...old.spec, clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] } }).errors)
      .toEqual(['spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set']);
  });

  it('a Job (kubectl create job pi --image=perl)', () => {
    const { obj, errors } = create('batch', 'jobs', {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name: 'pi', namespace: 'default', uid: UID },
      spec: { template: { metadata: {}, spec: { containers: [{ name: 'pi', image: 'perl', resources: {} }], restartPolicy: 'Never' } } },
      status: {},
    });
    expect(errors).toEqual([]);
    const labels = {
      'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'job-name': 'pi',
    };
    expect(obj.metadata!.labels).toEqual(labels);
    expect(obj.spec).toEqual({
      backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: undefined, parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'pi', image: 'perl', imagePullPolicy: 'Always', ...containerDefaults }], ...podSpecDefaults, restartPolicy: 'Never' },
      },
    });
    expect(obj.status).toEqual({});
  });

  it('a CronJob', () => {
    const { obj, errors } = create('batch', 'cronjobs', {
      metadata: { name: 'hello', namespace: 'default' },
      spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } },
    });
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(obj.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect(obj.spec.jobTemplate.spec.template.spec.schedulerName).toBe('default-scheduler');
  });

  it('StatefulSet, DaemonSet and ReplicationController defaults', () => {
    const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
    const sts = create('apps', 'statefulsets', {
      metadata: { name: 's', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'a' } }, serviceName: 's', template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
    });
    expect(sts.errors).toEqual([]);
    expect(sts.obj.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady', replicas: 1, revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(sts.obj.spec.volumeClaimTemplates[0]).toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    const ds = create('apps', 'daemonsets', { metadata: { name: 'd', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, template } });
    expect(ds.errors).toEqual([]);
    expect(ds.obj.spec).toMatchObject({ revisionHistoryLimit: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } });
    const rc = create('', 'replicationcontrollers', { metadata: { name: 'r', namespace: 'default' }, spec: { template } });
    expect(rc.errors).toEqual([]);
    expect(rc.obj.spec).toMatchObject({ replicas: 1, selector: { app: 'a' } });
    expect(rc.obj.metadata!.labels).toEqual({ app: 'a' });
  });

  it('Namespace: phase, finalizer and name label', () => {
    const { obj, errors } = create('', 'namespaces', { metadata: { name: 'team-a' } });
    expect(errors).toEqual([]);
    expect(obj).toEqual({
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    });
  });

  it('Secret: type Opaque and stringData merged into data', () => {
    const { obj, errors } = create('', 'secrets', {
      metadata: { name: 's', namespace: 'default' }, data: { a: 'b2xk', b: 'b2xk' }, stringData: { b: 'new', c: 'ünï' },
    });
    expect(errors).toEqual([]);
    expect(obj).toEqual({ metadata: { name: 's', namespace: 'default' }, type: 'Opaque', data: { a: 'b2xk', b: 'bmV3', c: 'w7xuw68=' } });
  });

  it('PVC, PV, StorageClass, PriorityClass, NetworkPolicy, CRD, RBAC', () => {
    expect(create('', 'persistentvolumeclaims', { metadata: { name: 'c', namespace: 'd' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }).obj)
      .toMatchObject({ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(create('', 'persistentvolumes', { metadata: { name: 'v' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/d' } } }).obj)
      .toMatchObject({ spec: { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', hostPath: { path: '/d', type: '' } }, status: { phase: 'Pending', lastPhaseTransitionTime: '2025-06-01T12:00:00Z' } });
    expect(create('storage.k8s.io', 'storageclasses', { metadata: { name: 'fast' }, provisioner: 'example.com/disk' }).obj)
      .toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(create('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'high' }, value: 1000 }).obj.preemptionPolicy).toBe('PreemptLowerPriority');
    expect(create('networking.k8s.io', 'networkpolicies', { metadata: { name: 'n', namespace: 'd' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } }).obj.spec)
      .toEqual({ podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] });
    const crd = create('apiextensions.k8s.io', 'customresourcedefinitions', {
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    });
    expect(crd.errors).toEqual([]);
    expect(crd.obj.spec.names).toEqual({ plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    expect(crd.obj.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.obj.status.storedVersions).toEqual(['v1']);
    const rb = create('rbac.authorization.k8s.io', 'rolebindings', {
      metadata: { name: 'rb', namespace: 'd' }, roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'default', namespace: 'd' }],
    });
    expect(rb.errors).toEqual([]);
    expect(rb.obj.roleRef.apiGroup).toBe('rbac.authorization.k8s.io');
    expect(rb.obj.subjects).toEqual([
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'default', namespace: 'd', apiGroup: '' },
    ]);
  });

  it('HPA v2 behavior defaults', () => {
    const { obj } = create('autoscaling', 'horizontalpodautoscalers', {
      metadata: { name: 'h', namespace: 'd' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    }, 'v2');
    expect(obj.spec.minReplicas).toBe(1);
    expect(obj.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(obj.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('validation messages as kube-apiserver prints them', () => {
  const pod = (spec: object) => create('', 'pods', { metadata: { name: 'p', namespace: 'default' }, spec }).errors;

  it('pod containers', () => {
    expect(pod({ containers: [] })).toEqual(['spec.containers: Required value']);
    expect(pod({ containers: [{}] })).toEqual(['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value']);
    expect(pod({ containers: [{ name: 'Web_1', image: 'x' }] })).toEqual([`spec.containers[0].name: Invalid value: "Web_1": ${DNS_LABEL_MSG}`]);
    expect(pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] })).toEqual(['spec.containers[1].name: Duplicate value: "a"']);
    expect(pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }, { containerPort: 80, name: 'HTTP' }] }] })).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[1].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ]);
    expect(pod({ containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }))
      .toEqual(['spec.containers[0].volumeMounts[0].name: Not found: "data"']);
  });

  it('pod restart and DNS policy', () => {
    expect(pod({ containers: [{ name: 'a', image: 'x' }], restartPolicy: 'Sometimes' }))
      .toEqual(['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
    expect(pod({ containers: [{ name: 'a', image: 'x' }], dnsPolicy: 'Custom' }))
      .toEqual(['spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"']);
  });

  it('resource requests may not exceed limits; quantities must parse', () => {
    expect(pod({ containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1000m' } } }] }))
      .toEqual(['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1']);
    expect(pod({ containers: [{ name: 'a', image: 'x', resources: { requests: { memory: 'lots' } } }] }))
      .toEqual([`spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`]);
    // A Pod's requests default to its limits, so both report the unknown resource.
    expect(pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { gpus: '1' } } }] })).toEqual([
      'spec.containers[0].resources.limits[gpus]: Invalid value: "gpus": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpus]: Invalid value: "gpus": must be a standard resource for containers',
    ]);
    expect(pod({ containers: [{ name: 'a', image: 'x', resources: { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } } }] }))
      .toEqual(['spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2']);
  });

  it('pod updates may change only images and a few more fields', () => {
    const old = create('', 'pods', { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } }).obj;
    expect(update('', 'pods', old, { ...old, spec: { ...old.spec, containers: [{ ...old.spec.containers[0], image: 'x:2' }] } }).errors).toEqual([]);
    // The binding subresource shares this validation: nodeName may be set once.
    expect(update('', 'pods', old, { ...old, spec: { ...old.spec, nodeName: 'node-1' } }).errors).toEqual([]);
    const changed = update('', 'pods', old, { ...old, spec: { ...old.spec, restartPolicy: 'Never' } }).errors;
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });

  const deployment = (spec: object) => ({ metadata: { name: 'web', namespace: 'default' }, spec });
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

  it('deployment selector and template labels', () => {
    expect(create('apps', 'deployments', deployment({ selector: { matchLabels: { app: 'api' } }, template })).errors)
      .toEqual(['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
    expect(create('apps', 'deployments', deployment({ template })).errors).toEqual([
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(create('apps', 'deployments', deployment({ selector: {}, template })).errors)
      .toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
    expect(create('apps', 'deployments', deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }, { key: 'x', operator: 'Has' }] }, template })).errors).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      'spec.selector.matchExpressions[1].operator: Invalid value: "Has": not a valid selector operator',
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('deployment replicas, restart policy and strategy', () => {
    const selector = { matchLabels: { app: 'web' } };
    expect(create('apps', 'deployments', deployment({ replicas: -1, selector, template })).errors)
      .toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
    expect(create('apps', 'deployments', deployment({ selector, template: { ...template, spec: { ...template.spec, restartPolicy: 'OnFailure' } } })).errors)
      .toEqual(['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']);
    expect(create('apps', 'deployments', deployment({ selector, template, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })).errors)
      .toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  });

  it('apps selectors are immutable', () => {
    const old = create('apps', 'deployments', deployment({ selector: { matchLabels: { app: 'web' } }, template })).obj;
    const changed = structuredClone(old);
    changed.spec.selector = { matchLabels: { tier: 'fe', app: 'web' } };
    changed.spec.template.metadata.labels = { app: 'web', tier: 'fe' };
    expect(update('apps', 'deployments', old, changed).errors)
      .toEqual(['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable']);
  });

  it('statefulset updates are limited to a few fields', () => {
    const old = create('apps', 'statefulsets', { metadata: { name: 's', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'a', template } }).obj;
    expect(update('apps', 'statefulsets', old, { ...old, spec: { ...old.spec, replicas: 3 } }).errors).toEqual([]);
    expect(update('apps', 'statefulsets', old, { ...old, spec: { ...old.spec, serviceName: 'b' } }).errors).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it('service ports', () => {
    const svc = (spec: object) => create('', 'services', { metadata: { name: 's', namespace: 'd' }, spec }).errors;
    expect(svc({ selector: { app: 'a' } })).toEqual(['spec.ports: Required value']);
    expect(svc({ ports: [{ port: 0 }] })).toEqual(['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive']);
    expect(svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] })).toEqual(['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}']);
    expect(svc({ ports: [{ port: 80 }, { port: 81 }] })).toEqual(['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
    expect(svc({ ports: [{ port: 80, targetPort: 'http--x' }] })).toEqual(['spec.ports[0].targetPort: Invalid value: "http--x": must not contain consecutive hyphens']);
    expect(svc({ ports: [{ port: 80, protocol: 'HTTP' }] })).toEqual(['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']);
    expect(svc({ type: 'Balanced', ports: [{ port: 80 }] })).toEqual(['spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
    expect(svc({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(svc({ type: 'ExternalName' })).toEqual(['spec.externalName: Required value']);
    expect(create('', 'services', { metadata: { name: '1web', namespace: 'd' }, spec: { ports: [{ port: 80 }] } }).errors).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  it('configmap and secret keys, size, immutability', () => {
    expect(create('', 'configmaps', { metadata: { name: 'c', namespace: 'd' }, data: { 'bad key': 'v' } }).errors).toEqual([
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
    const big = btoa('x'.repeat(1024 * 1024 + 1));
    expect(create('', 'secrets', { metadata: { name: 's', namespace: 'd' }, data: { k: big } }).errors)
      .toEqual(['data: Too long: may not be more than 1048576 bytes']);
    expect(create('', 'secrets', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }).errors)
      .toEqual(['data[tls.key]: Required value']);
    const old = create('', 'secrets', { metadata: { name: 's', namespace: 'd' }, immutable: true, data: { a: 'eA==' } }).obj;
    expect(update('', 'secrets', old, { ...old, data: { a: 'eQ==' } }).errors).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(update('', 'secrets', old, { ...old, type: 'kubernetes.io/basic-auth', data: { a: 'eA==', username: 'dQ==' } }).errors)
      .toContain('type: Invalid value: "kubernetes.io/basic-auth": field is immutable');
  });

  it('labels in selectors and node selectors', () => {
    expect(pod({ containers: [{ name: 'a', image: 'x' }], nodeSelector: { 'bad/key/x': 'v', zone: 'not valid' } })).toEqual([
      "spec.nodeSelector: Invalid value: \"bad/key/x\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      "spec.nodeSelector: Invalid value: \"not valid\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('jobs: restart policy, generated selector, immutable template', () => {
    const job = (spec: object, meta: object = {}) => create('batch', 'jobs', { metadata: { name: 'j', namespace: 'd', uid: UID, ...meta }, spec });
    expect(job({ template: { spec: { containers: [{ name: 'c', image: 'x' }] } } }).errors)
      .toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
    expect(job({ manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } }).errors)
      .toEqual(['spec.template.metadata.labels: Invalid value: {"a":"c"}: `selector` does not match template `labels`']);
    const old = job({ template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } }).obj;
    const changed = structuredClone(old);
    changed.spec.template.spec.containers[0].image = 'y';
    expect(update('batch', 'jobs', old, changed).errors).toHaveLength(1);
    expect(update('batch', 'jobs', old, changed).errors[0]).toMatch(/^spec.template: Invalid value: .*: field is immutable$/);
  });

  it('cronjob schedules', () => {
    const cj = (schedule: string) => create('batch', 'cronjobs', {
      metadata: { name: 'c', namespace: 'd' },
      spec: { schedule, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } } } },
    }).errors;
    expect(cj('@hourly')).toEqual([]);
    expect(cj('0 0 * * mon-fri')).toEqual([]);
    expect(cj('bad')).toEqual(['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']);
    expect(cj('61 * * * *')).toEqual(['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']);
    expect(cj('TZ=UTC 0 * * * *')).toEqual(['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
    expect(cronScheduleError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  });

  it('namespaces, priority classes, webhooks, RBAC, ingresses, HPAs, PDBs', () => {
    expect(create('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'huge' }, value: 2000000000 }).errors)
      .toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    expect(create('admissionregistration.k8s.io', 'validatingwebhookconfigurations', {
      metadata: { name: 'w' }, webhooks: [{ name: 'check', clientConfig: { url: 'https://h/x' } }],
    }).errors).toEqual([
      'webhooks[0].name: Invalid value: "check": should be a domain with at least three segments separated by dots',
      'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun',
      'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
    ]);
    expect(create('rbac.authorization.k8s.io', 'clusterrolebindings', {
      metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }],
    }).errors).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
    expect(create('rbac.authorization.k8s.io', 'roles', { metadata: { name: 'r', namespace: 'd' }, rules: [{ verbs: ['get'] }] }).errors).toEqual([
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
    expect(create('networking.k8s.io', 'ingresses', {
      metadata: { name: 'i', namespace: 'd' },
      spec: { rules: [{ host: 'example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    }).errors).toEqual(['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
    expect(create('autoscaling', 'horizontalpodautoscalers', {
      metadata: { name: 'h', namespace: 'd' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, minReplicas: 3, maxReplicas: 2 },
    }, 'v2').errors).toEqual(['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
    expect(create('policy', 'poddisruptionbudgets', { metadata: { name: 'p', namespace: 'd' }, spec: { minAvailable: 1, maxUnavailable: '120%' } }).errors).toEqual([
      'spec: Invalid value: {"maxUnavailable":"120%","minAvailable":1}: minAvailable and maxUnavailable cannot be both set',
      'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ]);
    expect(create('networking.k8s.io', 'ipaddresses', { metadata: { name: '2001:db8:0::1' }, spec: { parentRef: { resource: 'services', name: 's' } } }).errors)
      .toEqual(['metadata.name: Invalid value: "2001:db8:0::1": must be in canonical form ("2001:db8::1")']);
  });
});

describe('conversions', () => {
  it('autoscaling/v1 targetCPUUtilizationPercentage ↔ a v2 CPU metric', () => {
    const v1 = {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'd' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
    };
    const v2 = hpaV1ToV2(v1);
    expect(v2).toEqual({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'd' },
      spec: { scaleTargetRef: v1.spec.scaleTargetRef, minReplicas: 1, maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    expect(hpaV2ToV1(v2)).toEqual(v1);
    // v1 without a target gets the implicit 80%.
    const { targetCPUUtilizationPercentage: _, ...noTarget } = v1.spec;
    expect(hpaV1ToV2({ ...v1, spec: noTarget }).spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  it('v2 metrics, status and behavior round-trip through v1 annotations', () => {
    const v2: KubeObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'd', annotations: { team: 'a' } },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
          { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } },
          { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '2k' } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
      status: {
        currentReplicas: 3, desiredReplicas: 4,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70, averageValue: '350m' } } }],
        conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2025-06-01T11:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
      },
    };
    const v1 = hpaV2ToV1(v2);
    expect(v1.spec).toEqual({ scaleTargetRef: v2.spec.scaleTargetRef, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    expect(v1.status).toEqual({ currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 70 });
    const annotations = v1.metadata!.annotations;
    expect(Object.keys(annotations).sort()).toEqual(['team', ...Object.values(HPA_ANNOTATIONS)].sort());
    expect(JSON.parse(annotations[HPA_ANNOTATIONS.metrics])[0]).toEqual({ type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '1k' } });
    expect(JSON.parse(annotations[HPA_ANNOTATIONS.currentMetrics]))
      .toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 70, currentAverageValue: '350m' } }]);
    // Kubernetes writes the behavior annotation from its internal type: Go field names, nulls kept.
    expect(JSON.parse(annotations[HPA_ANNOTATIONS.behavior])).toEqual({
      ScaleUp: null,
      ScaleDown: { StabilizationWindowSeconds: 120, SelectPolicy: 'Min', Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 60 }], Tolerance: null },
    });
    expect(hpaV1ToV2(v1)).toEqual(v2);
  });

  it('a v1 update cannot smuggle stale round-trip annotations into v2', () => {
    const v1 = hpaV2ToV1({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', annotations: { [HPA_ANNOTATIONS.conditions]: 'junk' } },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'w' }, maxReplicas: 3, metrics: [] } });
    expect(v1.metadata!.annotations).toBeUndefined();
  });

  it('events: core/v1 ↔ events.k8s.io/v1', () => {
    const core = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17a', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled', message: 'Successfully pulled image', source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2025-06-01T11:00:00Z', lastTimestamp: '2025-06-01T11:05:00Z', count: 3, type: 'Normal',
      eventTime: '2025-06-01T11:00:00.000000Z', series: { count: 3, lastObservedTime: '2025-06-01T11:05:00.000000Z' },
      action: 'Pull', related: { kind: 'Node', name: 'node-1' }, reportingComponent: 'kubelet', reportingInstance: 'node-1',
    };
    const events = coreToEventsV1(core);
    expect(events).toEqual({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: core.metadata,
      regarding: core.involvedObject, reason: 'Pulled', note: 'Successfully pulled image',
      deprecatedSource: core.source, deprecatedFirstTimestamp: core.firstTimestamp, deprecatedLastTimestamp: core.lastTimestamp,
      deprecatedCount: 3, type: 'Normal', eventTime: core.eventTime, series: core.series, action: 'Pull', related: core.related,
      reportingController: 'kubelet', reportingInstance: 'node-1',
    });
    expect(eventsV1ToCore(events)).toEqual(core);
  });

  it('events.k8s.io/v1 writes are held to the new event model', () => {
    const stored = eventsV1ToCore({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' },
      regarding: { kind: 'Pod', name: 'web', namespace: 'default' }, note: 'hi', type: 'Normal', deprecatedCount: 2,
    });
    const errors = def('events.k8s.io', 'events').strategy!.validate!(stored, ctx).map(e => `${e.field}: ${e.message}`);
    expect(errors).toEqual(['eventTime: Required value', 'deprecatedCount: Invalid value: "": needs to be unset']);
  });
});

describe('quantities', () => {
  it.each([
    ['1000m', '1'], ['1500m', '1500m'], ['0.5', '500m'], ['2048Mi', '2Gi'], ['1536Ki', '1536Ki'], ['1000', '1k'],
    ['1e3', '1e3'], ['1.5e3', '1500'], ['0.5Gi', '512Mi'], ['100Mi', '100Mi'], ['0', '0'], ['1024', '1024'], ['12Gi', '12Gi'],
  ])('%s is written back as %s', (input, canonical) => {
    expect(formatQuantity(parseQuantity(input)!)).toBe(canonical);
  });

  it('rejects what is not a quantity', () => {
    for (const bad of ['', 'abc', '1.2.3', '1Kb', '--1']) expect(parseQuantity(bad), bad).toBeUndefined();
  });
});
