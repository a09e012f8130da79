// Typed access to the table of Kubernetes API types (src/generated/types.json, made by scripts/gen-types.ts).
//
// File format — compact, because it ships with the server:
//
//   { "descriptions": string[],                       // every distinct description, referenced by index
//     "definitions": { [openApiName]: Def } }          // e.g. "io.k8s.api.apps.v1.Deployment"
//
//   Def   = { d?: description index,
//             k?: [group, version, kind][],            // set when the type is a top-level kind (embeds TypeMeta)
//             t?: TypeRef,                             // set when the type is not a struct in JSON (Quantity → "quantity")
//             mt?: "atomic" | "granular",              // +structType: how server-side apply treats the struct as a whole
//             un?: { d?: discriminator JSON name,      // +union: members are the other fields, JSON name → Go field name
//                    m: { [jsonName]: goName } },
//             f?: Field[],                             // JSON fields in Go declaration order, inline embeddings flattened
//             in?: [protobufNumber, defName][] }       // inline embedded structs, which protobuf keeps as a nested message
//   Field = { n: JSON name, t: TypeRef,
//             p?: protobuf field number (absent for flattened fields and for types without protobuf),
//             r?: 1 required (as Kubernetes' published OpenAPI lists it; else +required, or neither +optional nor omitempty),
//             o?: 1 omitempty, ptr?: 1 Go pointer,
//             g?: Go type as reflect prints it (v1.Protocol, map[string]v1.ExtraValue), when impliedGoType(t) differs,
//             v?: Go names of the embedded structs the field comes from ("ProbeHandler", "TypeMeta"),
//             ps?: patchStrategy, pk?: patchMergeKey, lt?: listType, lk?: listMapKeys, mt?: mapType,
//             e?: string[] the allowed values (+enum types; of the items when the field is a list),
//             df?: the +default marker's value (JSON); zero-value defaults are not stored,
//             jd?: for a `json` value (or list/map of them), the definition Kubernetes names it by (JSONSchemaPropsOrBool...),
//             d?: description index }
//
//   TypeRef grammar:
//     string | int32 | int64 | bool | double | bytes (base64 string in JSON)
//     quantity | int-or-string | time (RFC 3339, seconds) | micro-time (RFC 3339, microseconds) | duration (Go duration string)
//     raw (runtime.RawExtension: any JSON) | fields-v1 (metav1.FieldsV1: any JSON) | json (any JSON: apiextensions JSON and friends)
//     <definition name>          a struct, e.g. io.k8s.api.core.v1.PodSpec
//     []T                        a list of T
//     {}T                        a map from string to T
//     [items]T                   a list of T in JSON whose protobuf form is a message { repeated T items = 1; } (meta/v1 Verbs, ExtraValue)
import table from '../../generated/types.json';

export type LeafType =
  | 'string' | 'int32' | 'int64' | 'bool' | 'double' | 'bytes'
  | 'quantity' | 'int-or-string' | 'time' | 'micro-time' | 'duration' | 'raw' | 'fields-v1' | 'json';

/** A parsed TypeRef; `ref` is the TypeRef string it was parsed from. */
export type ValueType = { ref: string } & (
  | { kind: LeafType }
  | { kind: 'struct'; name: string }
  | { kind: 'list'; items: ValueType; wrapped: boolean }
  | { kind: 'map'; values: ValueType }
);

export interface GroupVersionKind { group: string; version: string; kind: string }

export interface FieldInfo {
  name: string;
  type: ValueType;
  protobuf?: number;
  required: boolean;
  omitempty: boolean;
  pointer: boolean;
  /** The Go type as encoding/json error messages print it. */
  goType: string;
  /** Dotted Go names of the inline embedded structs this field was flattened from. */
  embeddedIn?: string;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: string;
  listMapKeys?: string[];
  mapType?: string;
  /** The allowed values of an enum-typed field (of its items when it is a list). */
  enum?: string[];
  /** The default Kubernetes declares with a +default marker (zero-value defaults are implied, not stored). */
  default?: unknown;
  /** For a `json` value (or a list or map of them): the definition Kubernetes names it by, e.g. JSONSchemaPropsOrBool. */
  jsonDefinition?: string;
  description?: string;
}

/** A +union struct: at most one member is set, the discriminator (if any) names which. */
export interface UnionInfo {
  discriminator?: string;
  /** Member JSON names → Go field names. */
  members: Record<string, string>;
}

export interface DefinitionInfo {
  name: string;
  /** The Go type name (the last segment of the name). */
  goName: string;
  description?: string;
  kinds: GroupVersionKind[];
  /** For types that are not structs in JSON (Quantity, Time, RawExtension...). */
  alias?: ValueType;
  /** +structType: `atomic` structs are replaced as a whole by server-side apply. */
  mapType?: string;
  union?: UnionInfo;
  fields: FieldInfo[];
  fieldsByName: Map<string, FieldInfo>;
  /** Fields of this message by protobuf number (flattened fields excluded: see embeddedByNumber). */
  fieldsByNumber: Map<number, FieldInfo>;
  /** Inline embedded structs by protobuf number: their fields are merged into this object. */
  embeddedByNumber: Map<number, string>;
}

interface RawField {
  n: string; t: string; p?: number; r?: 1; o?: 1; ptr?: 1; g?: string; v?: string;
  ps?: string; pk?: string; lt?: string; lk?: string[]; mt?: string; e?: string[]; df?: unknown; jd?: string; d?: number;
}
interface RawDefinition {
  d?: number; k?: [string, string, string][]; t?: string; mt?: string; un?: { d?: string; m: Record<string, string> };
  f?: RawField[]; in?: [number, string][];
}
interface RawTable { descriptions: string[]; definitions: Record<string, RawDefinition> }

const raw = table as unknown as RawTable;

const LEAF_TYPES = new Set<string>([
  'string', 'int32', 'int64', 'bool', 'double', 'bytes',
  'quantity', 'int-or-string', 'time', 'micro-time', 'duration', 'raw', 'fields-v1', 'json',
]);

const LEAF_GO_TYPES: Record<string, string> = {
  double: 'float64', bytes: '[]uint8', quantity: 'resource.Quantity', 'int-or-string': 'intstr.IntOrString',
  time: 'v1.Time', 'micro-time': 'v1.MicroTime', duration: 'v1.Duration', raw: 'runtime.RawExtension',
  'fields-v1': 'v1.FieldsV1', json: 'v1.JSON',
};

const parsedTypes = new Map<string, ValueType>();

/** Parses a TypeRef string (cached: the table has few distinct ones). */
export function parseTypeRef(ref: string): ValueType {
  let parsed = parsedTypes.get(ref);
  if (parsed) return parsed;
  if (ref.startsWith('[]')) parsed = { ref, kind: 'list', items: parseTypeRef(ref.slice(2)), wrapped: false };
  else if (ref.startsWith('[items]')) parsed = { ref, kind: 'list', items: parseTypeRef(ref.slice(7)), wrapped: true };
  else if (ref.startsWith('{}')) parsed = { ref, kind: 'map', values: parseTypeRef(ref.slice(2)) };
  else if (LEAF_TYPES.has(ref)) parsed = { ref, kind: ref as LeafType };
  else if (ref.includes('.')) parsed = { ref, kind: 'struct', name: ref };
  else throw new Error(`invalid type reference ${JSON.stringify(ref)}`);
  parsedTypes.set(ref, parsed);
  return parsed;
}

/** The Go type a TypeRef stands for when the table gives no `g`: v1.PodSpec, []v1.Container, map[string]string. */
export function impliedGoType(ref: string): string {
  if (ref.startsWith('[]')) return `[]${impliedGoType(ref.slice(2))}`;
  if (ref.startsWith('{}')) return `map[string]${impliedGoType(ref.slice(2))}`;
  if (LEAF_GO_TYPES[ref]) return LEAF_GO_TYPES[ref];
  if (!ref.includes('.')) return ref;
  const segments = ref.split('.');
  return `${segments[segments.length - 2]}.${segments[segments.length - 1]}`;
}

/** The Go type of a list's or map's elements, given the collection's Go type and the element TypeRef. */
export function elementGoType(collectionGoType: string, elementRef: string): string {
  if (collectionGoType.startsWith('[]')) return collectionGoType.slice(2);
  if (collectionGoType.startsWith('map[')) return collectionGoType.slice(collectionGoType.indexOf(']') + 1);
  return impliedGoType(elementRef); // a named collection (v1.ResourceList, v1.Verbs)
}

const infos = new Map<string, DefinitionInfo>();

function toFieldInfo(field: RawField): FieldInfo {
  const info: FieldInfo = {
    name: field.n,
    type: parseTypeRef(field.t),
    required: field.r === 1,
    omitempty: field.o === 1,
    pointer: field.ptr === 1,
    goType: field.g ?? impliedGoType(field.t),
  };
  if (field.p !== undefined) info.protobuf = field.p;
  if (field.v) info.embeddedIn = field.v;
  if (field.ps) info.patchStrategy = field.ps;
  if (field.pk) info.patchMergeKey = field.pk;
  if (field.lt) info.listType = field.lt;
  if (field.lk) info.listMapKeys = field.lk;
  if (field.mt) info.mapType = field.mt;
  if (field.e) info.enum = field.e;
  if (field.df !== undefined) info.default = field.df;
  if (field.jd) info.jsonDefinition = field.jd;
  if (field.d !== undefined) info.description = raw.descriptions[field.d];
  return info;
}

/** The definition of an OpenAPI-named type, or undefined. */
export function definition(name: string): DefinitionInfo | undefined {
  let info = infos.get(name);
  if (info) return info;
  const def = Object.hasOwn(raw.definitions, name) ? raw.definitions[name] : undefined;
  if (!def) return undefined;
  const fields = (def.f ?? []).map(toFieldInfo);
  info = {
    name,
    goName: name.slice(name.lastIndexOf('.') + 1),
    kinds: (def.k ?? []).map(([group, version, kind]) => ({ group, version, kind })),
    fields,
    fieldsByName: new Map(fields.map((f) => [f.name, f])),
    fieldsByNumber: new Map(fields.filter((f) => f.protobuf !== undefined).map((f) => [f.protobuf!, f])),
    embeddedByNumber: new Map(def.in ?? []),
  };
  if (def.d !== undefined) info.description = raw.descriptions[def.d];
  if (def.t) info.alias = parseTypeRef(def.t);
  if (def.mt) info.mapType = def.mt;
  if (def.un) info.union = { ...(def.un.d ? { discriminator: def.un.d } : {}), members: def.un.m };
  infos.set(name, info);
  return info;
}

/** A field of a definition by JSON name. */
export function fieldOf(defName: string, jsonName: string): FieldInfo | undefined {
  return definition(defName)?.fieldsByName.get(jsonName);
}

/** Every definition name in the table. */
export function definitionNames(): string[] {
  return Object.keys(raw.definitions);
}

let kindIndex: Map<string, string> | undefined;
let metaKindIndex: Map<string, string> | undefined;
const gvkKey = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;

function buildKindIndexes(): void {
  kindIndex = new Map();
  metaKindIndex = new Map();
  for (const [name, def] of Object.entries(raw.definitions)) {
    for (const [group, version, kind] of def.k ?? []) {
      kindIndex.set(gvkKey(group, version, kind), name);
      if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')) metaKindIndex.set(kind, name);
    }
  }
}

/**
 * The definition name serving a group/version/kind. meta/v1 kinds (DeleteOptions, Status, WatchEvent...)
 * are registered in every group version, so they are the fallback for any group and version.
 */
export function definitionForKind(group: string, version: string, kind: string): string | undefined {
  if (!kindIndex) buildKindIndexes();
  return kindIndex!.get(gvkKey(group, version, kind)) ?? metaKindIndex!.get(kind);
}
