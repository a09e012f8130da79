import { describe, expect, it } from 'vitest';
import { checkObject, findDuplicateFields, parseGoDuration, parseGoTime, strictFieldErrors } from '../../src/api/schema/check.ts';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const SECRET = 'io.k8s.api.core.v1.Secret';
const QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

function deployment(container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ...container }] },
      },
      ...spec,
    },
  };
}

const typeErrorsOf = (object: unknown, defName = DEPLOYMENT) => checkObject(object, defName).typeErrors;

describe('checkObject: unknown fields', () => {
  it('accepts a valid object unchanged', () => {
    const object = deployment({ ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '500m', memory: '1Gi' } } },
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } });
    const before = structuredClone(object);
    expect(checkObject(object, DEPLOYMENT)).toEqual({ unknownFields: [], typeErrors: [] });
    expect(object).toEqual(before);
  });

  it('reports unknown fields with their paths and prunes them', () => {
    const object = deployment({ imagePullPolice: 'Always', livenessProbe: { httpGet: { port: 80, bogus: 1 } } }, { foo: 'bar' });
    object.metadata.Name = 'case matters';
    const result = checkObject(object, DEPLOYMENT);
    expect(result.unknownFields).toEqual([
      'metadata.Name',
      'spec.template.spec.containers[0].imagePullPolice',
      'spec.template.spec.containers[0].livenessProbe.httpGet.bogus',
      'spec.foo',
    ]);
    expect(result.typeErrors).toEqual([]);
    expect(object.metadata).toEqual({ name: 'web', namespace: 'default', labels: { app: 'web' } });
    expect(object.spec.foo).toBeUndefined();
    expect(object.spec.template.spec.containers[0]).toEqual({ name: 'nginx', image: 'nginx', livenessProbe: { httpGet: { port: 80 } } });
  });

  it('knows inline embedded fields and leaves opaque values alone', () => {
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: 1, data: { anything: { goes: [1] } } };
    expect(checkObject(revision, 'io.k8s.api.apps.v1.ControllerRevision').unknownFields).toEqual([]);
    const volume = { spec: { volumes: [{ name: 'v', configMap: { name: 'cm', defaultMode: 420 }, secret: { secretName: 's' } }] } };
    expect(checkObject(volume, 'io.k8s.api.core.v1.Pod')).toEqual({ unknownFields: [], typeErrors: [] });
  });

  it('checks CustomResourceDefinitions, including the x-kubernetes extensions', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', kind: 'Widget' },
        scope: 'Namespaced',
        versions: [{
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { spec: { type: 'object', typo: 1 } } } },
        }],
      },
    };
    expect(checkObject(crd, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition')).toEqual({
      unknownFields: ['spec.versions[0].schema.openAPIV3Schema.properties.spec.typo'],
      typeErrors: [],
    });
  });
});

describe('checkObject: type errors, worded as encoding/json words them', () => {
  it('reports a wrong scalar with the struct, the field path from the root and the Go type', () => {
    expect(typeErrorsOf(deployment({}, { replicas: '3' }))).toEqual([
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
    expect(typeErrorsOf(deployment({}, { replicas: 1.5 }))).toEqual([
      'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
    expect(typeErrorsOf(deployment({}, { paused: 'yes' }))).toEqual([
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool',
    ]);
  });

  it('leaves list indexes out of the path and names named Go types', () => {
    expect(typeErrorsOf(deployment({ ports: [{ containerPort: '80', protocol: 6 }] }))).toEqual([
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
      'json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec.containers.ports.protocol of type v1.Protocol',
    ]);
    const object = deployment();
    object.spec.template.spec.containers = 'nginx';
    object.metadata.labels = { app: 1 };
    expect(typeErrorsOf(object)).toEqual([
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
      'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    ]);
    expect(typeErrorsOf([])).toEqual(['json: cannot unmarshal array into Go value of type v1.Deployment']);
  });

  it('names the embedded struct of inline fields, as Go 1.24+ does', () => {
    expect(typeErrorsOf(deployment({ livenessProbe: { exec: 'ls' } }))).toEqual([
      'json: cannot unmarshal string into Go struct field Probe.spec.template.spec.containers.livenessProbe.ProbeHandler.exec of type v1.ExecAction',
    ]);
  });

  it('puts the errors that stop Go decoding first: quantities, int-or-string, times', () => {
    const object = deployment({ resources: { limits: { cpu: 'lots' } } }, { replicas: '1', strategy: { rollingUpdate: { maxSurge: true } } });
    expect(typeErrorsOf(object)).toEqual([
      QUANTITY_ERROR,
      'json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ]);
  });

  it('parses quantities as resource.ParseQuantity does', () => {
    const cpu = (value: unknown) => typeErrorsOf(deployment({ resources: { requests: { cpu: value } } }));
    for (const ok of ['1', '500m', '1.5', '0.5Gi', '1e3', '2E-3', '+1', '100Ki', 1, 0.25, null]) expect(cpu(ok)).toEqual([]);
    for (const bad of ['', 'abc', '1.2.3', '1x', true, {}]) expect(cpu(bad)).toEqual([QUANTITY_ERROR]);
    for (const bad of ['1mm', '1K', '1e', '1Mi3']) expect(cpu(bad)).toEqual(["unable to parse quantity's suffix"]);
  });

  it('checks []byte values as base64', () => {
    const secret = (data: Record<string, unknown>) => typeErrorsOf({ data }, SECRET);
    expect(secret({ a: 'c2VjcmV0', b: 'YQ==', c: 'YWJj\nZA==' })).toEqual([]);
    expect(secret({ a: 'not base64!' })).toEqual(['illegal base64 data at input byte 3']);
    expect(secret({ a: 'YQ' })).toEqual(['illegal base64 data at input byte 0']);
    expect(secret({ a: 'YQ==x' })).toEqual(['illegal base64 data at input byte 4']);
    expect(secret({ a: 7 })).toEqual(['json: cannot unmarshal number into Go struct field Secret.data of type []uint8']);
  });

  it('parses times and durations as metav1.Time, MicroTime and time.ParseDuration do', () => {
    const created = (value: unknown) => typeErrorsOf({ metadata: { creationTimestamp: value } });
    expect(created('2024-02-29T10:00:00Z')).toEqual([]);
    expect(created('yesterday')).toEqual(['parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"']);
    expect(created(5)).toEqual(['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string']);
    expect(parseGoTime('2023-02-29T10:00:00Z', false)).toBe('parsing time "2023-02-29T10:00:00Z": day out of range');
    expect(parseGoTime('2023-01-01T10:00:00+01:00', false)).toBeUndefined();
    expect(parseGoTime('2023-01-01 10:00:00Z', false)).toBe('parsing time "2023-01-01 10:00:00Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 10:00:00Z" as "T"');
    expect(parseGoTime('2023-01-01T10:00:00Zjunk', false)).toBe('parsing time "2023-01-01T10:00:00Zjunk": extra text: "junk"');
    expect(parseGoTime('2023-01-01T10:00:00.123456Z', true)).toBeUndefined();
    expect(parseGoTime('2023-01-01T10:00:00Z', true)).toBe('parsing time "2023-01-01T10:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"');
    expect(parseGoDuration('1h30m')).toBeUndefined();
    expect(parseGoDuration('1')).toBe('time: missing unit in duration "1"');
    expect(parseGoDuration('3d')).toBe('time: unknown unit "d" in duration "3d"');
    expect(parseGoDuration('')).toBe('time: invalid duration ""');
  });
});

describe('strict field errors from the JSON text', () => {
  // The body of Kubernetes' own field-validation integration test.
  const invalidBody = JSON.stringify(deployment()).replace('"replicas":2,', '')
    .replace('"spec":{', '"spec":{"unknown1":"val1","unknownDupe":"valDupe","unknownDupe":"valDupe2","paused":true,"paused":false,')
    .replace('"image":"nginx"', '"image":"nginx","unknownNested":"val1","imagePullPolicy":"Always","imagePullPolicy":"Never"');

  it('lists unknown and duplicate fields in document order, as kube-apiserver does', () => {
    expect(strictFieldErrors(invalidBody, DEPLOYMENT)).toEqual([
      'unknown field "spec.unknown1"',
      'unknown field "spec.unknownDupe"', // only once: both unknown and duplicated, and messages are deduplicated
      'duplicate field "spec.paused"',
      'unknown field "spec.template.spec.containers[0].unknownNested"',
      'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]);
  });

  it('finds duplicate fields: known struct fields and map keys with a definition, everything without', () => {
    const text = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","labels":{"x":"1","x":"2"}},"spec":{"replicas":1,"replicas":2}}';
    expect(findDuplicateFields(text, DEPLOYMENT)).toEqual(['metadata.labels.x', 'spec.replicas']);
    expect(findDuplicateFields('{"replicas":1,"replicas":2}', 'io.k8s.api.apps.v1.DeploymentSpec')).toEqual(['replicas']);
    expect(findDuplicateFields(invalidBody, DEPLOYMENT)).toEqual(['spec.paused', 'spec.template.spec.containers[0].imagePullPolicy']);
    expect(findDuplicateFields(invalidBody)).toEqual(['spec.unknownDupe', 'spec.paused', 'spec.template.spec.containers[0].imagePullPolicy']);
    // Go's decoder does not look inside RawExtension values; plain JSON decoding does.
    const revision = '{"kind":"ControllerRevision","data":{"a":1,"a":2},"revision":1}';
    expect(findDuplicateFields(revision, 'io.k8s.api.apps.v1.ControllerRevision')).toEqual([]);
    expect(findDuplicateFields(revision)).toEqual(['data.a']);
  });

  it('handles escapes, odd spacing and invalid JSON without throwing', () => {
    expect(findDuplicateFields(' { "spe\\u0063" : { "paused" : true , "paused" : false } } ', DEPLOYMENT)).toEqual(['spec.paused']);
    expect(strictFieldErrors('{"spec":{"we\\"ird":1}}', DEPLOYMENT)).toEqual(['unknown field "spec.we\\"ird"']);
    expect(findDuplicateFields('{"spec":{"paused":true,"paused":', DEPLOYMENT)).toEqual(['spec.paused']);
    expect(findDuplicateFields('not json')).toEqual([]);
  });
});

describe('speed', () => {
  it('checks a 10 KB Deployment in well under a millisecond', () => {
    const containers = Array.from({ length: 10 }, (_, i) => ({
      name: `c${i}`,
      image: `registry.example.com/team/app-${i}:1.2.3`,
      command: ['/bin/app', '--serve'],
      args: ['--port=8080', '--verbose', `--id=${i}`],
      env: Array.from({ length: 8 }, (_, j) => ({ name: `VAR_${j}`, value: `value-${j}` })),
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090 }],
      resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
      readinessProbe: { tcpSocket: { port: 8080 }, timeoutSeconds: 2 },
      volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }));
    const object = deployment({}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } } });
    Object.assign(object.spec.template.spec, { containers, volumes: [{ name: 'config', configMap: { name: 'app-config' } }], serviceAccountName: 'app' });
    object.metadata.annotations = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`example.com/note-${i}`, 'x'.repeat(40)]));
    const text = JSON.stringify(object);
    expect(text.length).toBeGreaterThan(10_000);

    const run = () => {
      const parsed = JSON.parse(text);
      const result = checkObject(parsed, DEPLOYMENT);
      const strict = strictFieldErrors(text, DEPLOYMENT);
      if (result.unknownFields.length || result.typeErrors.length || strict.length) throw new Error('expected a clean object');
    };
    for (let i = 0; i < 300; i++) run();
    const rounds = 500;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) run();
    const perRun = (performance.now() - start) / rounds;
    console.log(`10 KB Deployment: ${text.length} bytes, ${perRun.toFixed(3)} ms per check`);
    expect(perRun).toBeLessThan(1);
  });
});
