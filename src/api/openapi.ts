// OpenAPI v3 documents per group-version, built from the registry and the generated type table:
// paths with their operations (kubectl looks for PATCH + fieldValidation to validate server-side)
// and the schemas of every type they reach (kubectl explain, client-side apply's patch metadata).
import type { ResourceDef } from './registry/types.ts';
import type { Catalog } from './catalog.ts';
import { definition, type FieldInfo, type ValueType } from './schema/types.ts';
import { VERSION } from './version.ts';

type Schema = Record<string, unknown>;

const REF = (name: string) => `#/components/schemas/${name}`;

/** Leaf types as Kubernetes' OpenAPI v3 shows them. */
const LEAF_SCHEMAS: Record<string, Schema> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  bool: { type: 'boolean' },
  double: { type: 'number', format: 'double' },
  bytes: { type: 'string', format: 'byte' },
  duration: { type: 'string' },
  json: { 'x-kubernetes-preserve-unknown-fields': true },
};

/** Definitions whose schema is not an object of fields (Kubernetes names them, their own schema says what they are). */
const ALIAS_SCHEMAS: Record<string, Schema> = {
  quantity: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'int-or-string': { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
  time: { type: 'string', format: 'date-time' },
  'micro-time': { type: 'string', format: 'date-time' },
  raw: { type: 'object' },
  'fields-v1': { type: 'object' },
  json: { 'x-kubernetes-preserve-unknown-fields': true },
};

/** Where a leaf type's named definition lives, so references look like Kubernetes' own. */
const LEAF_DEFINITIONS: Record<string, string> = {
  quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  'int-or-string': 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  time: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  'micro-time': 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  raw: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  'fields-v1': 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
};

class SchemaCollector {
  readonly schemas: Record<string, Schema> = {};

  /** Adds a definition (and everything it reaches); returns its name. */
  add(name: string): string {
    if (this.schemas[name]) return name;
    const def = definition(name);
    const schema: Schema = {};
    this.schemas[name] = schema;
    if (!def) return name;
    if (def.description) schema.description = def.description;
    if (def.alias) {
      Object.assign(schema, ALIAS_SCHEMAS[def.alias.kind] ?? this.valueSchema(def.alias));
      return name;
    }
    schema.type = 'object';
    const required = def.fields.filter(f => f.required).map(f => f.name);
    if (required.length) schema.required = required;
    const properties: Record<string, Schema> = {};
    for (const f of def.fields) properties[f.name] = this.fieldSchema(f);
    schema.properties = properties;
    if (def.kinds.length) schema['x-kubernetes-group-version-kind'] = def.kinds.map(k => ({ group: k.group, kind: k.kind, version: k.version }));
    return name;
  }

  private fieldSchema(f: FieldInfo): Schema {
    const s: Schema = { ...this.valueSchema(f.type, true) };
    if (f.description) s.description = f.description;
    if (f.listType) s['x-kubernetes-list-type'] = f.listType;
    if (f.listMapKeys) s['x-kubernetes-list-map-keys'] = f.listMapKeys;
    if (f.mapType) s['x-kubernetes-map-type'] = f.mapType;
    if (f.patchStrategy) s['x-kubernetes-patch-strategy'] = f.patchStrategy;
    if (f.patchMergeKey) s['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    return s;
  }

  /** A value's schema; references are wrapped in allOf so a field can carry its own description. */
  private valueSchema(t: ValueType, wrapRef = false): Schema {
    const ref = (name: string): Schema => (wrapRef ? { allOf: [{ $ref: REF(this.add(name)) }] } : { $ref: REF(this.add(name)) });
    switch (t.kind) {
      case 'struct': return ref(t.name);
      case 'list': return { type: 'array', items: this.valueSchema(t.items) };
      case 'map': return { type: 'object', additionalProperties: this.valueSchema(t.values) };
      default: {
        const named = LEAF_DEFINITIONS[t.kind];
        if (named) {
          if (!this.schemas[named]) this.schemas[named] = { ...(definition(named)?.description ? { description: definition(named)!.description } : {}), ...ALIAS_SCHEMAS[t.kind] };
          return ref(named);
        }
        return { ...(LEAF_SCHEMAS[t.kind] ?? {}) };
      }
    }
  }
}

const QUERY = (name: string, description: string, schema: Schema = { type: 'string' }) =>
  ({ name, in: 'query', description, schema, uniqueItems: true });

const WRITE_PARAMETERS = [
  QUERY('dryRun', 'When present, indicates that modifications should not be persisted.'),
  QUERY('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  QUERY('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.'),
];
const LIST_PARAMETERS = [
  QUERY('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', { type: 'boolean' }),
  QUERY('continue', 'The continue option should be set when retrieving more results from the server.'),
  QUERY('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  QUERY('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  QUERY('limit', 'limit is a maximum number of responses to return for a list call.', { type: 'integer' }),
  QUERY('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  QUERY('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  QUERY('sendInitialEvents', 'sendInitialEvents=true may be set together with watch=true.', { type: 'boolean' }),
  QUERY('timeoutSeconds', 'Timeout for the list/watch call.', { type: 'integer' }),
  QUERY('watch', 'Watch for changes to the described resources.', { type: 'boolean' }),
];
const PATCH_CONTENT_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function operation(def: ResourceDef, action: string, opts: { kindDefinition?: string; parameters?: Schema[]; body?: string[]; response?: string }): Schema {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const op: Schema = {
    description: `${action} ${def.kind}`,
    operationId: `${action}${def.kind}`,
    tags: [def.group ? `${def.group.split('.')[0]}_${def.version}` : `core_${def.version}`],
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: opts.response ? { $ref: REF(opts.response) } : {} } } } },
  };
  if (opts.parameters?.length) op.parameters = opts.parameters;
  if (opts.body) {
    op.requestBody = {
      required: true,
      content: Object.fromEntries(opts.body.map(t => [t, { schema: opts.kindDefinition ? { $ref: REF(opts.kindDefinition) } : { type: 'object' } }])),
    };
  }
  return op;
}

/** The paths and operations of one resource. */
function resourcePaths(def: ResourceDef, collector: SchemaCollector): Record<string, Schema> {
  const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const collection = def.namespaced ? `${base}/namespaces/{namespace}/${def.resource}` : `${base}/${def.resource}`;
  const item = `${collection}/{name}`;
  const kindDef = def.definition && definition(def.definition) ? collector.add(def.definition) : undefined;
  const listDef = def.definition && definition(`${def.definition}List`) ? collector.add(`${def.definition}List`) : undefined;
  const pathParams = [
    ...(def.namespaced ? [{ name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string', uniqueItems: true } }] : []),
  ];
  const nameParam = { name: 'name', in: 'path', required: true, description: `name of the ${def.kind}`, schema: { type: 'string', uniqueItems: true } };
  const v = new Set(def.verbs);
  const paths: Record<string, Schema> = {};
  const coll: Schema = { parameters: pathParams };
  if (v.has('list')) coll.get = operation(def, 'list', { parameters: LIST_PARAMETERS, response: listDef });
  if (v.has('create')) coll.post = operation(def, 'post', { kindDefinition: kindDef, parameters: WRITE_PARAMETERS, body: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'], response: kindDef });
  if (v.has('deletecollection')) coll.delete = operation(def, 'deletecollection', { parameters: LIST_PARAMETERS });
  if (Object.keys(coll).length > 1) paths[collection] = coll;
  const one: Schema = { parameters: [nameParam, ...pathParams] };
  if (v.has('get')) one.get = operation(def, 'get', { response: kindDef });
  if (v.has('update')) one.put = operation(def, 'put', { kindDefinition: kindDef, parameters: WRITE_PARAMETERS, body: ['application/json'], response: kindDef });
  if (v.has('patch')) {
    one.patch = operation(def, 'patch', {
      parameters: [...WRITE_PARAMETERS, QUERY('force', 'Force is going to "force" Apply requests.', { type: 'boolean' })],
      body: PATCH_CONTENT_TYPES, response: kindDef,
    });
  }
  if (v.has('delete')) one.delete = operation(def, 'delete', { parameters: [QUERY('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', { type: 'integer' }), QUERY('propagationPolicy', 'Whether and how garbage collection will be performed.'), ...WRITE_PARAMETERS.slice(0, 1)] });
  if (Object.keys(one).length > 1) paths[item] = one;
  if (def.hasStatus) {
    paths[`${item}/status`] = {
      parameters: [nameParam, ...pathParams],
      get: operation(def, 'get', { response: kindDef }),
      put: operation(def, 'put', { kindDefinition: kindDef, parameters: WRITE_PARAMETERS, body: ['application/json'], response: kindDef }),
      patch: operation(def, 'patch', { parameters: WRITE_PARAMETERS, body: PATCH_CONTENT_TYPES, response: kindDef }),
    };
  }
  if (def.scale) {
    const scale = collector.add('io.k8s.api.autoscaling.v1.Scale');
    const scaleDef = { ...def, group: 'autoscaling', version: 'v1', kind: 'Scale' };
    paths[`${item}/scale`] = {
      parameters: [nameParam, ...pathParams],
      get: operation(scaleDef, 'get', { response: scale }),
      put: operation(scaleDef, 'put', { kindDefinition: scale, parameters: WRITE_PARAMETERS, body: ['application/json'], response: scale }),
      patch: operation(scaleDef, 'patch', { parameters: WRITE_PARAMETERS, body: PATCH_CONTENT_TYPES, response: scale }),
    };
  }
  return paths;
}

/** The OpenAPI v3 document of one group-version. */
export function groupVersionDocument(catalog: Catalog, group: string, version: string): Schema {
  const collector = new SchemaCollector();
  const paths: Record<string, Schema> = {};
  for (const def of catalog.resourcesOf(group, version)) Object.assign(paths, resourcePaths(def, collector));
  // Kinds every group version serves (kubectl resolves DeleteOptions, Status, WatchEvent through them).
  for (const meta of ['DeleteOptions', 'Status', 'WatchEvent', 'APIResourceList']) collector.add(`io.k8s.apimachinery.pkg.apis.meta.v1.${meta}`);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION.gitVersion },
    paths,
    components: { schemas: collector.schemas },
  };
}

/** `api/v1`, `apis/apps/v1`: the keys of the /openapi/v3 index. */
export function groupVersionPaths(catalog: Catalog): { path: string; group: string; version: string }[] {
  return catalog.groups.flatMap(g => g.versions.map(v => ({ path: g.group ? `apis/${g.group}/${v}` : `api/${v}`, group: g.group, version: v })));
}
