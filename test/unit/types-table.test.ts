import { describe, expect, it } from 'vitest';
import {
  definition, definitionForKind, definitionNames, elementGoType, fieldOf, impliedGoType, parseTypeRef, type ValueType,
} from '../../src/api/schema/types.ts';

const APPS = 'io.k8s.api.apps.v1';
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

describe('the generated type table', () => {
  it('describes a kind: group/version/kind, fields in Go order with TypeMeta flattened, descriptions', () => {
    const deployment = definition(`${APPS}.Deployment`)!;
    expect(deployment.kinds).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(deployment.goName).toBe('Deployment');
    expect(deployment.description).toMatch(/declarative updates for Pods and ReplicaSets/);
    expect(deployment.fields.map((f) => f.name)).toEqual(['kind', 'apiVersion', 'metadata', 'spec', 'status']);
    expect(deployment.fieldsByName.get('kind')).toMatchObject({ embeddedIn: 'TypeMeta', omitempty: true, required: false });
    expect(deployment.fieldsByName.get('kind')!.protobuf).toBeUndefined(); // TypeMeta travels outside the object's message
    expect(deployment.fieldsByNumber.get(2)!.name).toBe('spec');
  });

  it('gives each field its type, protobuf number and flags', () => {
    expect(fieldOf(`${APPS}.DeploymentSpec`, 'replicas')).toMatchObject({
      type: { kind: 'int32' }, protobuf: 1, pointer: true, omitempty: true, required: false, goType: 'int32',
    });
    expect(fieldOf(`${APPS}.DeploymentSpec`, 'template')).toMatchObject({
      type: { kind: 'struct', name: `${CORE}.PodTemplateSpec` }, protobuf: 3, required: true, goType: 'v1.PodTemplateSpec',
    });
    expect(fieldOf(`${CORE}.PodSpec`, 'containers')).toMatchObject({
      type: { kind: 'list', wrapped: false, items: { kind: 'struct', name: `${CORE}.Container` } },
      patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], goType: '[]v1.Container', required: true,
    });
    expect(fieldOf(`${CORE}.PodSpec`, 'nodeSelector')).toMatchObject({ mapType: 'atomic', type: { kind: 'map', values: { kind: 'string' } } });
    expect(fieldOf(`${CORE}.ContainerPort`, 'protocol')!.goType).toBe('v1.Protocol');
    expect(fieldOf(`${CORE}.ContainerPort`, 'containerPort')!.required).toBe(true);
    expect(fieldOf(`${CORE}.Container`, 'name')!.description).toMatch(/DNS_LABEL/);
  });

  it('distinguishes the special value types', () => {
    const kindOf = (def: string, field: string) => fieldOf(def, field)!.type.kind;
    expect(kindOf(`${CORE}.ResourceRequirements`, 'limits')).toBe('map');
    expect((fieldOf(`${CORE}.ResourceRequirements`, 'limits')!.type as { values: ValueType }).values.kind).toBe('quantity');
    expect(fieldOf(`${CORE}.ResourceRequirements`, 'limits')!.goType).toBe('v1.ResourceList');
    expect(kindOf(`${APPS}.RollingUpdateDeployment`, 'maxSurge')).toBe('int-or-string');
    expect(kindOf(`${META}.ObjectMeta`, 'creationTimestamp')).toBe('time');
    expect(kindOf('io.k8s.api.coordination.v1.LeaseSpec', 'renewTime')).toBe('micro-time');
    expect(kindOf(`${META}.ManagedFieldsEntry`, 'fieldsV1')).toBe('fields-v1');
    expect(kindOf(`${APPS}.ControllerRevision`, 'data')).toBe('raw');
    expect(kindOf(`${CORE}.Secret`, 'data')).toBe('map');
    expect((fieldOf(`${CORE}.Secret`, 'data')!.type as { values: ValueType }).values.kind).toBe('bytes');
    expect(kindOf(`${APIEXTENSIONS}.JSONSchemaProps`, 'default')).toBe('json');
    expect(kindOf(`${APIEXTENSIONS}.JSONSchemaProps`, 'additionalProperties')).toBe('json');
    expect(kindOf(`${APIEXTENSIONS}.JSONSchemaProps`, 'maximum')).toBe('double');
    expect(kindOf('io.k8s.api.authentication.v1.TokenRequestSpec', 'expirationSeconds')).toBe('int64');
  });

  it('marks list wrappers whose protobuf form is {repeated items = 1}', () => {
    expect(fieldOf(`${META}.APIResource`, 'verbs')).toMatchObject({ type: { kind: 'list', wrapped: true, items: { kind: 'string' } }, goType: 'v1.Verbs' });
    expect(fieldOf('io.k8s.api.authentication.v1.UserInfo', 'extra')).toMatchObject({
      type: { kind: 'map', values: { kind: 'list', wrapped: true, items: { kind: 'string' } } },
      goType: 'map[string]v1.ExtraValue',
    });
  });

  it('has definitions for the non-struct types under their Kubernetes names', () => {
    expect(definition('io.k8s.apimachinery.pkg.api.resource.Quantity')!.alias!.kind).toBe('quantity');
    expect(definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString')!.alias!.kind).toBe('int-or-string');
    expect(definition('io.k8s.apimachinery.pkg.runtime.RawExtension')!.alias!.kind).toBe('raw');
    expect(definition(`${META}.Time`)!.alias!.kind).toBe('time');
    expect(definition(`${META}.FieldsV1`)!.alias!.kind).toBe('fields-v1');
    expect(definition(`${META}.ObjectMeta`)!.alias).toBeUndefined();
    expect(definition('io.k8s.api.core.v1.NoSuchThing')).toBeUndefined();
    expect(definition('constructor')).toBeUndefined();
  });

  it('keeps what protobuf needs to decode inline embedded structs', () => {
    const probe = definition(`${CORE}.Probe`)!;
    expect([...probe.embeddedByNumber]).toEqual([[1, `${CORE}.ProbeHandler`]]);
    expect(probe.fieldsByName.get('httpGet')).toMatchObject({ embeddedIn: 'ProbeHandler' });
    expect(probe.fieldsByName.get('httpGet')!.protobuf).toBeUndefined();
    expect(definition(`${CORE}.ProbeHandler`)!.fieldsByNumber.get(2)!.name).toBe('httpGet');
  });

  it('finds the definition of a group/version/kind, with meta/v1 kinds in every group version', () => {
    expect(definitionForKind('apps', 'v1', 'Deployment')).toBe(`${APPS}.Deployment`);
    expect(definitionForKind('apps', 'v1beta2', 'Deployment')).toBe('io.k8s.api.apps.v1beta2.Deployment');
    expect(definitionForKind('', 'v1', 'Secret')).toBe(`${CORE}.Secret`);
    expect(definitionForKind('', 'v1', 'List')).toBe(`${CORE}.List`);
    expect(definitionForKind('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview')).toBe('io.k8s.api.authorization.v1.SelfSubjectAccessReview');
    expect(definitionForKind('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition')).toBe(`${APIEXTENSIONS}.CustomResourceDefinition`);
    expect(definitionForKind('', 'v1', 'Status')).toBe(`${META}.Status`);
    expect(definitionForKind('', 'v1', 'DeleteOptions')).toBe(`${META}.DeleteOptions`);
    expect(definitionForKind('batch', 'v1', 'DeleteOptions')).toBe(`${META}.DeleteOptions`);
    expect(definitionForKind('meta.k8s.io', 'v1', 'Table')).toBe(`${META}.Table`);
    expect(definitionForKind('apps', 'v1', 'Widget')).toBeUndefined();
    expect(definitionForKind('', 'v1', 'PodSpec')).toBeUndefined();
  });

  it('includes apiextensions.k8s.io/v1 with the x-kubernetes extensions', () => {
    const props = definition(`${APIEXTENSIONS}.JSONSchemaProps`)!;
    expect(props.fieldsByName.get('properties')!.type).toMatchObject({ kind: 'map', values: { kind: 'struct', name: `${APIEXTENSIONS}.JSONSchemaProps` } });
    for (const name of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-list-type', 'x-kubernetes-validations']) {
      expect(props.fieldsByName.has(name)).toBe(true);
    }
    expect(fieldOf(`${APIEXTENSIONS}.WebhookClientConfig`, 'caBundle')!.type.kind).toBe('bytes');
    expect(fieldOf(`${APIEXTENSIONS}.CustomResourceDefinitionSpec`, 'scope')).toMatchObject({ required: true, goType: 'v1.ResourceScope' });
  });

  it('is closed: every referenced definition exists', () => {
    const names = definitionNames();
    expect(names.length).toBeGreaterThan(1200);
    const structsOf = (type: ValueType): string[] =>
      type.kind === 'struct' ? [type.name] : type.kind === 'list' ? structsOf(type.items) : type.kind === 'map' ? structsOf(type.values) : [];
    for (const name of names) {
      const def = definition(name)!;
      for (const field of def.fields) for (const ref of structsOf(field.type)) expect(definition(ref), `${name}.${field.name}`).toBeDefined();
      for (const embedded of def.embeddedByNumber.values()) expect(definition(embedded)).toBeDefined();
    }
  });
});

describe('type references', () => {
  it('parses the grammar and caches', () => {
    expect(parseTypeRef('[]{}[items]string')).toEqual({
      ref: '[]{}[items]string', kind: 'list', wrapped: false,
      items: { ref: '{}[items]string', kind: 'map', values: { ref: '[items]string', kind: 'list', wrapped: true, items: { ref: 'string', kind: 'string' } } },
    });
    expect(parseTypeRef(`${CORE}.Pod`)).toBe(parseTypeRef(`${CORE}.Pod`));
    expect(() => parseTypeRef('nonsense')).toThrow(/invalid type reference/);
  });

  it('derives Go type names', () => {
    expect(impliedGoType(`[]${CORE}.Container`)).toBe('[]v1.Container');
    expect(impliedGoType('{}bytes')).toBe('map[string][]uint8');
    expect(impliedGoType('quantity')).toBe('resource.Quantity');
    expect(elementGoType('[]v1.Capability', 'string')).toBe('v1.Capability');
    expect(elementGoType('map[string]v1.ExtraValue', '[items]string')).toBe('v1.ExtraValue');
    expect(elementGoType('v1.ResourceList', 'quantity')).toBe('resource.Quantity');
  });
});
