// Field management and server-side apply. Expectations come from the Kubernetes docs ("Server-Side
// Apply": field management, conflicts, merge strategy, clearing managedFields), KEP-555, kubectl's
// CSA→SSA migration as captured on the wire, and managedFields as a 1.35 API server records them.
import { describe, expect, it } from 'vitest';
import {
  ApplyConflict, FieldSet, FieldsV1Error, displayPath, fieldScopeFor, fieldSetOf, managerFromUserAgent, rootShape,
  serverSideApply, trackUpdate, type ApplyContext, type UpdateContext,
} from '../../src/api/ssa/index.ts';
import { StatusError } from '../../src/api/errors.ts';
import type { KubeObject } from '../../src/api/registry/types.ts';

// ---- helpers ----

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const CONFIGMAP = 'io.k8s.api.core.v1.ConfigMap';
const T0 = new Date('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function deployment(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...metadata },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

/** The pod spec of a deployment-shaped configuration, for tests about lists inside it. */
function withPod(pod: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return deployment({ template: { metadata: { labels: { app: 'web' } }, spec: pod }, ...extra });
}

function apply(live: KubeObject | undefined, applied: unknown, manager: string, opts: Partial<ApplyContext> = {}) {
  return serverSideApply(live, applied, { manager, apiVersion: 'apps/v1', now: T0, force: false, definition: DEPLOYMENT, ...opts });
}

/** Applies and returns the new object (the API layer would store it). */
const applied = (live: KubeObject | undefined, config: unknown, manager: string, opts: Partial<ApplyContext> = {}) =>
  apply(live, config, manager, opts).object;

function track(old: KubeObject | undefined, next: KubeObject, manager: string, opts: Partial<UpdateContext> = {}) {
  return trackUpdate(old, next, { manager, apiVersion: 'apps/v1', now: T0, definition: DEPLOYMENT, ...fieldScopeFor(opts.subresource), ...opts });
}

/** A stored object: the created object with the server-set metadata a real create adds. */
function stored(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '1', generation: 1, creationTimestamp: '2026-03-01T09:00:00Z' } };
}

const entries = (obj: KubeObject): any[] => obj.metadata?.managedFields ?? [];
const managers = (obj: KubeObject) => entries(obj).map(e => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);
const fieldsOf = (obj: KubeObject, manager: string, operation = 'Apply') =>
  entries(obj).find(e => e.manager === manager && e.operation === operation)?.fieldsV1;
const owns = (obj: KubeObject, manager: string, path: string, operation = 'Apply') => {
  const v1 = fieldsOf(obj, manager, operation);
  return v1 ? FieldSet.fromFieldsV1(v1).paths().map(displayPath).includes(path) : false;
};

function conflictOf(fn: () => unknown): ApplyConflict {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApplyConflict) return e;
    throw e;
  }
  throw new Error('expected an apply conflict');
}

// ---- FieldsV1 ----

describe('FieldsV1', () => {
  it.each([
    ['the brief example', '{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{}}}}}'],
    ['a two-field key', '{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}'],
    ['set items', '{"f:metadata":{"f:finalizers":{".":{},"v:\\"example.com/a\\"":{},"v:\\"example.com/b\\"":{}}}}'],
    ['the docs ConfigMap', '{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}'],
    ['an empty set', '{}'],
  ])('round-trips %s exactly', (_, text) => {
    expect(JSON.stringify(FieldSet.fromFieldsV1(JSON.parse(text)).toFieldsV1())).toBe(text);
  });

  it('canonicalizes keys and orders elements as Kubernetes does', () => {
    const set = FieldSet.fromFieldsV1({
      'v:"b"': {}, 'k:{"protocol":"TCP","containerPort":80}': {}, 'f:z': {}, 'k:{"containerPort":8080,"protocol":"TCP"}': {},
      'v:"a"': {}, 'f:a': { '.': {}, 'f:x': {} }, 'i:2': {},
    });
    expect(Object.keys(set.toFieldsV1())).toEqual([
      'f:a', 'f:z', 'k:{"containerPort":80,"protocol":"TCP"}', 'k:{"containerPort":8080,"protocol":"TCP"}', 'v:"a"', 'v:"b"', 'i:2',
    ]);
  });

  it('escapes key values as Go does', () => {
    const set = FieldSet.fromFieldsV1({ 'k:{"name":"a<b>&c"}': {}, 'v:"x\\u0026y"': {} });
    expect(Object.keys(set.toFieldsV1())).toEqual(['k:{"name":"a\\u003cb\\u003e\\u0026c"}', 'v:"x\\u0026y"']);
  });

  it.each([
    ['a bad prefix', { 'x:foo': {} }],
    ['a non-object value', { 'f:spec': true }],
    ['a key that is not an object', { 'k:["a"]': {} }],
    ['invalid JSON in a key', { 'k:{name}': {} }],
    ['not an object', ['f:spec']],
  ])('rejects %s', (_, json) => {
    expect(() => FieldSet.fromFieldsV1(json)).toThrow(FieldsV1Error);
  });

  it('prints paths as conflict messages do', () => {
    expect(displayPath(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']))
      .toBe('.spec.template.spec.containers[name="nginx"].image');
    expect(displayPath(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(displayPath(['f:metadata', 'f:finalizers', 'v:"example.com/a"'])).toBe('.metadata.finalizers[="example.com/a"]');
  });
});

describe('FieldSet algebra', () => {
  const a = FieldSet.of(['f:spec', 'f:replicas'], ['f:spec', 'f:paused'], ['f:metadata', 'f:labels', 'f:app']);
  const b = FieldSet.of(['f:spec', 'f:replicas'], ['f:metadata', 'f:labels', 'f:tier']);
  const list = (s: FieldSet) => s.paths().map(displayPath);

  it.each([
    ['union', a.union(b), ['.metadata.labels.app', '.metadata.labels.tier', '.spec.paused', '.spec.replicas']],
    ['difference', a.difference(b), ['.metadata.labels.app', '.spec.paused']],
    ['intersection', a.intersection(b), ['.spec.replicas']],
    ['withoutPrefixes', a.withoutPrefixes(FieldSet.of(['f:spec'])), ['.metadata.labels.app']],
    ['onlyUnder', a.onlyUnder(FieldSet.of(['f:spec'])), ['.spec.paused', '.spec.replicas']],
  ])('%s', (_, result, expected) => {
    expect(list(result)).toEqual(expected);
  });

  it('a member and its children are distinct paths', () => {
    const s = FieldSet.of(['f:metadata', 'f:labels'], ['f:metadata', 'f:labels', 'f:app']);
    expect(s.has(['f:metadata', 'f:labels'])).toBe(true);
    expect(s.has(['f:metadata'])).toBe(false);
    expect(s.difference(FieldSet.of(['f:metadata', 'f:labels'])).toFieldsV1()).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {} } } });
    expect(FieldSet.of(['f:a']).difference(FieldSet.of(['f:a'])).isEmpty).toBe(true);
  });
});

// ---- the fields an object sets ----

describe('fieldSetOf (the fields a configuration sets)', () => {
  const podSpec = (v: any) => v['f:spec']['f:template']['f:spec'];
  const whole = (v: any) => v;
  const cases: [string, KubeObject, string | undefined, (v1: any) => unknown, unknown][] = [
    ['struct fields own leaves only; map entries and list items own themselves',
      deployment({ replicas: 2 }, { labels: { app: 'web' } }), DEPLOYMENT, whole,
      { 'f:apiVersion': {}, 'f:kind': {}, 'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {}, 'f:namespace': {} },
        'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } }],
    ['ports are keyed by containerPort and the defaulted protocol',
      withPod({ containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] }), DEPLOYMENT,
      v => podSpec(v)['f:containers']['k:{"name":"c"}']['f:ports'],
      { 'k:{"containerPort":53,"protocol":"UDP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
        'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } }],
    ['finalizers are a set, owned item by item', deployment({}, { finalizers: ['example.com/b', 'example.com/a'] }), DEPLOYMENT,
      v => v['f:metadata']['f:finalizers'], { 'v:"example.com/a"': {}, 'v:"example.com/b"': {} }],
    ['atomic lists, atomic maps and empty structs are one field',
      withPod({ containers: [{ name: 'c', command: ['sh', '-c'], resources: {} }], tolerations: [{ key: 'k', operator: 'Exists' }], nodeSelector: { disk: 'ssd' } }), DEPLOYMENT,
      podSpec, { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:command': {}, 'f:name': {}, 'f:resources': {} } }, 'f:nodeSelector': {}, 'f:tolerations': {} }],
    ['key selectors are atomic structs', withPod({ containers: [{ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] }), DEPLOYMENT,
      podSpec, { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:env': { 'k:{"name":"X"}': { '.': {}, 'f:name': {}, 'f:valueFrom': { 'f:secretKeyRef': {} } } }, 'f:name': {} } } }],
    ['owner references are atomic items keyed by uid', deployment({}, { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u1' }] }), DEPLOYMENT,
      v => v['f:metadata']['f:ownerReferences'], { 'k:{"uid":"u1"}': {} }],
    ['service ports are keyed by port and protocol; the selector map is atomic',
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } } }, 'io.k8s.api.core.v1.Service',
      v => v['f:spec'], { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} }],
    ['unknown kinds: keys are struct fields, lists are atomic',
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { a: 'b' } }, spec: { size: 3, tags: ['x'], nested: { deep: true }, empty: {} } }, undefined,
      whole, { 'f:apiVersion': {}, 'f:kind': {}, 'f:metadata': { 'f:labels': { 'f:a': {} }, 'f:name': {} },
        'f:spec': { 'f:empty': {}, 'f:nested': { 'f:deep': {} }, 'f:size': {}, 'f:tags': {} } }],
  ];
  it.each(cases)('%s', (_, obj, def, pick, expected) => {
    expect(pick(fieldSetOf(obj, rootShape(def)).toFieldsV1())).toEqual(expected);
  });
});

// ---- server-side apply ----

describe('serverSideApply: create and no-op', () => {
  it('creates the object when it does not exist, owned by the applier', () => {
    const config = deployment({ replicas: 2 }, { labels: { app: 'web' } });
    const { object, changed } = apply(undefined, config, 'kubectl');
    expect(changed).toBe(true);
    const { managedFields, ...metadata } = object.metadata!;
    expect({ ...object, metadata }).toEqual(config);
    expect(managedFields).toEqual([{
      manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:selector': {},
        'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } },
    }]);
  });

  it('changes nothing when the same configuration is applied again, even later', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }), 'kubectl'));
    const again = apply(live, deployment({ replicas: 2 }), 'kubectl', { now: at(5) });
    expect(again.changed).toBe(false);
    expect(again.object).toEqual(live);
  });

  it('refreshes the timestamp when the object changes', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }), 'kubectl'));
    const next = apply(live, deployment({ replicas: 3 }), 'kubectl', { now: at(5) });
    expect(next.changed).toBe(true);
    expect(next.object.spec.replicas).toBe(3);
    expect(entries(next.object)[0].time).toBe('2026-03-01T10:05:00Z');
    expect(next.object.metadata!.uid).toBe('u-1');
  });

  it('keeps fields applied to the main resource out of status', () => {
    const config = { ...deployment({ replicas: 2 }), status: { replicas: 9 } };
    const { object } = apply(undefined, config, 'kubectl', fieldScopeFor());
    expect(object.status).toBeUndefined();
    expect(fieldsOf(object, 'kubectl')['f:status']).toBeUndefined();
  });
});

describe('serverSideApply: conflicts (docs: two managers on replicas)', () => {
  // An object created by client-side apply: kubectl-client-side-apply owns every field through Update.
  const csa = () => stored(track(undefined, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl-client-side-apply'));

  it('rejects a different value for a field another manager owns, with Kubernetes\' message', () => {
    const e = conflictOf(() => apply(csa(), deployment({ replicas: 3 }), 'my-manager'));
    expect(e.code).toBe(409);
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(e.conflicts).toEqual([{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', fields: ['.spec.replicas'] }]);
    expect(e.toStatus()).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409,
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
    });
  });

  it('lists several conflicts per manager, appliers without a version', () => {
    let live = csa();
    live = applied(live, { ...deployment({ replicas: 2 }), metadata: { name: 'web', namespace: 'default', annotations: { note: 'a' } } }, 'helm');
    const config = deployment({ replicas: 5, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } },
      { annotations: { note: 'b' } });
    const e = conflictOf(() => apply(live, config, 'argo'));
    expect(e.message).toBe([
      'Apply failed with 5 conflicts: conflicts with "helm":',
      '- .metadata.annotations.note',
      '- .spec.replicas',
      '- .spec.template.spec.containers[name="nginx"].image',
      'conflicts with "kubectl-client-side-apply" using apps/v1:',
      '- .spec.replicas',
      '- .spec.template.spec.containers[name="nginx"].image',
    ].join('\n'));
    expect((e.details!.causes ?? []).map(c => `${c.message}: ${c.field}`)).toEqual([
      'conflict with "helm": .metadata.annotations.note',
      'conflict with "helm": .spec.replicas',
      'conflict with "helm": .spec.template.spec.containers[name="nginx"].image',
      'conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      'conflict with "kubectl-client-side-apply" using apps/v1: .spec.template.spec.containers[name="nginx"].image',
    ]);
  });

  it('shares ownership when the applier sets the same value', () => {
    const next = apply(csa(), deployment({ replicas: 2 }), 'my-manager');
    expect(next.object.spec.replicas).toBe(2);
    expect(owns(next.object, 'my-manager', '.spec.replicas')).toBe(true);
    expect(owns(next.object, 'kubectl-client-side-apply', '.spec.replicas', 'Update')).toBe(true);
    // Any change to a shared field now conflicts with the other owner, even from one of them.
    const e = conflictOf(() => apply(next.object, deployment({ replicas: 4 }), 'my-manager'));
    expect(e.conflicts.map(c => c.manager)).toEqual(['kubectl-client-side-apply']);
  });

  it('moves ownership with force (--force-conflicts)', () => {
    const next = apply(csa(), deployment({ replicas: 3 }), 'my-manager', { force: true });
    expect(next.object.spec.replicas).toBe(3);
    expect(owns(next.object, 'my-manager', '.spec.replicas')).toBe(true);
    expect(owns(next.object, 'kubectl-client-side-apply', '.spec.replicas', 'Update')).toBe(false);
    expect(owns(next.object, 'kubectl-client-side-apply', '.metadata.labels.app', 'Update')).toBe(true);
  });

  it('an Update takes fields from appliers without conflict (HPA-style scaling)', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }), 'kubectl'));
    const scaled = track(live, { ...live, spec: { ...live.spec, replicas: 5 } }, 'kube-controller-manager', { subresource: 'scale' });
    expect(managers(scaled)).toEqual(['kubectl/Apply', 'kube-controller-manager/Update/scale']);
    expect(fieldsOf(scaled, 'kube-controller-manager', 'Update')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(owns(scaled, 'kubectl', '.spec.replicas')).toBe(false);
    const e = conflictOf(() => apply(scaled, deployment({ replicas: 2 }), 'kubectl', { now: at(1) }));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas');
    // The docs' way out: stop applying replicas; the object keeps the controller's value.
    const withoutReplicas = apply(scaled, deployment(), 'kubectl', { now: at(2) });
    expect(withoutReplicas.object.spec.replicas).toBe(5);
  });

  it('does not conflict on zero values Go writes but the stored JSON omits', () => {
    // kubectl-create owns `resources: {}` of its container (compared as Go types); setting limits
    // inside it conflicts with nobody.
    const live = stored(track(undefined, deployment({ replicas: 1 }), 'kubectl-create'));
    const next = apply(live, withPod({ containers: [{ name: 'nginx', resources: { limits: { cpu: '1' } } }] }), 'tuner');
    expect(next.object.spec.template.spec.containers[0]).toEqual({ name: 'nginx', image: 'nginx:1.27', resources: { limits: { cpu: '1' } } });
    expect(owns(next.object, 'kubectl-create', '.spec.template.spec.containers[name="nginx"].resources', 'Update')).toBe(true);
  });

  it('treats an object without managedFields as owned by before-first-apply', () => {
    const legacy = stored(deployment({ replicas: 1 }));
    const e = conflictOf(() => apply(legacy, deployment({ replicas: 2 }), 'my-manager'));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const same = apply(legacy, deployment({ replicas: 1 }), 'my-manager');
    expect(managers(same.object)).toEqual(['my-manager/Apply', 'before-first-apply/Update']);
  });
});

describe('serverSideApply: removing fields a manager stops applying', () => {
  it('removes a field no one else owns', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2, paused: true }, { labels: { app: 'web', tier: 'fe' } }), 'kubectl'));
    const next = applied(live, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl', { now: at(1) });
    expect(next.spec.paused).toBeUndefined();
    expect(next.metadata!.labels).toEqual({ app: 'web' });
    expect(owns(next, 'kubectl', '.metadata.labels.tier')).toBe(false);
  });

  it('keeps a field another manager also owns, dropping only the applier\'s ownership', () => {
    let live = stored(applied(undefined, deployment({}, { labels: { app: 'web', tier: 'fe' } }), 'kubectl'));
    live = applied(live, deployment({}, { labels: { tier: 'fe' } }), 'helm');
    const next = applied(live, deployment({}, { labels: { app: 'web' } }), 'kubectl', { now: at(1) });
    expect(next.metadata!.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(owns(next, 'kubectl', '.metadata.labels.tier')).toBe(false);
    expect(owns(next, 'helm', '.metadata.labels.tier')).toBe(true);
  });

  it('removes a whole struct when nothing under it is owned any more', () => {
    const live = stored(applied(undefined, deployment({ strategy: { type: 'Recreate' } }), 'kubectl'));
    const next = applied(live, deployment(), 'kubectl', { now: at(1) });
    expect(next.spec.strategy).toBeUndefined();
    expect(next.metadata!.uid).toBe('u-1');
    expect(next.metadata!.name).toBe('web');
  });

  it('leaves unowned contents of a field the manager still applies (defaults inside `resources: {}`)', () => {
    const live = stored(applied(undefined, withPod({ containers: [{ name: 'c', image: 'i', resources: {} }] }, { paused: true }), 'kubectl'));
    live.spec.template.spec.containers[0].resources = { limits: { cpu: '1' } }; // set later, by no manager (defaulting)
    const next = applied(live, withPod({ containers: [{ name: 'c', image: 'i', resources: {} }] }), 'kubectl', { now: at(1) });
    expect(next.spec.paused).toBeUndefined();
    expect(next.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: '1' } });
  });

  it('gives up every field when a manager applies an empty configuration', () => {
    let live = stored(applied(undefined, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl'));
    live = track(live, { ...live, metadata: { ...live.metadata, labels: { ...live.metadata!.labels, extra: 'x' } } }, 'kubectl-label');
    const next = applied(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }, 'kubectl', { now: at(1) });
    expect(next.spec).toBeUndefined();
    expect(next.metadata!.labels).toEqual({ extra: 'x' });
    expect(managers(next)).toEqual(['kubectl-label/Update']);
  });

  it('drops fields set to null', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }, { labels: { app: 'web', gone: 'x' } }), 'kubectl'));
    const next = applied(live, deployment({ replicas: null }, { labels: { app: 'web', gone: null } }), 'kubectl', { now: at(1) });
    expect('replicas' in next.spec).toBe(false);
    expect(next.metadata!.labels).toEqual({ app: 'web' });
  });
});

describe('serverSideApply: merge strategies', () => {
  it('merges map-list items by key: containers by name', () => {
    const live = stored(applied(undefined, withPod({ containers: [{ name: 'nginx', image: 'nginx:1' }] }), 'kubectl'));
    const both = applied(live, withPod({ containers: [{ name: 'sidecar', image: 'envoy:1' }] }), 'mesh');
    expect(both.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['nginx', 'sidecar']);
    expect(fieldsOf(both, 'mesh')['f:spec']['f:template']['f:spec']).toEqual(
      { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } });
    // The first manager dropping its container removes only that one.
    const next = applied(both, withPod({ containers: [] }), 'kubectl', { now: at(1) });
    expect(next.spec.template.spec.containers).toEqual([{ name: 'sidecar', image: 'envoy:1' }]);
  });

  it('merges fields of one item from several managers', () => {
    const live = stored(applied(undefined, withPod({ containers: [{ name: 'nginx', image: 'nginx:1' }] }), 'kubectl'));
    const next = applied(live, withPod({ containers: [{ name: 'nginx', resources: { limits: { cpu: '1' } } }] }), 'tuner');
    expect(next.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1', resources: { limits: { cpu: '1' } } }]);
    expect(owns(next, 'tuner', '.spec.template.spec.containers[name="nginx"].resources.limits.cpu')).toBe(true);
    expect(owns(next, 'tuner', '.spec.template.spec.containers[name="nginx"].image')).toBe(false);
  });

  it('matches ports by containerPort and the defaulted protocol', () => {
    // The stored object has the defaulted protocol; the configuration omits it.
    const live = stored(applied(undefined, withPod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }] }] }), 'kubectl-create-like'));
    const next = applied(live, withPod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }] }] }), 'other');
    expect(next.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 80, protocol: 'UDP' }]);
  });

  it('keeps list order: live-only items stay, shared items follow the configuration', () => {
    const live = stored(applied(undefined, withPod({ containers: [{ name: 'a', image: 'i' }, { name: 'x', image: 'i' }, { name: 'b', image: 'i' }] }), 'one'));
    const next = applied(live, withPod({ containers: [{ name: 'b', image: 'i' }, { name: 'c', image: 'i' }, { name: 'a', image: 'i' }] }), 'two');
    expect(next.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['x', 'b', 'c', 'a']);
  });

  it('merges sets by value: finalizers', () => {
    let live = stored(applied(undefined, deployment({}, { finalizers: ['example.com/a'] }), 'one'));
    live = applied(live, deployment({}, { finalizers: ['example.com/b'] }), 'two');
    expect(live.metadata!.finalizers).toEqual(['example.com/a', 'example.com/b']);
    const next = applied(live, deployment(), 'one', { now: at(1) });
    expect(next.metadata!.finalizers).toEqual(['example.com/b']);
  });

  it.each([
    ['command (listType=atomic)', { containers: [{ name: 'c', image: 'i', command: ['sh', '-c', 'a'] }] }, { containers: [{ name: 'c', command: ['b'] }] },
      '.spec.template.spec.containers[name="c"].command', (pod: any) => pod.containers[0].command, ['b']],
    ['tolerations (listType=atomic)', { containers: [{ name: 'c', image: 'i' }], tolerations: [{ key: 'a', operator: 'Exists' }] },
      { tolerations: [{ key: 'b', operator: 'Exists' }] }, '.spec.template.spec.tolerations', (pod: any) => pod.tolerations, [{ key: 'b', operator: 'Exists' }]],
    ['nodeSelector (mapType=atomic)', { containers: [{ name: 'c', image: 'i' }], nodeSelector: { disk: 'ssd' } },
      { nodeSelector: { zone: 'a' } }, '.spec.template.spec.nodeSelector', (pod: any) => pod.nodeSelector, { zone: 'a' }],
  ])('replaces atomic values whole and conflicts on them as one field: %s', (_, first, second, path, pick, expected) => {
    const live = stored(applied(undefined, withPod(first), 'one'));
    const e = conflictOf(() => apply(live, withPod(second), 'two'));
    expect(e.conflicts).toEqual([{ manager: 'one', operation: 'Apply', apiVersion: 'apps/v1', fields: [path] }]);
    const forced = applied(live, withPod(second), 'two', { force: true });
    expect(pick(forced.spec.template.spec)).toEqual(expected);
    expect(owns(forced, 'two', path)).toBe(true);
    expect(owns(forced, 'one', path)).toBe(false);
  });

  it('merges granular maps key by key: labels and annotations never conflict across keys', () => {
    let live = stored(applied(undefined, deployment({}, { labels: { a: '1' }, annotations: { x: '1' } }), 'one'));
    live = applied(live, deployment({}, { labels: { b: '2' }, annotations: { y: '2' } }), 'two');
    expect(live.metadata!.labels).toEqual({ a: '1', b: '2' });
    expect(live.metadata!.annotations).toEqual({ x: '1', y: '2' });
    expect(fieldsOf(live, 'two')['f:metadata']).toEqual({ 'f:annotations': { 'f:y': {} }, 'f:labels': { 'f:b': {} } });
  });
});

describe('serverSideApply: other kinds', () => {
  it('custom resources without a schema: fields merge, lists are replaced whole', () => {
    const ctx = { apiVersion: 'example.com/v1', definition: undefined, kind: 'Widget' };
    const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });
    let live = stored(applied(undefined, widget({ size: 1, tags: ['a', 'b'], nested: { x: 1 } }), 'one', ctx));
    live = stored(applied(live, widget({ color: 'red' }), 'two', ctx));
    expect(live.spec).toEqual({ size: 1, tags: ['a', 'b'], nested: { x: 1 }, color: 'red' });
    const e = conflictOf(() => apply(live, widget({ tags: ['c'] }), 'two', ctx));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "one": .spec.tags');
    const next = applied(live, widget({ size: 1 }), 'one', { ...ctx, now: at(1) });
    expect(next.spec).toEqual({ size: 1, color: 'red' });
  });

  it('services: ports keyed by port and protocol, selector atomic', () => {
    const svc = (ports: unknown[], selector: Record<string, string>) =>
      ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports, selector } });
    const ctx = { apiVersion: 'v1', definition: 'io.k8s.api.core.v1.Service' };
    const live = stored(trackUpdate(undefined, svc([{ port: 80, protocol: 'TCP', targetPort: 8080 }], { app: 'web' }),
      { manager: 'kubectl-expose', apiVersion: 'v1', now: T0, definition: ctx.definition, ...fieldScopeFor() }));
    const next = applied(live, svc([{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }], { app: 'web' }), 'helm', ctx);
    expect(next.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 8080 }, { port: 443, targetPort: 8443 }]);
    expect(Object.keys(fieldsOf(next, 'helm')['f:spec']['f:ports'])).toEqual(['k:{"port":80,"protocol":"TCP"}', 'k:{"port":443,"protocol":"TCP"}']);
    const e = conflictOf(() => apply(next, svc([], { app: 'web', tier: 'fe' }), 'helm', ctx));
    expect(e.conflicts.map(c => c.fields)).toEqual([['.spec.selector']]);
  });
});

describe('serverSideApply: subresources and validation', () => {
  it('applies status through the status subresource only', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }), 'kubectl'));
    const config = { ...deployment({ replicas: 7 }), status: { replicas: 2, readyReplicas: 1 } };
    const next = applied(live, config, 'controller', { subresource: 'status', ...fieldScopeFor('status') });
    expect(next.spec.replicas).toBe(2);
    expect(next.status).toEqual({ replicas: 2, readyReplicas: 1 });
    expect(entries(next).find(e => e.manager === 'controller')).toMatchObject(
      { operation: 'Apply', subresource: 'status', fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } } });
  });

  it.each([
    ['a list', [], 'error decoding YAML: the apply patch must be an object'],
    ['no apiVersion', { kind: 'Deployment', metadata: { name: 'web' } }, 'apiVersion must be set in an apply patch'],
    ['no kind', { apiVersion: 'apps/v1', metadata: { name: 'web' } }, 'kind must be set in an apply patch'],
    ['another version', { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'web' } }, 'invalid object type: apps/v1beta2, Kind=Deployment'],
    ['another kind', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' } }, 'invalid object type: apps/v1, Kind=StatefulSet'],
    ['no name', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} }, 'metadata.name must be set in an apply patch'],
    ['managedFields', { ...deployment(), metadata: { name: 'web', managedFields: [] } }, 'metadata.managedFields must be nil'],
    ['a container without a name', withPod({ containers: [{ image: 'i' }] }),
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)'],
    ['duplicate containers', withPod({ containers: [{ name: 'a' }, { name: 'a' }] }),
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="a"]'],
    ['duplicate finalizers', deployment({}, { finalizers: ['a', 'a'] }),
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .metadata.finalizers: duplicate entries for key [="a"]'],
  ])('rejects %s with 400', (_, body, message) => {
    let error: unknown;
    try {
      apply(undefined, body, 'kubectl');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(400);
    expect((error as StatusError).message).toBe(message);
  });
});

// ---- tracking writes that are not applies ----

describe('trackUpdate', () => {
  it('owns every field a create sets, with "." where the zero object lacks the parent', () => {
    const cm = trackUpdate(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1', namespace: 'default', creationTimestamp: null }, data: { a: 'b' } },
      { manager: 'kubectl-create', apiVersion: 'v1', now: T0, definition: CONFIGMAP, ...fieldScopeFor() });
    expect(cm.metadata!.managedFields).toEqual([{
      manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2026-03-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
    }]);
    // Compared as Go types: a new container comes with `resources: {}`, which its creator owns.
    const dep = track(undefined, deployment({ replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } }, { labels: { app: 'web' } }), 'kubectl-create');
    expect(fieldsOf(dep, 'kubectl-create', 'Update')).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:replicas': {}, 'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} }, 'f:type': {} },
        'f:template': { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } } },
      },
    });
    expect(dep.spec.template.spec.containers[0].resources).toBeUndefined();
  });

  it('gives a kubectl-style merge patch\'s changes to its manager (kubectl label)', () => {
    const live = stored(applied(undefined, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl'));
    const labelled = track(live, { ...live, metadata: { ...live.metadata, labels: { app: 'web', tier: 'frontend' } } }, 'kubectl-label', { now: at(1) });
    expect(fieldsOf(labelled, 'kubectl-label', 'Update')).toEqual({ 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
    expect(managers(labelled)).toEqual(['kubectl/Apply', 'kubectl-label/Update']);
    // Reapplying the same manifest keeps the label nobody asked to remove.
    const reapplied = apply(labelled, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl', { now: at(2) });
    expect(reapplied.changed).toBe(false);
    expect(reapplied.object.metadata!.labels).toEqual({ app: 'web', tier: 'frontend' });
    // Relabelling a field the applier owns takes it without conflict; the applier then conflicts.
    const relabelled = track(labelled, { ...labelled, metadata: { ...labelled.metadata, labels: { app: 'api', tier: 'frontend' } } }, 'kubectl-label', { now: at(3) });
    expect(owns(relabelled, 'kubectl', '.metadata.labels.app')).toBe(false);
    expect(fieldsOf(relabelled, 'kubectl-label', 'Update')).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {}, 'f:tier': {} } } });
    const e = conflictOf(() => apply(relabelled, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl', { now: at(4) }));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-label" using apps/v1: .metadata.labels.app');
  });

  it('removes fields a write deletes from every owner, and owners left with nothing', () => {
    let live = stored(track(undefined, deployment({ replicas: 2 }, { labels: { app: 'web', tier: 'fe' } }), 'kubectl-create'));
    live = track(live, { ...live, metadata: { ...live.metadata, labels: { app: 'web', tier: 'fe', team: 'x' } } }, 'kubectl-label', { now: at(1) });
    const { team: _, ...rest } = live.metadata!.labels;
    const next = track(live, { ...live, metadata: { ...live.metadata, labels: rest } }, 'kubectl-edit', { now: at(2) });
    expect(managers(next)).toEqual(['kubectl-create/Update']);
  });

  it('refreshes the entry only when the write changed something, and accumulates a manager\'s fields', () => {
    const live = stored(track(undefined, deployment({ replicas: 2 }), 'kubectl-create'));
    const noop = track(live, structuredClone(live), 'kubectl-create', { now: at(5) });
    expect(entries(noop)[0].time).toBe('2026-03-01T10:00:00Z');
    const patched = track(live, { ...live, spec: { ...live.spec, paused: true } }, 'kubectl-patch', { now: at(5) });
    const again = track(patched, { ...patched, spec: { ...patched.spec, minReadySeconds: 5 } }, 'kubectl-patch', { now: at(6) });
    expect(fieldsOf(again, 'kubectl-patch', 'Update')).toEqual({ 'f:spec': { 'f:minReadySeconds': {}, 'f:paused': {} } });
    expect(entries(again).map(e => e.time)).toEqual(['2026-03-01T10:00:00Z', '2026-03-01T10:06:00Z']);
  });

  it('never tracks identity and server-set metadata, nor status on the main resource', () => {
    const live = stored(track(undefined, deployment({ replicas: 2 }), 'kubectl-create'));
    const next = track(live, { ...live, metadata: { ...live.metadata, resourceVersion: '2', generation: 2 }, status: { replicas: 3 } }, 'someone', { now: at(1) });
    expect(managers(next)).toEqual(['kubectl-create/Update']);
  });

  it('tracks status subresource writes with the subresource, owning only status', () => {
    const live = stored(track(undefined, deployment({ replicas: 2 }), 'kubectl-create'));
    const condition = { type: 'Available', status: 'True', lastTransitionTime: '2026-03-01T10:01:00Z', lastUpdateTime: '2026-03-01T10:01:00Z' };
    const next = track(live, { ...live, status: { replicas: 2, conditions: [condition] } }, 'kube-controller-manager', { subresource: 'status', now: at(1) });
    expect(entries(next).find(e => e.manager === 'kube-controller-manager')).toEqual({
      manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', time: '2026-03-01T10:01:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:conditions': { '.': {}, 'k:{"type":"Available"}': { '.': {}, 'f:lastTransitionTime': {}, 'f:lastUpdateTime': {}, 'f:status': {}, 'f:type': {} } }, 'f:replicas': {} } },
      subresource: 'status',
    });
  });

  it('sorts entries: Apply first, then oldest first', () => {
    let live = stored(track(undefined, deployment({ replicas: 2 }), 'kubectl-create'));
    live = track(live, { ...live, spec: { ...live.spec, paused: true } }, 'b-patch', { now: at(2) });
    live = track(live, { ...live, spec: { ...live.spec, minReadySeconds: 3 } }, 'a-patch', { now: at(1) });
    live = applied(live, deployment({ revisionHistoryLimit: 3 }), 'z-apply', { now: at(3) });
    expect(managers(live)).toEqual(['z-apply/Apply', 'kubectl-create/Update', 'a-patch/Update', 'b-patch/Update']);
  });

  it('keeps at most ten Update entries, merging the oldest into ancient-changes', () => {
    let live = stored(track(undefined, deployment(), 'creator'));
    for (let i = 1; i <= 11; i++) live = track(live, { ...live, metadata: { ...live.metadata, labels: { ...live.metadata!.labels, [`l${i}`]: 'x' } } }, `m${i}`, { now: at(i) });
    expect(entries(live).length).toBe(10);
    expect(managers(live)[0]).toBe('ancient-changes/Update');
    expect(fieldsOf(live, 'ancient-changes', 'Update')['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:l1': {}, 'f:l2': {} } });
  });
});

describe('trackUpdate: managedFields the request sets (docs: clearing managedFields)', () => {
  const base = () => stored(applied(undefined, deployment({ replicas: 2 }, { labels: { app: 'web' } }), 'kubectl'));
  const given = [{ manager: 'restored', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
  const withManaged = (obj: KubeObject, managedFields: unknown) => ({ ...obj, metadata: { ...obj.metadata, managedFields } });

  it.each([
    ['takes a replaced list as given', given, ['restored/Apply']],
    ['clears them with []', [], []],
    ['clears them with [{}]', [{}], []],
    ['keeps the stored ones when the request drops them', undefined, ['kubectl/Apply']],
    ['keeps the stored ones when the list is malformed', [{ manager: 'x', operation: 'Upsert', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }], ['kubectl/Apply']],
    ['keeps the stored ones when fieldsV1 is malformed', [{ ...given[0], fieldsV1: { 'q:x': {} } }], ['kubectl/Apply']],
  ])('%s', (_, managedFields, expected) => {
    const live = base();
    const next = track(live, withManaged(live, managedFields), 'kubectl-patch', { now: at(1) });
    expect(managers(next)).toEqual(expected);
    if (expected[0] === 'restored/Apply') expect(next.metadata!.managedFields).toEqual(given);
  });

  it('ignores managedFields sent to a subresource', () => {
    const live = base();
    const next = track(live, withManaged(live, []), 'kubelet', { subresource: 'status', now: at(1) });
    expect(managers(next)).toEqual(['kubectl/Apply']);
  });

  it('still gives the request\'s own changes to its manager', () => {
    const live = base();
    const next = track(live, { ...withManaged(live, given), spec: { ...live.spec, paused: true } }, 'kubectl-patch', { now: at(1) });
    expect(managers(next)).toEqual(['restored/Apply', 'kubectl-patch/Update']);
  });
});

// ---- kubectl's migration from client-side to server-side apply ----

describe('kubectl CSA → SSA migration', () => {
  const LAST = 'kubectl.kubernetes.io/last-applied-configuration';
  const manifest = (replicas: number, env: { name: string; value: string }[]) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { labels: { app: 'web' }, name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ env, image: 'nginx:1.27', name: 'nginx' }] } } },
  });
  const lastApplied = (m: unknown) => `${JSON.stringify(m)}\n`;

  it('upgrades without conflicts and then prunes what the manifest drops', () => {
    // 1. `kubectl apply` (client-side): created with the annotation, owned by kubectl-client-side-apply.
    const v1 = manifest(2, [{ name: 'FOO', value: 'bar' }, { name: 'OLD', value: 'x' }]);
    const created = { ...structuredClone(v1), metadata: { ...v1.metadata, annotations: { [LAST]: lastApplied({ ...v1, metadata: { annotations: {}, ...v1.metadata } }) } } };
    let live = stored(track(undefined, created, 'kubectl-client-side-apply'));

    // 2. `kubectl apply --server-side` with a new replica count: the field kubectl-client-side-apply owns
    //    still has the annotation's value, so the conflict is allowed and the apply forced.
    const v2 = manifest(3, [{ name: 'FOO', value: 'bar' }, { name: 'OLD', value: 'x' }]);
    live = stored(applied(live, v2, 'kubectl', { now: at(1) }));
    expect(live.spec.replicas).toBe(3);
    expect(owns(live, 'kubectl', '.spec.replicas')).toBe(true);
    expect(owns(live, 'kubectl-client-side-apply', '.spec.replicas', 'Update')).toBe(false);
    // The server keeps the annotation in step with what kubectl applied.
    expect(JSON.parse(live.metadata!.annotations[LAST])).toEqual(v2);
    expect(live.metadata!.annotations[LAST].endsWith('\n')).toBe(true);

    // 3. kubectl-last-applied applies the annotation it read back, alone: same value, so ownership is
    //    shared, nothing changes, and the new entry gets no timestamp (it sorts first).
    const same = apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default',
      annotations: { [LAST]: live.metadata!.annotations[LAST] } } }, 'kubectl-last-applied', { now: at(2) });
    live = stored(same.object);
    expect(managers(live)).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply', 'kubectl-client-side-apply/Update']);
    expect(entries(live)[0].time).toBeUndefined();

    // 4. The JSON patch replacing managedFields: kubectl folds the client-side-apply entry into its own.
    const folded = FieldSet.fromFieldsV1(fieldsOf(live, 'kubectl')).union(FieldSet.fromFieldsV1(fieldsOf(live, 'kubectl-client-side-apply', 'Update')));
    const replacement = entries(live)
      .filter(e => e.manager !== 'kubectl-client-side-apply')
      .map(e => (e.manager === 'kubectl' ? { ...e, fieldsV1: folded.toFieldsV1() } : e));
    live = stored(track(live, { ...live, metadata: { ...live.metadata, managedFields: replacement } }, 'kubectl', { now: at(3) }));
    expect(managers(live)).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply']);
    expect(live.metadata!.managedFields).toEqual(replacement);

    // 5. `kubectl apply --server-side` of a manifest without OLD removes it: kubectl owned it.
    const v3 = manifest(3, [{ name: 'FOO', value: 'bar' }]);
    const result = apply(live, v3, 'kubectl', { now: at(4) });
    expect(result.changed).toBe(true);
    expect(result.object.spec.template.spec.containers[0].env).toEqual([{ name: 'FOO', value: 'bar' }]);
    expect(owns(result.object, 'kubectl', '.spec.template.spec.containers[name="nginx"].env[name="OLD"]')).toBe(false);

    // And the same manifest once more is a no-op.
    const again = apply(stored(result.object), v3, 'kubectl', { now: at(5) });
    expect(again.changed).toBe(false);
  });

  it('still conflicts on fields whose live value differs from the annotation', () => {
    const v1 = manifest(2, [{ name: 'FOO', value: 'bar' }]);
    const created = { ...structuredClone(v1), metadata: { ...v1.metadata, annotations: { [LAST]: lastApplied(v1) } } };
    let live = stored(track(undefined, created, 'kubectl-client-side-apply'));
    live = track(live, { ...live, spec: { ...live.spec, replicas: 5 } }, 'kubectl-client-side-apply', { now: at(1) });
    const e = conflictOf(() => apply(live, manifest(3, [{ name: 'FOO', value: 'bar' }]), 'kubectl', { now: at(2) }));
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
  });
});

describe('managerFromUserAgent', () => {
  it.each([
    ['kubectl/v1.35.2 (linux/amd64) kubernetes/abcdef', 'kubectl'],
    ['helm/v4.1.4', 'helm'],
    ['Go-http-client/1.1', 'Go-http-client'],
    ['curl', 'curl'],
    ['', ''],
    [undefined, ''],
    ['bad\u0007agent\n/1', 'badagent'],
    ['x'.repeat(200), 'x'.repeat(128)],
    ['é'.repeat(100), 'é'.repeat(64)],
  ])('%j → %j', (ua, manager) => {
    expect(managerFromUserAgent(ua)).toBe(manager);
  });
});
