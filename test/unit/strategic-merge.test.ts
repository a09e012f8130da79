// Strategic merge patch and JSON merge patch. Expected results come from the Kubernetes docs ("Update API
// Objects in Place Using kubectl patch"), the strategic-merge-patch design doc, the bodies kubectl sends
// (apply, set image, rollout restart) and RFC 7386's examples.
import { describe, expect, it } from 'vitest';
import { applyJsonMergePatch } from '../../src/api/patch/merge.ts';
import type { PatchField, PatchSchema } from '../../src/api/patch/patch-schema.ts';
import { PatchError, applyStrategicMergePatch } from '../../src/api/patch/strategic.ts';

// ---- a test schema modelled on the real types' patch tags ----

const mergeBy = (patchMergeKey: string, schema: PatchSchema = {}): PatchField =>
  ({ patchStrategy: 'merge', patchMergeKey, list: 'objects', schema });
const stringMap: PatchField = { schema: { values: {} } };

const objectMeta: PatchSchema = { fields: {
  labels: stringMap,
  annotations: stringMap,
  finalizers: { patchStrategy: 'merge', list: 'primitives' },
  ownerReferences: mergeBy('uid'),
} };
const container: PatchSchema = { fields: {
  env: mergeBy('name', { fields: { valueFrom: { schema: {} } } }),
  ports: mergeBy('containerPort'),
  volumeMounts: mergeBy('mountPath'),
  args: { list: 'primitives' },
  resources: { schema: { fields: { limits: stringMap, requests: stringMap } } },
} };
const volume: PatchSchema = { fields: {
  emptyDir: { schema: {} },
  configMap: { schema: { fields: { items: { list: 'objects', schema: {} } } } },
  hostPath: { schema: {} },
} };
const podSpec: PatchSchema = { fields: {
  containers: mergeBy('name', container),
  initContainers: mergeBy('name', container),
  volumes: { ...mergeBy('name', volume), patchStrategy: 'merge,retainKeys' },
  tolerations: { list: 'objects', schema: {} },          // no patch strategy: atomic
  imagePullSecrets: mergeBy('name'),
  nodeSelector: stringMap,
} };
const podTemplate: PatchSchema = { fields: { metadata: { schema: objectMeta }, spec: { schema: podSpec } } };
const deployment: PatchSchema = { fields: {
  metadata: { schema: objectMeta },
  spec: { schema: { fields: {
    selector: { schema: { fields: { matchLabels: stringMap, matchExpressions: { list: 'objects', schema: {} } } } },
    template: { schema: podTemplate },
    strategy: { patchStrategy: 'retainKeys', schema: { fields: { rollingUpdate: { schema: {} } } } },
  } } },
  status: { schema: { fields: { conditions: mergeBy('type') } } },
} };
// A synthetic field with the 'replace' strategy on an object (few real types use it).
const withReplacedMap: PatchSchema = { fields: { settings: { patchStrategy: 'replace', schema: {} } } };

// ---- helpers ----

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** A Deployment whose pod template spec is `spec`. */
const deploy = (spec: Record<string, unknown>) => ({ spec: { template: { spec } } });
const nginx = { name: 'nginx', image: 'nginx:1.24' };

interface Case { name: string; original: unknown; patch: unknown; schema?: PatchSchema; expected: unknown }

const cases: Case[] = [
  // maps and null
  {
    name: 'merges maps recursively and null deletes a key',
    original: { metadata: { name: 'a', labels: { app: 'web', tier: 'front' } }, spec: { replicas: 1 } },
    patch: { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } },
    expected: { metadata: { name: 'a', labels: { app: 'web', env: 'prod' } }, spec: { replicas: 3 } },
  },
  {
    name: 'null removes a whole list; a null for an absent key changes nothing',
    original: deploy({ containers: [nginx], tolerations: [{ key: 'a' }] }),
    patch: deploy({ tolerations: null, nodeSelector: null }),
    expected: deploy({ containers: [nginx] }),
  },
  {
    name: 'a null patch body is an empty patch',
    original: { metadata: { name: 'a' } },
    patch: null,
    expected: { metadata: { name: 'a' } },
  },

  // kubectl patch task page
  {
    name: 'docs: adding a container merges by name (the new one comes first)',
    original: deploy({ containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] }),
    patch: deploy({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] }),
    expected: deploy({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }, { name: 'patch-demo-ctr', image: 'nginx' }] }),
  },
  {
    name: 'docs: tolerations have no patch strategy, so the list is replaced',
    original: deploy({ containers: [nginx], tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }] }),
    patch: deploy({ tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] }),
    expected: deploy({ containers: [nginx], tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] }),
  },
  {
    name: 'docs: $retainKeys on the Deployment strategy drops rollingUpdate',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'docs: without $retainKeys the strategy map is merged and rollingUpdate stays',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } },
    patch: { spec: { strategy: { type: 'Recreate' } } },
    expected: { spec: { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: '25%' } } } },
  },
  {
    name: 'kubectl apply: $retainKeys with an explicit null for the dropped key',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },

  // bodies kubectl sends
  {
    name: 'kubectl apply: $setElementOrder on containers and env, env value changed; a server-only sidecar stays',
    original: deploy({ containers: [
      { name: 'nginx', image: 'nginx', env: [{ name: 'FOO', value: 'bar' }] },
      { name: 'injected-sidecar', image: 'proxy' },
    ] }),
    patch: { spec: { template: { spec: {
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [{ '$setElementOrder/env': [{ name: 'FOO' }], env: [{ name: 'FOO', value: 'baz' }], name: 'nginx' }],
    } } } },
    expected: deploy({ containers: [
      { name: 'nginx', image: 'nginx', env: [{ name: 'FOO', value: 'baz' }] },
      { name: 'injected-sidecar', image: 'proxy' },
    ] }),
  },
  {
    name: 'kubectl apply: an env var removed from the config is deleted with $patch: delete',
    original: deploy({ containers: [{ name: 'nginx', env: [{ name: 'FOO', value: '1' }, { name: 'BAR', value: '2' }] }] }),
    patch: deploy({
      '$setElementOrder/containers': [{ name: 'nginx' }],
      containers: [{ '$setElementOrder/env': [{ name: 'FOO' }], env: [{ $patch: 'delete', name: 'BAR' }], name: 'nginx' }],
    }),
    expected: deploy({ containers: [{ name: 'nginx', env: [{ name: 'FOO', value: '1' }] }] }),
  },
  {
    name: 'kubectl apply: a new env var lands where $setElementOrder puts it',
    original: deploy({ containers: [{ name: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] }] }),
    patch: deploy({ containers: [{
      name: 'nginx',
      '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
      env: [{ name: 'B', value: '2' }],
    }] }),
    expected: deploy({ containers: [{ name: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }] }),
  },
  {
    name: 'kubectl set image: only the named container changes, order kept',
    original: deploy({ containers: [{ name: 'app', image: 'app:1' }, { name: 'nginx', image: 'nginx:1.24' }] }),
    patch: deploy({ '$setElementOrder/containers': [{ name: 'app' }, { name: 'nginx' }], containers: [{ image: 'nginx:1.25', name: 'nginx' }] }),
    expected: deploy({ containers: [{ name: 'app', image: 'app:1' }, { name: 'nginx', image: 'nginx:1.25' }] }),
  },
  {
    name: 'kubectl set image without $setElementOrder (older clients)',
    original: deploy({ containers: [{ name: 'app', image: 'app:1' }, { name: 'nginx', image: 'nginx:1.24' }] }),
    patch: deploy({ containers: [{ image: 'nginx:1.25', name: 'nginx' }] }),
    expected: deploy({ containers: [{ name: 'app', image: 'app:1' }, { name: 'nginx', image: 'nginx:1.25' }] }),
  },
  {
    name: 'kubectl rollout restart: adds the restartedAt annotation to the template',
    original: { spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [nginx] } } } },
    patch: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } } } } },
    expected: { spec: { replicas: 2, template: {
      metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } },
      spec: { containers: [nginx] },
    } } },
  },

  // merge lists of objects
  {
    name: 'ports merge by containerPort (a number); new ports come first',
    original: deploy({ containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
    patch: deploy({ containers: [{ name: 'web', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 8080 }] }] }),
    expected: deploy({ containers: [{ name: 'web', ports: [
      { containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https' }, { containerPort: 8080 },
    ] }] }),
  },
  {
    name: 'a patch list reorders the items it names (patch order beats original order)',
    original: deploy({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: deploy({ containers: [{ name: 'c', image: 'x' }, { name: 'a', image: 'y' }] }),
    expected: deploy({ containers: [{ name: 'b' }, { name: 'c', image: 'x' }, { name: 'a', image: 'y' }] }),
  },
  {
    name: '$setElementOrder interleaves server-only items by their original position',
    original: deploy({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: deploy({ '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }] }),
    expected: deploy({ containers: [{ name: 'b' }, { name: 'c' }, { name: 'a' }] }),
  },
  {
    name: 'design doc: $setElementOrder alone reorders a list of maps',
    original: deploy({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }, { name: 'c', image: '3' }] }),
    patch: deploy({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }, { name: 'a' }] }),
    expected: deploy({ containers: [{ name: 'b', image: '2' }, { name: 'c', image: '3' }, { name: 'a', image: '1' }] }),
  },
  {
    name: 'an empty patch list leaves a merge list alone',
    original: deploy({ containers: [nginx] }),
    patch: deploy({ containers: [] }),
    expected: deploy({ containers: [nginx] }),
  },
  {
    name: '$patch: delete removes every element with that merge key',
    original: deploy({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'a', image: 'dup' }] }),
    patch: deploy({ containers: [{ $patch: 'delete', name: 'a' }, { $patch: 'delete', name: 'missing' }] }),
    expected: deploy({ containers: [{ name: 'b' }] }),
  },
  {
    name: 'design doc: {"$patch": "replace"} in a merge list replaces it with the other elements',
    original: deploy({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] }),
    patch: deploy({ containers: [{ name: 'nginx', image: 'nginx-1.0', env: [{ name: 'X', value: null }] }, { $patch: 'replace' }] }),
    expected: deploy({ containers: [{ name: 'nginx', image: 'nginx-1.0', env: [{ name: 'X' }] }] }),
  },
  {
    name: 'ownerReferences merge by uid',
    original: { metadata: { ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', controller: true }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: null }, { uid: 'u2', kind: 'Deployment' }] } },
    expected: { metadata: { ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet' }, { uid: 'u2', kind: 'Deployment' }] } },
  },
  {
    name: 'status conditions merge by type',
    original: { status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Progressing', status: 'True' }] } },
    patch: { status: { conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } },
    expected: { status: { conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True' },
    ] } },
  },

  // volumes: merge,retainKeys
  {
    name: 'volumes: switching a volume source with $retainKeys clears the old source',
    original: deploy({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'logs', hostPath: { path: '/var/log' } }] }),
    patch: deploy({
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'logs' }],
      volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'settings' }, name: 'data' }],
    }),
    expected: deploy({ volumes: [{ name: 'data', configMap: { name: 'settings' } }, { name: 'logs', hostPath: { path: '/var/log' } }] }),
  },
  {
    name: 'volumes: without $retainKeys both sources would remain (merge)',
    original: deploy({ volumes: [{ name: 'data', emptyDir: {} }] }),
    patch: deploy({ volumes: [{ name: 'data', configMap: { name: 'settings' } }] }),
    expected: deploy({ volumes: [{ name: 'data', emptyDir: {}, configMap: { name: 'settings' } }] }),
  },

  // merge lists of primitives
  {
    name: 'finalizers: a merge list of primitives is a union (new values first, as upstream orders them)',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c'] } },
    expected: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'finalizers: values named by the patch follow the patch order, the others are interleaved',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['c', 'a'] } },
    expected: { metadata: { finalizers: ['c', 'a', 'b'] } },
  },
  {
    name: 'finalizers: union removes duplicates and keeps the original order for known values',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    expected: { metadata: { finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: 'design doc: $deleteFromPrimitiveList removes values',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'c'] } },
    expected: { metadata: { finalizers: ['a'] } },
  },
  {
    name: 'design doc: $setElementOrder reorders a list of primitives',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'] } },
    expected: { metadata: { finalizers: ['b', 'c', 'a'] } },
  },
  {
    name: 'kubectl apply on finalizers: add, delete and order in one patch',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'], '$setElementOrder/finalizers': ['a', 'c'], finalizers: ['c'] } },
    expected: { metadata: { finalizers: ['a', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList on an absent list does nothing',
    original: { metadata: { name: 'x' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
    expected: { metadata: { name: 'x' } },
  },
  {
    name: 'a list of primitives without merge strategy (args) is replaced',
    original: deploy({ containers: [{ name: 'c', args: ['--a', '--b'] }] }),
    patch: deploy({ containers: [{ name: 'c', args: ['--c'] }] }),
    expected: deploy({ containers: [{ name: 'c', args: ['--c'] }] }),
  },

  // $patch in maps
  {
    name: 'design doc: $patch: replace in a map replaces the map with the rest of the patch',
    original: deploy({ nodeSelector: { disk: 'ssd', zone: 'a' } }),
    patch: deploy({ nodeSelector: { $patch: 'replace', gpu: 'yes' } }),
    expected: deploy({ nodeSelector: { gpu: 'yes' } }),
  },
  {
    name: '$patch: replace on a pod spec takes the containers literally (no merge)',
    original: deploy({ containers: [{ name: 'a' }, { name: 'b' }], nodeSelector: { x: 'y' } }),
    patch: { spec: { template: { spec: { $patch: 'replace', containers: [{ name: 'c' }] } } } },
    expected: deploy({ containers: [{ name: 'c' }] }),
  },
  {
    name: 'design doc: $patch: delete in a map deletes the map (like null)',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } },
    expected: { spec: { strategy: { type: 'RollingUpdate' } } },
  },
  {
    name: '$patch: merge in a map is the default behaviour',
    original: { metadata: { labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'merge', b: '2' } } },
    expected: { metadata: { labels: { a: '1', b: '2' } } },
  },
  {
    name: "the 'replace' patch strategy on a map field replaces instead of merging",
    schema: withReplacedMap,
    original: { settings: { a: 1, b: 2 } },
    patch: { settings: { c: 3 } },
    expected: { settings: { c: 3 } },
  },

  // directives never leak
  {
    name: 'directives and nulls inside values new to the object are applied, not copied',
    original: { spec: { replicas: 1 } },
    patch: { spec: { template: { metadata: { labels: { a: 'b', gone: null } }, spec: {
      '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
      containers: [{ name: 'b' }, { name: 'a', env: [{ name: 'X', value: '1' }, { $patch: 'delete', name: 'Y' }] }],
      nodeSelector: { $patch: 'replace', z: '1' },
      '$deleteFromPrimitiveList/finalizers': ['q'],
      tolerations: [{ key: 'k', $patch: 'replace' }],
    } } } },
    expected: { spec: { replicas: 1, template: { metadata: { labels: { a: 'b' } }, spec: {
      containers: [{ name: 'b' }, { name: 'a', env: [{ name: 'X', value: '1' }] }],
      nodeSelector: { z: '1' },
      tolerations: [{ key: 'k' }],
    } } } },
  },
  {
    name: '$patch: delete on a map the object does not have leaves it absent',
    original: { spec: { strategy: { type: 'Recreate' } } },
    patch: { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'a new merge list keeps its elements but not its delete directives',
    original: deploy({}),
    patch: deploy({ imagePullSecrets: [{ name: 'regcred' }, { $patch: 'delete', name: 'old' }] }),
    expected: deploy({ imagePullSecrets: [{ name: 'regcred' }] }),
  },

  // unknown schema
  {
    name: 'without a schema, lists are replaced like a JSON merge patch',
    schema: undefined,
    original: deploy({ containers: [{ name: 'a' }], nodeSelector: { x: '1' } }),
    patch: deploy({ containers: [{ name: 'b' }], nodeSelector: { y: '2' } }),
    expected: deploy({ containers: [{ name: 'b' }], nodeSelector: { x: '1', y: '2' } }),
  },
  {
    name: 'a field the schema does not know is merged like a JSON merge patch',
    original: { spec: { extra: { list: [1, 2], keep: true } } },
    patch: { spec: { extra: { list: [3], add: 'x' } } },
    expected: { spec: { extra: { list: [3], keep: true, add: 'x' } } },
  },
  {
    name: 'a value of another type replaces the original one when the schema does not say',
    original: { spec: { extra: { a: 1 } } },
    patch: { spec: { extra: 'now a string' } },
    expected: { spec: { extra: 'now a string' } },
  },
  {
    name: 'a "__proto__" key is plain data',
    original: { metadata: { labels: {} } },
    patch: JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}'),
    expected: JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}'),
  },
];

interface ErrorCase { name: string; original: unknown; patch: unknown; message: string | RegExp; status: 400 | 422 }

const errorCases: ErrorCase[] = [
  {
    name: 'unknown $patch value in a map',
    original: {}, patch: { metadata: { labels: { $patch: 'bogus', a: 'b' } } },
    message: 'unknown patch type: bogus in map: map[$patch:bogus a:b]', status: 400,
  },
  {
    name: 'unknown $patch value in a merge list element',
    original: deploy({ containers: [nginx] }), patch: deploy({ containers: [{ $patch: 'bogus', name: 'nginx' }] }),
    message: 'unknown patch type: bogus in map: map[$patch:bogus name:nginx]', status: 400,
  },
  {
    name: '$patch: merge in a list element',
    original: deploy({ containers: [nginx] }), patch: deploy({ containers: [{ $patch: 'merge' }] }),
    message: 'merging lists cannot yet be specified in the patch', status: 400,
  },
  {
    name: 'a merge list element without its merge key',
    original: deploy({ containers: [nginx] }), patch: deploy({ containers: [{ image: 'nginx:2' }] }),
    message: 'map: map[image:nginx:2] does not contain declared merge key: name', status: 400,
  },
  {
    name: 'a delete directive without the merge key',
    original: deploy({ containers: [nginx] }), patch: deploy({ containers: [{ $patch: 'delete', image: 'x' }] }),
    message: 'map: map[$patch:delete image:x] does not contain declared merge key: name', status: 400,
  },
  {
    name: '$setElementOrder that is not a list',
    original: deploy({ containers: [nginx] }), patch: deploy({ '$setElementOrder/containers': { name: 'nginx' } }),
    message: /^invalid patch format of setElementOrder list: \$setElementOrder\/containers must be a list/, status: 400,
  },
  {
    name: '$setElementOrder entry without the merge key',
    original: deploy({ containers: [nginx] }), patch: deploy({ '$setElementOrder/containers': [{ image: 'x' }] }),
    message: 'map: map[image:x] does not contain declared merge key: name', status: 400,
  },
  {
    name: '$setElementOrder that contradicts the patch list order',
    original: deploy({ containers: [{ name: 'a' }, { name: 'b' }] }),
    patch: deploy({ '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] }),
    message: /^The order in patch list:\n\[map\[name:b\] map\[name:a\]\]\n doesn't match \$setElementOrder list/, status: 400,
  },
  {
    name: '$setElementOrder that misses an element of the patch list',
    original: deploy({ containers: [{ name: 'a' }] }),
    patch: deploy({ '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'new' }] }),
    message: /^The order in patch list/, status: 400,
  },
  {
    name: '$deleteFromPrimitiveList that is not a list',
    original: { metadata: { finalizers: ['a'] } }, patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } },
    message: /^invalid patch format of primitive list/, status: 400,
  },
  {
    name: '$retainKeys that is not a list',
    original: {}, patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } },
    message: /^invalid patch format of retainKeys: \$retainKeys at spec\.strategy must be a list/, status: 400,
  },
  {
    name: '$retainKeys that does not list a key the patch sets',
    original: {}, patch: { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    message: /^invalid patch format of retainKeys: spec\.strategy\.rollingUpdate is set/, status: 400,
  },
  {
    name: 'a map where the schema expects a list',
    original: deploy({ containers: [nginx] }), patch: deploy({ containers: { name: 'nginx' } }),
    message: 'spec.template.spec.containers: expected a list, but received an object', status: 422,
  },
  {
    name: 'a list where the schema expects an object',
    original: {}, patch: { spec: { template: [{ spec: {} }] } },
    message: 'spec.template: expected an object, but received a list', status: 422,
  },
  {
    name: 'a string where the schema expects an object',
    original: {}, patch: { spec: { strategy: 'Recreate' } },
    message: 'spec.strategy: expected an object, but received a string', status: 422,
  },
  {
    name: 'lists of lists in a merge list',
    original: {}, patch: { metadata: { finalizers: [['a']] } },
    message: /^lists of lists are not supported/, status: 422,
  },
  {
    name: 'a $patch element in a merge list of primitives',
    original: { metadata: { finalizers: ['a'] } }, patch: { metadata: { finalizers: [{ $patch: 'replace' }] } },
    message: /expected a primitive value in a merge list of primitives, but received an object/, status: 400,
  },
  {
    name: 'a patch body that is not an object',
    original: {}, patch: [{ op: 'add' }],
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}', status: 400,
  },
];

describe('applyStrategicMergePatch', () => {
  it.each(cases)('$name', (c) => {
    const { original, patch, expected } = c;
    const schema = Object.hasOwn(c, 'schema') ? c.schema : deployment;
    const result = applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), schema);
    expect(result).toStrictEqual(expected);
  });

  it.each(errorCases)('rejects $name', ({ original, patch, message, status }) => {
    let caught: unknown;
    try {
      applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), deployment);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PatchError);
    const error = caught as PatchError;
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.status).toBe(status);
  });

  it('returns a value that shares nothing with its inputs', () => {
    const original = { metadata: { labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'a', args: ['x'] }] } } } };
    const patch = { spec: { template: { spec: { tolerations: [{ key: 'k' }] } } } };
    const result = applyStrategicMergePatch(original, patch, deployment) as any;
    result.metadata.labels.a = 'changed';
    result.spec.template.spec.containers[0].args.push('y');
    result.spec.template.spec.tolerations[0].key = 'changed';
    expect(original).toStrictEqual({ metadata: { labels: { a: '1' } }, spec: { template: { spec: { containers: [{ name: 'a', args: ['x'] }] } } } });
    expect(patch).toStrictEqual({ spec: { template: { spec: { tolerations: [{ key: 'k' }] } } } });
  });
});

describe('applyJsonMergePatch', () => {
  // RFC 7386 Appendix A.
  const rfcExamples: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(rfcExamples)('RFC 7386 example: %j + %j', (original, patch, expected) => {
    expect(applyJsonMergePatch(deepFreeze(original), deepFreeze(patch))).toStrictEqual(expected);
  });

  it('RFC 7386 section 3 example', () => {
    const original = { title: 'Goodbye!', author: { givenName: 'John', familyName: 'Doe' }, tags: ['example', 'sample'], content: 'This will be unchanged' };
    const patch = { title: 'Hello!', phoneNumber: '+01-123-456-7890', author: { familyName: null }, tags: ['example'] };
    expect(applyJsonMergePatch(deepFreeze(original), deepFreeze(patch))).toStrictEqual({
      title: 'Hello!', author: { givenName: 'John' }, tags: ['example'], content: 'This will be unchanged', phoneNumber: '+01-123-456-7890',
    });
  });

  it('keeps nulls inside arrays and does not alias its inputs', () => {
    const original = { spec: { a: { b: 1 } } };
    const patch = { spec: { list: [{ x: null }] } };
    const result = applyJsonMergePatch(original, patch) as any;
    expect(result).toStrictEqual({ spec: { a: { b: 1 }, list: [{ x: null }] } });
    result.spec.a.b = 2;
    result.spec.list[0].x = 1;
    expect(original.spec.a.b).toBe(1);
    expect(patch.spec.list[0].x).toBeNull();
  });
});
