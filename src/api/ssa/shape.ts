// How field management sees each type of the generated table (its "shape"): which values are merged
// and owned member by member, which list items are matched by key or by value, and which values are
// atomic (replaced, compared and owned as one field). Kubernetes derives the same from its OpenAPI.
import { definition, type FieldInfo, type ValueType } from '../schema/types.ts';

export type Shape = AtomicShape | ObjectShape | ListShape;

/** Leaves and atomic lists, maps and structs. */
export interface AtomicShape { kind: 'atomic' }

/** A struct (declared fields) or a granular map (entries are not declared fields). */
export interface ObjectShape { kind: 'object'; member(name: string): Member }

export interface Member {
  shape: Shape;
  /** A struct field rather than a map entry: a non-empty value does not own the field itself. */
  declared: boolean;
  /** A name the struct's schema does not have: an applied configuration may not set it. */
  undeclared?: true;
}

/** An associative list: items matched by `keys` (listType=map), or by their whole value (listType=set). */
export interface ListShape { kind: 'list'; items: Shape; keys?: string[]; keyDefaults?: Record<string, unknown> }

export const ATOMIC: AtomicShape = { kind: 'atomic' };

/**
 * Objects without a schema (custom resources here): as the Server-Side Apply docs say, all keys are
 * treated as struct fields and all lists as atomic (a list value does not fit an object shape).
 */
export const UNSTRUCTURED: ObjectShape = { kind: 'object', member: () => UNSTRUCTURED_MEMBER };
const UNSTRUCTURED_MEMBER: Member = { shape: UNSTRUCTURED, declared: true };
/** A field a known struct does not declare: taken as stored, refused in an applied configuration. */
const UNDECLARED_MEMBER: Member = { ...UNSTRUCTURED_MEMBER, undeclared: true };

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Types marked `+structType=atomic` in Kubernetes; the generated table does not carry struct markers. */
const ATOMIC_STRUCTS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'io.k8s.api.core.v1.SecretReference',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.FileKeySelector',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference',
  'io.k8s.api.autoscaling.v2.CrossVersionObjectReference',
  ...['v1', 'v1beta1', 'v1alpha1'].flatMap(v => ['ParamKind', 'ParamRef', 'MatchResources', 'NamedRuleWithOperations']
    .map(t => `io.k8s.api.admissionregistration.${v}.${t}`)),
]);

/** List-map key fields with an OpenAPI default: an item that omits them is keyed by the default. */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  'io.k8s.api.core.v1.ContainerPort': { protocol: 'TCP' },
  'io.k8s.api.core.v1.ServicePort': { protocol: 'TCP' },
};

const structs = new Map<string, Shape>();

/** The shape of an object of the named definition; UNSTRUCTURED when the table does not know it. */
export function shapeOfDefinition(name: string): Shape {
  let shape = structs.get(name);
  if (shape) return shape;
  const def = definition(name);
  if (!def) shape = UNSTRUCTURED;
  else if (def.alias) shape = shapeOfType(def.alias);
  else if (ATOMIC_STRUCTS.has(name)) shape = ATOMIC;
  else {
    // Members are resolved on first use: the type graph is cyclic (JSONSchemaProps).
    const members = new Map<string, Member>();
    shape = {
      kind: 'object',
      member(field) {
        let member = members.get(field);
        if (!member) {
          const info = def.fieldsByName.get(field);
          member = info ? { shape: shapeOfType(info.type, info), declared: true } : UNDECLARED_MEMBER;
          members.set(field, member);
        }
        return member;
      },
    };
  }
  structs.set(name, shape);
  return shape;
}

/** The shape of a whole object: its definition, or an unstructured object whose metadata is still ObjectMeta. */
export function rootShape(definitionName: string | undefined): ObjectShape {
  const known = definitionName ? shapeOfDefinition(definitionName) : undefined;
  if (known?.kind === 'object' && known !== UNSTRUCTURED) return known;
  const metadata: Member = { shape: shapeOfDefinition(OBJECT_META), declared: true };
  return { kind: 'object', member: name => (name === 'metadata' ? metadata : UNSTRUCTURED_MEMBER) };
}

function shapeOfType(type: ValueType, tags?: FieldInfo): Shape {
  switch (type.kind) {
    case 'struct':
      return shapeOfDefinition(type.name);
    case 'map': {
      if (tags?.mapType === 'atomic') return ATOMIC;
      const values: Member = { shape: shapeOfType(type.values), declared: false };
      return { kind: 'object', member: () => values };
    }
    case 'list': {
      const relationship = listRelationship(tags);
      if (relationship === 'atomic') return ATOMIC;
      const items = shapeOfType(type.items);
      if (relationship === 'set') return { kind: 'list', items };
      const keyDefaults = type.items.kind === 'struct' ? KEY_DEFAULTS[type.items.name] : undefined;
      return { kind: 'list', items, keys: relationship, ...(keyDefaults ? { keyDefaults } : {}) };
    }
    default:
      return ATOMIC; // scalars, and any-JSON values (raw, json, fields-v1)
  }
}

/**
 * Kubernetes' rule (kube-openapi's schema conversion): listType decides; without it, a `merge` patch
 * strategy makes a list associative (keyed by the merge key, or a set without one); else it is atomic.
 */
function listRelationship(tags: FieldInfo | undefined): 'atomic' | 'set' | string[] {
  switch (tags?.listType) {
    case 'atomic': return 'atomic';
    case 'set': return 'set';
    case 'map': return tags.listMapKeys?.length ? tags.listMapKeys : 'atomic';
  }
  if (tags?.patchStrategy?.split(',').includes('merge')) return tags.patchMergeKey ? [tags.patchMergeKey] : 'set';
  return 'atomic';
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
