// The per-group-version OpenAPI v3 documents: shaped as Kubernetes publishes them, complete for every served kind.
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/api/catalog.ts';
import { groupVersionDocument, groupVersionPaths } from '../../src/api/openapi.ts';

type Schema = Record<string, any>;
const catalog = builtInCatalog();
const documents = new Map(groupVersionPaths(catalog).map(gv => [gv.path, groupVersionDocument(catalog, gv.group, gv.version) as Schema]));
const doc = (path: string) => documents.get(path)!;
const schema = (path: string, name: string) => doc(path).components.schemas[name];

const APPS = 'io.k8s.api.apps.v1';
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Every value of `key` anywhere in a JSON tree. */
function collect(node: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach(n => collect(n, key, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === key) out.push(v);
      collect(v, key, out);
    }
  }
  return out;
}

describe('OpenAPI v3 schemas', () => {
  it('lists enum values, with their description', () => {
    const type = schema('apis/apps/v1', `${APPS}.DeploymentStrategy`).properties.type;
    expect(type).toMatchObject({ type: 'string', enum: ['Recreate', 'RollingUpdate'] });
    expect(type.description).toMatch(/Possible enum values:\n - `"Recreate"` Kill all existing pods/);
    expect(schema('api/v1', `${CORE}.ServiceSpec`).properties.type.enum).toEqual(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']);
    expect(schema('api/v1', `${CORE}.Container`).properties.imagePullPolicy.enum).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(schema('api/v1', `${CORE}.PodSpec`).properties.restartPolicy.enum).toEqual(['Always', 'Never', 'OnFailure']);
    // A list's enum is its items'.
    expect(schema('api/v1', `${CORE}.PersistentVolumeClaimSpec`).properties.accessModes.items.enum).toContain('ReadWriteOnce');
  });

  it('carries list and patch metadata: containers are a list-map keyed by name', () => {
    expect(schema('api/v1', `${CORE}.PodSpec`).properties.containers).toEqual({
      type: 'array',
      items: { allOf: [ref(`${CORE}.Container`)], default: {} },
      description: expect.stringMatching(/^List of containers belonging to the pod/),
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(schema('api/v1', `${CORE}.Container`).properties.ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(schema('apis/apps/v1', `${APPS}.DeploymentSpec`).properties.strategy['x-kubernetes-patch-strategy']).toBe('retainKeys');
    expect(schema('api/v1', `${CORE}.PodSpec`).properties.nodeSelector['x-kubernetes-map-type']).toBe('atomic');
    expect(schema('api/v1', `${META}.LabelSelector`)['x-kubernetes-map-type']).toBe('atomic');
    expect(schema('api/v1', `${CORE}.SeccompProfile`)['x-kubernetes-unions']).toEqual([
      { discriminator: 'type', 'fields-to-discriminateBy': { localhostProfile: 'LocalhostProfile' } },
    ]);
  });

  it('names each kind by its group/version/kind', () => {
    expect(schema('apis/apps/v1', `${APPS}.Deployment`)['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schema('api/v1', `${CORE}.Pod`)['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    // DeleteOptions is registered in every group version.
    expect(schema('apis/apps/v1', `${META}.DeleteOptions`)['x-kubernetes-group-version-kind']).toEqual(
      expect.arrayContaining([{ group: '', kind: 'DeleteOptions', version: 'v1' }, { group: 'apps', kind: 'DeleteOptions', version: 'v1' }]),
    );
  });

  it('gives types, formats and defaults as kube-openapi does', () => {
    const spec = schema('apis/apps/v1', `${APPS}.DeploymentSpec`).properties;
    expect(spec.replicas).toEqual({ type: 'integer', format: 'int32', description: expect.any(String) }); // a pointer: no default
    expect(spec.template).toMatchObject({ allOf: [ref(`${CORE}.PodTemplateSpec`)], default: {} }); // a struct: {}
    expect(spec.selector).not.toHaveProperty('default'); // a pointer to a struct
    expect(schema('apis/apps/v1', `${APPS}.DeploymentSpec`).required).toEqual(['selector', 'template']);
    expect(schema('api/v1', `${CORE}.Container`).properties.name).toMatchObject({ type: 'string', default: '' }); // neither pointer nor omitempty
    expect(schema('api/v1', `${CORE}.ContainerPort`).properties.protocol.default).toBe('TCP'); // +default="TCP"
    expect(schema('api/v1', `${META}.ObjectMeta`).properties.annotations.additionalProperties).toEqual({ type: 'string', default: '' });
    expect(schema('api/v1', `${CORE}.Secret`).properties.data.additionalProperties).toEqual({ type: 'string', format: 'byte' });
    // Types with a JSON form of their own have no default, and keep Kubernetes' names.
    expect(schema('api/v1', `${CORE}.ResourceRequirements`).properties.limits.additionalProperties).toEqual(ref('io.k8s.apimachinery.pkg.api.resource.Quantity'));
    expect(schema('api/v1', 'io.k8s.apimachinery.pkg.api.resource.Quantity')).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(schema('apis/apps/v1', `${APPS}.RollingUpdateDeployment`).properties.maxSurge).toEqual({ allOf: [ref('io.k8s.apimachinery.pkg.util.intstr.IntOrString')], description: expect.any(String) });
    expect(schema('apis/apps/v1', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(schema('api/v1', `${META}.Time`)).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schema('api/v1', `${META}.ObjectMeta`).properties.creationTimestamp).toEqual({ allOf: [ref(`${META}.Time`)], description: expect.any(String) });
  });

  it('refers to apiextensions JSON values by the names Kubernetes gives them', () => {
    const props = schema('apis/apiextensions.k8s.io/v1', `${APIEXTENSIONS}.JSONSchemaProps`).properties;
    expect(props.additionalProperties).toEqual(ref(`${APIEXTENSIONS}.JSONSchemaPropsOrBool`));
    expect(props.enum).toEqual({ type: 'array', items: ref(`${APIEXTENSIONS}.JSON`), 'x-kubernetes-list-type': 'atomic' });
    expect(props.properties.additionalProperties).toEqual({ allOf: [ref(`${APIEXTENSIONS}.JSONSchemaProps`)], default: {} });
    expect(schema('apis/apiextensions.k8s.io/v1', `${APIEXTENSIONS}.JSON`)).toEqual({ description: expect.stringMatching(/^JSON represents any valid JSON value/) });
  });

  it('resolves every $ref within its own document', () => {
    for (const [path, document] of documents) {
      // Strings only: JSONSchemaProps has a property named $ref.
      for (const target of collect(document, '$ref').filter(t => typeof t === 'string') as string[]) {
        const name = target.replace('#/components/schemas/', '');
        expect(document.components.schemas[name], `${path}: ${target}`).toBeDefined();
      }
    }
  });

  it('stays small enough to build on each process start', () => {
    expect(JSON.stringify(doc('api/v1')).length).toBeLessThan(1_000_000);
    expect(JSON.stringify(doc('apis/apps/v1')).length).toBeLessThan(600_000);
  });
});

describe('OpenAPI v3 operations', () => {
  it('has, for every kind that can be patched, a PATCH taking fieldValidation (kubectl then validates server-side)', () => {
    for (const def of catalog.resources.filter(r => r.verbs.includes('patch'))) {
      const path = groupVersionPaths(catalog).find(gv => gv.group === def.group && gv.version === def.version)!.path;
      const patches = Object.values(doc(path).paths as Record<string, Schema>).map(item => item.patch).filter(Boolean);
      const own = patches.find(op => op['x-kubernetes-group-version-kind'].kind === def.kind && op['x-kubernetes-group-version-kind'].group === def.group);
      expect(own, `${def.group}/${def.version} ${def.kind}`).toBeDefined();
      expect(own.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
      if (def.definition) expect(schema(path, def.definition)['x-kubernetes-group-version-kind']).toContainEqual(own['x-kubernetes-group-version-kind']);
    }
  });

  it('names and describes operations as Kubernetes does', () => {
    const paths = doc('apis/apps/v1').paths;
    const item = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch).toMatchObject({
      operationId: 'patchAppsV1NamespacedDeployment',
      description: 'partially update the specified Deployment',
      tags: ['apps_v1'],
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
    expect(Object.keys(item.patch.requestBody.content)).toContain('application/strategic-merge-patch+json');
    expect(paths['/apis/apps/v1/deployments'].get.operationId).toBe('listAppsV1DeploymentForAllNamespaces');
    expect(paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].put['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    const core = doc('api/v1').paths;
    expect(core['/api/v1/namespaces/{namespace}/pods/{name}/eviction'].post['x-kubernetes-group-version-kind']).toEqual({ group: 'policy', kind: 'Eviction', version: 'v1' });
    expect(core['/api/v1/namespaces/{namespace}/pods/{name}/exec'].get).toMatchObject({ operationId: 'connectCoreV1GetNamespacedPodExec', 'x-kubernetes-action': 'connect' });
    expect(core['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post.requestBody.content['*/*'].schema).toEqual(ref('io.k8s.api.authentication.v1.TokenRequest'));
  });
});
