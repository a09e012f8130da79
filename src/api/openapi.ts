// OpenAPI v3 documents per group-version, built from the registry and the generated type table in the shape
// Kubernetes (kube-openapi) publishes them, so kubectl reads them as it reads a real cluster's: the operations
// of every path (kubectl validates server-side when a kind's PATCH takes fieldValidation) and the schemas of
// every type they reach (explain; the patch metadata of client-side apply; field validation).
import type { ResourceDef, Verb } from './registry/types.ts';
import type { Catalog } from './catalog.ts';
import { definition, definitionForKind, type FieldInfo, type ValueType } from './schema/types.ts';
import { VERSION } from './version.ts';

type Schema = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = (name: string) => `#/components/schemas/${name}`;

/** Scalars as kube-openapi writes them. */
const SCALARS: Record<string, Schema> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  bool: { type: 'boolean' },
  double: { type: 'number', format: 'double' },
  bytes: { type: 'string', format: 'byte' },
  duration: { type: 'string' },
};

/** Go zero values, which kube-openapi publishes as the default of scalars Go always serializes. */
const ZERO_VALUES: Record<string, unknown> = { string: '', int32: 0, int64: 0, bool: false, double: 0 };

/** Types with a JSON form of their own: Kubernetes names them, and their schema says what the JSON is. */
const NAMED_LEAVES: Record<string, { name: string; schema: Schema }> = {
  quantity: { name: 'io.k8s.apimachinery.pkg.api.resource.Quantity', schema: { oneOf: [{ type: 'string' }, { type: 'number' }] } },
  'int-or-string': { name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', schema: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] } },
  time: { name: `${META}.Time`, schema: { format: 'date-time', type: 'string' } },
  'micro-time': { name: `${META}.MicroTime`, schema: { format: 'date-time', type: 'string' } },
  raw: { name: 'io.k8s.apimachinery.pkg.runtime.RawExtension', schema: { type: 'object' } },
  'fields-v1': { name: `${META}.FieldsV1`, schema: { type: 'object' } },
};

/**
 * kube-openapi's default for a value Go always serializes: {} for a struct, the zero value for a scalar,
 * nothing for types with custom (un)marshalling (Quantity, Time, IntOrString, apiextensions JSON...).
 */
function zeroDefault(type: ValueType): unknown {
  if (type.kind === 'struct') return definition(type.name)?.alias ? undefined : {};
  return ZERO_VALUES[type.kind];
}

/** A field's default: its +default marker; else structs that are not pointers, and scalars neither pointer nor omitempty. */
function fieldDefault(f: FieldInfo): unknown {
  if (f.default !== undefined) return f.default;
  if (f.pointer || (f.omitempty && f.type.kind !== 'struct')) return undefined;
  return zeroDefault(f.type);
}

/** A schema with more keywords; kube-openapi's v3 output puts a $ref that has siblings in an allOf. */
function withKeywords(value: Schema, keywords: Schema): Schema {
  const present = Object.entries(keywords).filter(([, v]) => v !== undefined);
  if (!present.length) return value;
  return '$ref' in value ? { allOf: [value], ...Object.fromEntries(present) } : { ...value, ...Object.fromEntries(present) };
}

class SchemaCollector {
  readonly schemas: Record<string, Schema> = {};

  /** Adds a definition (and everything it reaches); returns the reference to it. */
  ref(name: string): Schema {
    if (!this.schemas[name]) this.build(name);
    return { $ref: REF(name) };
  }

  private build(name: string): void {
    const def = definition(name);
    const schema: Schema = {};
    this.schemas[name] = schema; // first: types refer to themselves (JSONSchemaProps)
    if (!def) return;
    if (def.description) schema.description = def.description;
    if (def.alias) {
      // JSON and its kin say nothing but their description.
      Object.assign(schema, NAMED_LEAVES[def.alias.kind]?.schema ?? SCALARS[def.alias.kind] ?? {});
      return;
    }
    const properties: Record<string, Schema> = {};
    for (const f of [...def.fields].sort((a, b) => (a.name < b.name ? -1 : 1))) properties[f.name] = this.property(f);
    if (def.fields.length) schema.properties = properties;
    const required = def.fields.filter(f => f.required).map(f => f.name);
    if (required.length) schema.required = required;
    schema.type = 'object';
    if (def.union) {
      const { discriminator, members } = def.union;
      schema['x-kubernetes-unions'] = [{ ...(discriminator ? { discriminator } : {}), 'fields-to-discriminateBy': members }];
    }
    if (def.kinds.length) schema['x-kubernetes-group-version-kind'] = def.kinds.map(k => ({ group: k.group, kind: k.kind, version: k.version }));
    if (def.mapType) schema['x-kubernetes-map-type'] = def.mapType;
  }

  private property(f: FieldInfo): Schema {
    let value = this.value(f.type, f.jsonDefinition);
    // Enum values go on the field, or on its items when it is a list.
    if (f.enum && f.type.kind === 'list') value = { ...value, items: { ...(value.items as Schema), enum: f.enum } };
    return withKeywords(value, {
      default: fieldDefault(f),
      description: f.description,
      enum: f.type.kind === 'list' ? undefined : f.enum,
      'x-kubernetes-list-map-keys': f.listMapKeys,
      'x-kubernetes-list-type': f.listType,
      'x-kubernetes-map-type': f.mapType,
      'x-kubernetes-patch-merge-key': f.patchMergeKey,
      'x-kubernetes-patch-strategy': f.patchStrategy,
    });
  }

  private value(t: ValueType, jsonDefinition?: string): Schema {
    switch (t.kind) {
      case 'struct': return this.ref(t.name);
      // Items and map values are always serialized: they carry their zero value as default.
      case 'list': return { type: 'array', items: withKeywords(this.value(t.items, jsonDefinition), { default: zeroDefault(t.items) }) };
      case 'map': return { type: 'object', additionalProperties: withKeywords(this.value(t.values, jsonDefinition), { default: zeroDefault(t.values) }) };
      case 'json': return jsonDefinition ? this.ref(jsonDefinition) : { type: 'object' };
      default: {
        const named = NAMED_LEAVES[t.kind];
        return named ? this.ref(named.name) : { ...SCALARS[t.kind] };
      }
    }
  }
}

// ---- paths and operations ----

const QUERY = (name: string, description: string, type = 'string'): Schema =>
  ({ description, in: 'query', name, schema: { type, uniqueItems: true } });

// Parameter descriptions are Kubernetes' first sentences: clients read only names, and they repeat on every operation.
const DRY_RUN = QUERY('dryRun', 'When present, indicates that modifications should not be persisted.');
const FIELD_MANAGER = QUERY('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.');
const FIELD_VALIDATION = QUERY('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.');
const FORCE = QUERY('force', 'Force is going to "force" Apply requests.', 'boolean');
const WRITE_PARAMETERS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const PATCH_PARAMETERS = [...WRITE_PARAMETERS, FORCE];
const DELETE_PARAMETERS = [
  DRY_RUN,
  QUERY('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  QUERY('propagationPolicy', 'Whether and how garbage collection will be performed.'),
];
const LIST_PARAMETERS = [
  QUERY('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  QUERY('continue', 'The continue option should be set when retrieving more results from the server.'),
  QUERY('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  QUERY('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  QUERY('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  QUERY('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  QUERY('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  QUERY('sendInitialEvents', '`sendInitialEvents=true` may be set together with `watch=true`.', 'boolean'),
  QUERY('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  QUERY('watch', 'Watch for changes to the described resources.', 'boolean'),
];
const PRETTY = QUERY('pretty', "If 'true', then the output is pretty printed.");
const PATH = (name: string, description: string): Schema => ({ description, in: 'path', name, required: true, schema: { type: 'string', uniqueItems: true } });
const NAMESPACE = PATH('namespace', 'object name and auth scope, such as for teams and projects');

// Responses name JSON only (Kubernetes also lists YAML, protobuf and CBOR): no client reads more, and documents stay small.
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const content = (schema: Schema, types = ['application/json']) => Object.fromEntries(types.map(t => [t, { schema }]));

interface GVK { group: string; version: string; kind: string }

/** `apps` → Apps, `rbac.authorization.k8s.io` → RbacAuthorization, core → Core: how Kubernetes names operations and tags. */
const groupWord = (group: string) => (group ? group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('') : 'Core');
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `apps_v1`, `rbacAuthorization_v1`, `core_v1`. */
const tagOf = (group: string, version: string) => `${groupWord(group).charAt(0).toLowerCase()}${groupWord(group).slice(1)}_${version}`;

/** Builds one resource's operations, named and described as Kubernetes does. */
class Operations {
  private readonly stem: string;
  private readonly tag: string;

  constructor(private readonly def: ResourceDef, private readonly collector: SchemaCollector) {
    this.stem = `${groupWord(def.group)}${capitalize(def.version)}${def.namespaced ? 'Namespaced' : ''}${def.kind}`;
    this.tag = tagOf(def.group, def.version);
  }

  op(action: string, opId: string, description: string, gvk: GVK, o: {
    parameters?: Schema[]; body?: Schema; bodyTypes?: string[]; response?: Schema; responseTypes?: string[]; created?: boolean;
  }): Schema {
    const responses: Schema = { '200': { content: content(o.response ?? {}, o.responseTypes), description: 'OK' } };
    if (o.created) responses['201'] = { content: content(o.response ?? {}, o.responseTypes), description: 'Created' };
    responses['401'] = { description: 'Unauthorized' };
    const op: Schema = { description, operationId: opId };
    if (o.parameters?.length) op.parameters = o.parameters;
    if (o.body) op.requestBody = { content: content(o.body, o.bodyTypes ?? ['*/*']), required: true };
    return { ...op, responses, tags: [this.tag], 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk };
  }

  /** The paths of the resource, its status, scale and other subresources. */
  paths(): Record<string, Schema> {
    const { def, collector } = this;
    const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
    const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.resource}` : `${prefix}/${def.resource}`;
    const item = `${collection}/{name}`;
    const gvk = { group: def.group, kind: def.kind, version: def.version };
    const kind = def.definition && definition(def.definition) ? collector.ref(def.definition) : { type: 'object' };
    const listName = def.definition ? `${def.definition.slice(0, def.definition.lastIndexOf('.') + 1)}${def.listKind ?? `${def.kind}List`}` : '';
    const list = definition(listName) ? collector.ref(listName) : { type: 'object' };
    const deleteOptions = collector.ref(`${META}.DeleteOptions`);
    const status = collector.ref(`${META}.Status`);
    const patch = collector.ref(`${META}.Patch`);
    const name = PATH('name', `name of the ${def.kind}`);
    const scope = def.namespaced ? [NAMESPACE] : [];
    const verbs = new Set(def.verbs);
    const paths: Record<string, Schema> = {};

    const coll: Schema = {};
    if (verbs.has('list')) coll.get = this.op('list', `list${this.stem}`, `list or watch objects of kind ${def.kind}`, gvk, { parameters: LIST_PARAMETERS, response: list });
    if (verbs.has('create')) coll.post = this.op('post', `create${this.stem}`, `create a ${def.kind}`, gvk, { parameters: WRITE_PARAMETERS, body: kind, response: kind, created: true });
    if (verbs.has('deletecollection')) {
      coll.delete = this.op('deletecollection', `deleteCollection${this.stem}`, `delete collection of ${def.kind}`, gvk, { parameters: [...LIST_PARAMETERS, ...DELETE_PARAMETERS], body: deleteOptions, response: status });
    }
    if (Object.keys(coll).length) paths[collection] = { ...coll, parameters: [...scope, PRETTY] };
    if (def.namespaced && verbs.has('list')) {
      const allNamespaces = `list${groupWord(def.group)}${capitalize(def.version)}${def.kind}ForAllNamespaces`;
      paths[`${prefix}/${def.resource}`] = { get: this.op('list', allNamespaces, `list or watch objects of kind ${def.kind}`, gvk, { response: list }), parameters: [...LIST_PARAMETERS, PRETTY] };
    }

    const one: Schema = {};
    if (verbs.has('get')) one.get = this.op('get', `read${this.stem}`, `read the specified ${def.kind}`, gvk, { response: kind });
    if (verbs.has('update')) one.put = this.op('put', `replace${this.stem}`, `replace the specified ${def.kind}`, gvk, { parameters: WRITE_PARAMETERS, body: kind, response: kind, created: true });
    if (verbs.has('patch')) one.patch = this.op('patch', `patch${this.stem}`, `partially update the specified ${def.kind}`, gvk, { parameters: PATCH_PARAMETERS, body: patch, bodyTypes: PATCH_TYPES, response: kind, created: true });
    if (verbs.has('delete')) one.delete = this.op('delete', `delete${this.stem}`, `delete a ${def.kind}`, gvk, { parameters: DELETE_PARAMETERS, body: deleteOptions, response: status });
    if (Object.keys(one).length) paths[item] = { ...one, parameters: [name, ...scope, PRETTY] };

    // Subresources that read or write (a part of) the object, or take a kind of their own (binding, eviction, token).
    const part = (sub: string, subGvk: GVK, schema: Schema, subVerbs: Verb[]) => {
      const ops: Schema = {};
      const Sub = capitalize(sub);
      if (subVerbs.includes('get')) ops.get = this.op('get', `read${this.stem}${Sub}`, `read ${sub} of the specified ${def.kind}`, subGvk, { response: schema });
      if (subVerbs.includes('update')) ops.put = this.op('put', `replace${this.stem}${Sub}`, `replace ${sub} of the specified ${def.kind}`, subGvk, { parameters: WRITE_PARAMETERS, body: schema, response: schema, created: true });
      if (subVerbs.includes('patch')) ops.patch = this.op('patch', `patch${this.stem}${Sub}`, `partially update ${sub} of the specified ${def.kind}`, subGvk, { parameters: PATCH_PARAMETERS, body: patch, bodyTypes: PATCH_TYPES, response: schema, created: true });
      if (subVerbs.includes('create')) ops.post = this.op('post', `create${this.stem}${Sub}`, `create ${sub} of a ${def.kind}`, subGvk, { parameters: WRITE_PARAMETERS, body: schema, response: schema, created: true });
      paths[`${item}/${sub}`] = { ...ops, parameters: [name, ...scope, PRETTY] };
    };
    if (def.hasStatus) part('status', gvk, kind, ['get', 'update', 'patch']);
    if (def.scale) part('scale', { group: 'autoscaling', kind: 'Scale', version: 'v1' }, collector.ref('io.k8s.api.autoscaling.v1.Scale'), ['get', 'update', 'patch']);
    for (const sub of def.subresources ?? []) {
      const subGvk = { group: sub.group ?? def.group, kind: sub.kind, version: sub.version ?? def.version };
      if (sub.kind.endsWith('Options')) {
        paths[`${item}/${sub.name}`] = { ...this.connect(sub.name, subGvk, sub.verbs), parameters: [name, ...scope] };
        continue;
      }
      if (sub.name === 'log') {
        // The log is text, not the Pod its GVK names.
        const log = this.op('get', `read${this.stem}Log`, `read log of the specified ${def.kind}`, subGvk, { response: { type: 'string' }, responseTypes: ['text/plain'] });
        paths[`${item}/log`] = { get: log, parameters: [name, ...scope, PRETTY] };
        continue;
      }
      const subDefinition = definitionForKind(subGvk.group, subGvk.version, subGvk.kind);
      part(sub.name, subGvk, subDefinition ? collector.ref(subDefinition) : { type: 'object' }, sub.verbs);
    }
    return paths;
  }

  /** Streaming subresources (exec, attach, portforward, proxy): `connect` operations taking *Options. */
  private connect(sub: string, gvk: GVK, verbs: Verb[]): Schema {
    const methods: [Verb, string][] = [['get', 'get'], ['create', 'post'], ['update', 'put'], ['patch', 'patch'], ['delete', 'delete']];
    const ops: Schema = {};
    for (const [verb, method] of methods) {
      if (!verbs.includes(verb)) continue;
      const Method = capitalize(method);
      const opId = `connect${groupWord(this.def.group)}${capitalize(this.def.version)}${Method}${this.def.namespaced ? 'Namespaced' : ''}${this.def.kind}${capitalize(sub)}`;
      ops[method] = this.op('connect', opId, `connect ${method.toUpperCase()} requests to ${sub} of ${this.def.kind}`, gvk, { response: { type: 'string' }, responseTypes: ['*/*'] });
    }
    return ops;
  }
}

/** Meta kinds that every group version registers (Kubernetes lists each group version in their GVK extension). */
const EVERY_GROUP_VERSION = ['DeleteOptions', 'WatchEvent'];

/** The OpenAPI v3 document of one group-version. */
export function groupVersionDocument(catalog: Catalog, group: string, version: string): Schema {
  const collector = new SchemaCollector();
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const resources = `get${groupWord(group)}${capitalize(version)}APIResources`;
  const paths: Record<string, Schema> = {
    [`${prefix}/`]: {
      get: { description: 'get available resources', operationId: resources, responses: { '200': { content: content(collector.ref(`${META}.APIResourceList`)), description: 'OK' }, '401': { description: 'Unauthorized' } }, tags: [tagOf(group, version)] },
    },
  };
  for (const def of catalog.resourcesOf(group, version)) Object.assign(paths, new Operations(def, collector).paths());
  // Watch events are what the watch of every kind streams; kubectl resolves them by GVK.
  collector.ref(`${META}.WatchEvent`);
  const everyGroupVersion = catalog.groups
    .flatMap(g => g.versions.map(v => ({ group: g.group, version: v })))
    .sort((a, b) => (a.group === b.group ? (a.version < b.version ? -1 : 1) : a.group < b.group ? -1 : 1));
  for (const kind of EVERY_GROUP_VERSION) {
    const schema = collector.schemas[`${META}.${kind}`];
    if (schema) schema['x-kubernetes-group-version-kind'] = everyGroupVersion.map(gv => ({ group: gv.group, kind, version: gv.version }));
  }
  return {
    components: {
      schemas: Object.fromEntries(Object.entries(collector.schemas).sort(([a], [b]) => (a < b ? -1 : 1))),
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title: 'Kubernetes', version: VERSION.gitVersion },
    openapi: '3.0.0',
    paths,
  };
}

/** `api/v1`, `apis/apps/v1`: the keys of the /openapi/v3 index. */
export function groupVersionPaths(catalog: Catalog): { path: string; group: string; version: string }[] {
  return catalog.groups.flatMap(g => g.versions.map(v => ({ path: g.group ? `apis/${g.group}/${v}` : `api/${v}`, group: g.group, version: v })));
}
