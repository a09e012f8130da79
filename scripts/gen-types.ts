// Generates src/generated/types.json, the table of Kubernetes API types that the server decodes
// and checks objects with. Its format is documented in src/api/schema/types.ts.
//
//   npx tsx scripts/gen-types.ts [reference-dir]
//
// Sources: the Kubernetes reference data (default ../shared/k8s-reference next to the repository):
// the generated.proto files are the truth for protobuf numbers and value types, and their Go comments
// for the +default, +structType and +union markers; k8s-api-fields.json for JSON names, omitempty,
// optional/required and patch metadata. Descriptions, enum values and the apiextensions.k8s.io/v1
// types (which the reference lacks) come from the .d.ts files of kubernetes-models (generated from a
// recent Kubernetes OpenAPI spec), with kubernetes-types (1.30) as the fallback for what it lacks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import ts from 'typescript';
import { impliedGoType } from '../src/api/schema/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const referenceDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '..', 'shared', 'k8s-reference'));
const kubernetesTypesDir = path.join(repoRoot, 'node_modules', 'kubernetes-types');
const kubernetesModelsDirs = ['kubernetes-models', '@kubernetes-models/apimachinery'].map((p) => path.join(repoRoot, 'node_modules', p));
const outputFile = path.join(repoRoot, 'src', 'generated', 'types.json');

// ---- the table's shape (mirrors src/api/schema/types.ts) ----

// Descriptions are strings here and become indexes into the table's description list on output.
interface FieldEntry {
  n: string; t: string; p?: number; r?: 1; o?: 1; ptr?: 1; g?: string; v?: string;
  ps?: string; pk?: string; lt?: string; lk?: string[]; mt?: string; e?: string[]; df?: unknown; jd?: string; d?: string;
}
interface Union { d?: string; m: Record<string, string> }
interface DefEntry {
  d?: string; k?: [string, string, string][]; t?: string; mt?: string; un?: Union; f?: FieldEntry[]; in?: [number, string][];
}

// ---- facts the sources do not carry ----

/** API group of each k8s.io/api package. */
const API_GROUPS: Record<string, string> = {
  admission: 'admission.k8s.io',
  admissionregistration: 'admissionregistration.k8s.io',
  apidiscovery: 'apidiscovery.k8s.io',
  apiserverinternal: 'internal.apiserver.k8s.io',
  apps: 'apps',
  authentication: 'authentication.k8s.io',
  authorization: 'authorization.k8s.io',
  autoscaling: 'autoscaling',
  batch: 'batch',
  certificates: 'certificates.k8s.io',
  coordination: 'coordination.k8s.io',
  core: '',
  discovery: 'discovery.k8s.io',
  events: 'events.k8s.io',
  extensions: 'extensions',
  flowcontrol: 'flowcontrol.apiserver.k8s.io',
  imagepolicy: 'imagepolicy.k8s.io',
  lifecycle: 'lifecycle.k8s.io',
  networking: 'networking.k8s.io',
  node: 'node.k8s.io',
  policy: 'policy',
  rbac: 'rbac.authorization.k8s.io',
  resource: 'resource.k8s.io',
  scheduling: 'scheduling.k8s.io',
  storage: 'storage.k8s.io',
  storagemigration: 'storagemigration.k8s.io',
};

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const META_GO_PACKAGE = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** meta/v1 kinds registered as unversioned types of the core group ("v1"); the others are meta.k8s.io/v1. */
const UNVERSIONED_META_KINDS = new Set(['Status', 'APIVersions', 'APIGroupList', 'APIGroup', 'APIResourceList']);

/** Types whose JSON form is not a struct (custom marshalling in Go): their keyword in type references. */
const FORMAT_TYPES: Record<string, string> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  [`${META}.Time`]: 'time',
  [`${META}.MicroTime`]: 'micro-time',
  [`${META}.Duration`]: 'duration',
  [`${META}.FieldsV1`]: 'fields-v1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'raw',
  [`${APIEXTENSIONS}.JSON`]: 'json',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrArray`]: 'json',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrBool`]: 'json',
  [`${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`]: 'json',
};

/** Go constants that +default=ref(...) markers name (the reference has no constant values). */
const GO_CONSTANTS: Record<string, string> = { AzureDataDiskCachingReadWrite: 'ReadWrite', AzureSharedBlobDisk: 'Shared' };

/** Go-internal helper types that are not API types. */
const SKIPPED_TYPES = new Set(['io.k8s.apimachinery.pkg.api.resource.QuantityValue', `${META}.Timestamp`]);

const PROTO_SCALARS: Record<string, string> = { string: 'string', bool: 'bool', int32: 'int32', int64: 'int64', bytes: 'bytes', double: 'double' };

// apiextensions.k8s.io/v1 Go facts the .d.ts cannot express (numbers are int64 unless listed; some strings are bytes or named types).
const APIEXTENSIONS_TYPES: Record<string, string> = {
  'CustomResourceColumnDefinition.priority': 'int32',
  'ServiceReference.port': 'int32',
  'JSONSchemaProps.maximum': 'double',
  'JSONSchemaProps.minimum': 'double',
  'JSONSchemaProps.multipleOf': 'double',
  'WebhookClientConfig.caBundle': 'bytes',
};
const APIEXTENSIONS_GO_TYPES: Record<string, string> = {
  'CustomResourceDefinitionSpec.scope': 'v1.ResourceScope',
  'CustomResourceConversion.strategy': 'v1.ConversionStrategyType',
  'CustomResourceDefinitionCondition.type': 'v1.CustomResourceDefinitionConditionType',
  'CustomResourceDefinitionCondition.status': 'v1.ConditionStatus',
  'ValidationRule.reason': 'v1.FieldValueErrorReason',
  'JSONSchemaProps.x-kubernetes-validations': 'v1.ValidationRules',
};
// apiextensions.k8s.io/v1 list markers (+listType, +listMapKeys, +patchStrategy, +patchMergeKey), as Kubernetes publishes them.
const APIEXTENSIONS_LISTS: Record<string, Pick<FieldEntry, 'lt' | 'lk' | 'ps' | 'pk'>> = {
  'CustomResourceDefinitionNames.categories': { lt: 'atomic' },
  'CustomResourceDefinitionNames.shortNames': { lt: 'atomic' },
  'CustomResourceDefinitionSpec.versions': { lt: 'atomic' },
  'CustomResourceDefinitionStatus.conditions': { lt: 'map', lk: ['type'] },
  'CustomResourceDefinitionStatus.storedVersions': { lt: 'atomic' },
  'CustomResourceDefinitionVersion.additionalPrinterColumns': { lt: 'atomic' },
  'CustomResourceDefinitionVersion.selectableFields': { lt: 'atomic' },
  ...Object.fromEntries(['allOf', 'anyOf', 'oneOf', 'enum', 'required', 'x-kubernetes-list-map-keys'].map((f) => [`JSONSchemaProps.${f}`, { lt: 'atomic' }])),
  'JSONSchemaProps.x-kubernetes-validations': { lt: 'map', lk: ['rule'], ps: 'merge', pk: 'rule' },
};
const APIEXTENSIONS_POINTERS = new Set([
  'CustomResourceConversion.webhook', 'CustomResourceDefinitionSpec.conversion', 'CustomResourceDefinitionVersion.schema',
  'CustomResourceDefinitionVersion.subresources', 'CustomResourceDefinitionVersion.deprecationWarning',
  'CustomResourceSubresourceScale.labelSelectorPath', 'CustomResourceSubresources.scale', 'CustomResourceSubresources.status',
  'CustomResourceValidation.openAPIV3Schema', 'ServiceReference.path', 'ServiceReference.port', 'ValidationRule.reason',
  'ValidationRule.optionalOldSelf', 'WebhookClientConfig.url', 'WebhookClientConfig.service', 'WebhookConversion.clientConfig',
  ...['default', 'maximum', 'minimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'multipleOf', 'maxProperties',
    'minProperties', 'items', 'not', 'additionalProperties', 'additionalItems', 'externalDocs', 'example',
    'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-map-type'].map((f) => `JSONSchemaProps.${f}`),
]);

// ---- reference sources ----

interface GoField {
  go: string; json: string; type: string;
  inline?: boolean; omitempty?: boolean; optional?: boolean; required?: boolean;
  pb?: { num?: number; name?: string };
  patchStrategy?: string; patchMergeKey?: string; listType?: string; listMapKeys?: string[]; mapType?: string;
}
type GoPackages = Record<string, Record<string, { fields: GoField[] }>>;

const goPackages: GoPackages = JSON.parse(fs.readFileSync(path.join(referenceDir, 'k8s-api-fields.json'), 'utf8')).packages;

function loadProtos(): protobuf.Root {
  const protoDir = path.join(referenceDir, 'proto');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.proto')) files.push(full);
    }
  };
  walk(protoDir);
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoDir, target));
  root.loadSync(files.sort(), { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return root;
}
const protoRoot = loadProtos();

/** `.k8s.io.api.apps.v1.Deployment` / `k8s.io/api/apps/v1` → `io.k8s.api.apps.v1(.Deployment)` */
const openApiName = (protoOrGoName: string) => protoOrGoName.replace(/^\./, '').replace(/^k8s\.io[./]/, 'io.k8s.').replaceAll('/', '.');
const shortName = (defName: string) => defName.slice(defName.lastIndexOf('.') + 1);
/** Go package name of a definition's package: the segment before the type name (v1, resource, intstr...). */
const goPackageName = (defName: string) => defName.split('.').at(-2)!;

function protoMessages(): Map<string, protobuf.Type> {
  const messages = new Map<string, protobuf.Type>();
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type) messages.set(openApiName(nested.fullName), nested);
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) walk(nested);
    }
  };
  walk(protoRoot);
  return messages;
}
const messages = protoMessages();

/** Messages that only wrap a repeated value, so that protobuf can nest lists (`message Verbs { repeated string items = 1; }`). */
function isListWrapper(name: string): boolean {
  const message = messages.get(name);
  if (!message || message.fieldsArray.length !== 1) return false;
  const [only] = message.fieldsArray;
  return only.name === 'items' && only.id === 1 && only.repeated && !hasGoStruct(name);
}
/** `io.k8s.api.apps.v1.Deployment` → [`k8s.io/api/apps/v1`, `Deployment`] */
function goPackageAndType(defName: string): [string, string] {
  const cut = defName.lastIndexOf('.');
  return [`k8s.io/${defName.slice('io.k8s.'.length, cut).replaceAll('.', '/')}`, defName.slice(cut + 1)];
}
function hasGoStruct(name: string): boolean {
  const [goPackage, typeName] = goPackageAndType(name);
  return Boolean(goPackages[goPackage]?.[typeName]);
}

// ---- descriptions, enums and apiextensions types from the .d.ts files ----

interface TsField { name: string; optional: boolean; type: ts.TypeNode | undefined; doc?: string; enum?: string[] }
interface TsType { doc?: string; fields?: TsField[]; alias?: ts.TypeNode }

function dtsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '_schemas' || entry.name === 'node_modules' ? [] : dtsFiles(full);
    return entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
const parseDts = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

/** The text of a declaration's doc comment, line breaks kept. kubernetes-models escapes \, * and / with a backslash. */
function docComment(node: ts.Node, escaped: boolean): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  if (!docs?.length) return undefined;
  const lines = docs[docs.length - 1].getText().replace(/^\/\*\*|\*\/$/g, '').split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .filter((line) => line.trim() !== '@deprecated');
  let text = lines.join('\n').trim();
  if (escaped) text = text.replace(/\\(.)/g, '$1');
  return text || undefined;
}

/** A field's values when its type is a union of string literals (Kubernetes' +enum types), or a list of such. */
function enumValues(node: ts.TypeNode | undefined): string[] | undefined {
  if (node && ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Array') node = node.typeArguments?.[0];
  if (!node || !ts.isUnionTypeNode(node)) return undefined;
  const values = node.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined));
  return values.every((v) => v !== undefined) ? (values as string[]) : undefined;
}

function interfaceFields(declaration: ts.InterfaceDeclaration, escaped: boolean): TsField[] {
  return declaration.members.filter(ts.isPropertySignature).map((member) => ({
    name: ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(),
    optional: Boolean(member.questionToken),
    type: member.type,
    doc: docComment(member, escaped),
    enum: enumValues(member.type),
  }));
}

/** kubernetes-types: one file per group version (apps/v1.d.ts), types under their Go names. */
function kubernetesTypesModule(file: string): string | undefined {
  const rel = path.relative(kubernetesTypesDir, file).replace(/\.d\.ts$/, '').split(path.sep).join('/');
  if (rel === 'meta/v1') return META;
  if (rel === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (rel === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (rel === 'apiextensions/v1') return APIEXTENSIONS;
  if (rel.includes('/')) return `io.k8s.api.${rel.replace('/', '.')}`;
  return undefined; // version.d.ts
}

function loadKubernetesTypes(): Map<string, TsType> {
  const types = new Map<string, TsType>();
  for (const file of dtsFiles(kubernetesTypesDir)) {
    const module = kubernetesTypesModule(file);
    if (!module) continue;
    for (const statement of parseDts(file).statements) {
      if (ts.isInterfaceDeclaration(statement)) {
        types.set(`${module}.${statement.name.text}`, { doc: docComment(statement, false), fields: interfaceFields(statement, false) });
      } else if (ts.isTypeAliasDeclaration(statement)) {
        types.set(`${module}.${statement.name.text}`, { doc: docComment(statement, false), alias: statement.type });
      }
    }
  }
  return types;
}
const kubernetesTypes = loadKubernetesTypes();

/** `io.k8s.api.apps.v1.Deployment` → `IoK8sApiAppsV1Deployment`, the spelling kubernetes-models names types by. */
const camelName = (name: string) => name.split(/[.-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');

/** Resolves kubernetes-models' camel-cased type names against the packages the reference knows. */
const camelModules = new Map(
  [...new Set([...messages.keys()].map((n) => n.slice(0, n.lastIndexOf('.'))).concat(Object.keys(goPackages).map(openApiName), APIEXTENSIONS))]
    .map((module) => [camelName(module), module]),
);
function fromCamelName(camel: string): string | undefined {
  let best: string | undefined;
  for (const [prefix, module] of camelModules) {
    if (camel.startsWith(prefix) && /^[A-Z]\w*$/.test(camel.slice(prefix.length)) && (!best || module.length > best.length)) {
      best = `${module}.${camel.slice(prefix.length)}`;
    }
  }
  return best;
}

/** kubernetes-models: one file per type (apps/v1/Deployment.d.ts) declaring `IDeployment`, exported as `IIoK8sApiAppsV1Deployment`. */
function loadKubernetesModels(): Map<string, TsType> {
  const types = new Map<string, TsType>();
  for (const file of kubernetesModelsDirs.flatMap(dtsFiles)) {
    const local = new Map<string, TsType>();
    for (const statement of parseDts(file).statements) {
      if (ts.isInterfaceDeclaration(statement)) {
        local.set(statement.name.text, { doc: docComment(statement, true), fields: interfaceFields(statement, true) });
      } else if (ts.isTypeAliasDeclaration(statement) && !local.has(statement.name.text)) {
        local.set(statement.name.text, { doc: docComment(statement, true), alias: statement.type });
      } else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          const type = local.get(element.propertyName?.text ?? '');
          const name = element.name.text.startsWith('IIoK8s') ? fromCamelName(element.name.text.slice(1)) : undefined;
          if (type && name) types.set(name, type);
        }
      }
    }
  }
  return types;
}
const kubernetesModels = loadKubernetesModels();

/** The kubernetes-models field of a definition (the newest descriptions and the enum values). */
const modelField = (defName: string, jsonName: string) => kubernetesModels.get(defName)?.fields?.find((f) => f.name === jsonName);

/** Go doc comment (as go-to-protobuf copied it into the .proto) → OpenAPI-style description. */
function protoDescription(comment: string | null | undefined): string | undefined {
  if (!comment) return undefined;
  const paragraphs: string[] = [];
  let current = '';
  for (const raw of comment.split('---')[0].split('\n')) {
    const line = raw.trimEnd();
    const leading = line.trimStart();
    if (!line) { if (current) paragraphs.push(current.trim()); current = ''; continue; }
    if (leading.startsWith('+') || leading.startsWith('TODO')) continue;
    current += /^[ \t]/.test(line) ? `\n${line}\n` : `${line} `;
  }
  if (current) paragraphs.push(current.trim());
  return paragraphs.join('\n\n').replace(/ \n/g, '\n').trim() || undefined;
}

function typeDescription(name: string): string | undefined {
  return kubernetesModels.get(name)?.doc ?? kubernetesTypes.get(name)?.doc ?? protoDescription(messages.get(name)?.comment);
}
function fieldDescription(defName: string, jsonName: string, protoField?: protobuf.Field): string | undefined {
  return modelField(defName, jsonName)?.doc
    ?? kubernetesTypes.get(defName)?.fields?.find((f) => f.name === jsonName)?.doc
    ?? protoDescription(protoField?.comment);
}

// ---- Go markers that go-to-protobuf copied into the .proto comments ----

const markerValue = (comment: string | null | undefined, name: string) => comment?.match(new RegExp(`^\\s*\\+${name}=(.*)$`, 'm'))?.[1].trim();
const hasMarker = (comment: string | null | undefined, name: string) => new RegExp(`^\\s*\\+${name}\\s*$`, 'm').test(comment ?? '');

/** A field's +default marker: a JSON value, or ref(GoConstant). */
function defaultMarker(comment: string | null | undefined): unknown {
  const value = markerValue(comment, 'default');
  if (value === undefined) return undefined;
  const constant = value.match(/^ref\((\w+)\)$/)?.[1];
  if (!constant) return JSON.parse(value);
  if (!(constant in GO_CONSTANTS)) throw new Error(`+default=ref(${constant}): add its value to GO_CONSTANTS`);
  return GO_CONSTANTS[constant];
}

/** Per-field facts from the sources besides the Go struct: description, enum values, +default, required. */
function fieldFacts(entry: FieldEntry, defName: string, protoField?: protobuf.Field): FieldEntry {
  const description = fieldDescription(defName, entry.n, protoField);
  if (description) entry.d = description;
  const model = modelField(defName, entry.n);
  if (model?.enum) entry.e = model.enum;
  // Whether a field is required, as Kubernetes' published OpenAPI says (the reference's Go markers are newer than v1.35).
  if (model && !model.optional) entry.r = 1;
  else if (model) delete entry.r;
  const explicitDefault = defaultMarker(protoField?.comment);
  if (explicitDefault !== undefined) entry.df = explicitDefault;
  return entry;
}

// ---- type references ----

function protoTypeRef(field: protobuf.Field): string {
  if (field instanceof protobuf.MapField) {
    if (field.keyType !== 'string') throw new Error(`map key ${field.keyType} in ${field.fullName}`);
    return `{}${valueTypeRef(field)}`;
  }
  return field.repeated ? `[]${valueTypeRef(field)}` : valueTypeRef(field);
}
function valueTypeRef(field: protobuf.Field): string {
  if (PROTO_SCALARS[field.type]) return PROTO_SCALARS[field.type];
  const resolved = field.resolve().resolvedType;
  if (!(resolved instanceof protobuf.Type)) throw new Error(`unsupported protobuf type ${field.type} in ${field.fullName}`);
  return messageTypeRef(openApiName(resolved.fullName));
}
function messageTypeRef(name: string): string {
  if (FORMAT_TYPES[name]) return FORMAT_TYPES[name];
  if (isListWrapper(name)) return `[items]${valueTypeRef(messages.get(name)!.fieldsArray[0])}`;
  return name;
}

/** Go's scalar types → TypeRef. */
const GO_BUILTINS: Record<string, string> = { string: 'string', bool: 'bool', int32: 'int32', int64: 'int64', float64: 'double' };

/** Whether a Go type string from k8s-api-fields.json is usable (embedded fields there are split wrongly, e.g. `go: "metav1", type: ".TypeMeta"`). */
function isWellFormedGoType(goType: string): boolean {
  const base = goType.replace(/^(\*|\[\]|map\[[^\]]*\])+/, '');
  return Boolean(GO_BUILTINS[base]) || base === 'byte' || /^([a-z][A-Za-z0-9]*\.)?[A-Z]\w*$/.test(base);
}
/** The Go type of a field as written in its struct (embedded fields rebuilt from the split `go` + `type`). */
function goTypeOf(field: GoField): string {
  return isWellFormedGoType(field.type) ? field.type : field.go + field.type;
}

/** A Go type string → reflect's spelling (package names instead of import aliases), without a leading pointer. */
function reflectTypeName(goType: string, ownPackage: string): string {
  if (goType.startsWith('*')) return reflectTypeName(goType.slice(1), ownPackage);
  if (goType.startsWith('[]')) return `[]${goType === '[]byte' ? 'uint8' : reflectTypeName(goType.slice(2), ownPackage)}`;
  if (goType.startsWith('map[')) {
    const close = goType.indexOf(']');
    return `map[${reflectTypeName(goType.slice(4, close), ownPackage)}]${reflectTypeName(goType.slice(close + 1), ownPackage)}`;
  }
  if (goType === 'byte') return 'uint8';
  if (GO_BUILTINS[goType] || goType === 'interface{}') return goType;
  const dot = goType.indexOf('.');
  if (dot < 0) return `${ownPackage}.${goType}`;
  const alias = goType.slice(0, dot);
  const packageName = alias.match(/(v\d+(?:alpha\d+|beta\d+)?)$/)?.[1] ?? (alias === 'apimachinerytypes' ? 'types' : alias);
  return `${packageName}.${goType.slice(dot + 1)}`;
}

/** Resolves a Go type name used in `goPackage` to a definition name (for the few fields without protobuf). */
function resolveGoStruct(goType: string, goPackage: string): string | undefined {
  const bare = goType.replace(/^\*/, '');
  const dot = bare.indexOf('.');
  if (dot < 0) return goPackages[goPackage]?.[bare] ? `${openApiName(goPackage)}.${bare}` : undefined;
  const alias = bare.slice(0, dot);
  const name = bare.slice(dot + 1);
  const candidates = alias === 'runtime' ? ['k8s.io/apimachinery/pkg/runtime'] : ['k8s.io/apimachinery/pkg/apis/meta/v1', goPackage];
  const found = candidates.find((pkg) => goPackages[pkg]?.[name]);
  return found ? `${openApiName(found)}.${name}` : undefined;
}

/** Type reference from a Go type string, for fields that have no protobuf tag (meta/v1 Table and friends). */
function goTypeRef(goType: string, goPackage: string): string {
  if (goType.startsWith('*')) return goTypeRef(goType.slice(1), goPackage);
  if (goType === '[]byte') return 'bytes';
  if (goType.startsWith('[]')) return `[]${goTypeRef(goType.slice(2), goPackage)}`;
  if (goType.startsWith('map[')) return `{}${goTypeRef(goType.slice(goType.indexOf(']') + 1), goPackage)}`;
  if (GO_BUILTINS[goType]) return GO_BUILTINS[goType];
  if (goType === 'interface{}') return 'json';
  const struct = resolveGoStruct(goType, goPackage);
  if (struct) return messageTypeRef(struct);
  return 'string'; // named string types (ConditionStatus, RowConditionType...)
}

/** Whether a TypeRef is a struct or a list/map of structs. */
const isStructRef = (t: string) => t.replace(/^(\[\]|\{\})+/, '').includes('.');

// ---- definitions ----

const defs = new Map<string, DefEntry>();
const building = new Set<string>();

function required(field: GoField): boolean {
  // kube-openapi: +required wins, then +optional, else required unless omitempty (fieldFacts prefers the published spec).
  return Boolean(field.required) || (!field.optional && !field.omitempty);
}

function buildGoStruct(defName: string, goPackage: string, typeName: string): DefEntry {
  const existing = defs.get(defName);
  if (existing) return existing;
  if (building.has(defName)) throw new Error(`embedding cycle at ${defName}`);
  building.add(defName);

  const def: DefEntry = {};
  const message = messages.get(defName);
  const ownPackage = goPackageName(defName);
  const fields: FieldEntry[] = [];
  const embedded: [number, string][] = [];
  let hasTypeMeta = false;
  const union: Union | undefined = hasMarker(message?.comment, 'union') ? { m: {} } : undefined;

  // A Go struct reused from another package (core/v1 List is meta/v1's) may number its fields differently: match by name.
  const reused = openApiName(goPackage) !== defName.slice(0, defName.lastIndexOf('.'));
  for (const goField of goPackages[goPackage][typeName].fields) {
    if (goField.json === '-') continue;
    let jsonName = goField.json;
    const protoField = reused
      ? (goField.pb?.name ? message?.fields[goField.pb.name] : undefined)
      : goField.pb?.num !== undefined ? message?.fieldsArray.find((f) => f.id === goField.pb!.num) : undefined;
    const goType = goTypeOf(goField);

    if (goField.inline && goField.json === '') {
      const protoMessage = protoField?.resolve().resolvedType;
      const embeddedDef = protoField ? (protoMessage ? openApiName(protoMessage.fullName) : undefined) : resolveGoStruct(goType, goPackage);
      if (embeddedDef && hasGoStruct(embeddedDef)) {
        const embeddedGoName = goType.slice(goType.lastIndexOf('.') + 1).replace(/^\*/, '');
        if (embeddedGoName === 'TypeMeta') hasTypeMeta = true;
        const inner = buildDefinition(embeddedDef);
        for (const innerField of inner.f ?? []) {
          const { p: _protobufNumber, ...flattened } = innerField;
          const outer = modelField(defName, innerField.n);
          fields.push({
            ...flattened,
            v: innerField.v ? `${embeddedGoName}.${innerField.v}` : embeddedGoName,
            d: fieldDescription(defName, innerField.n) ?? innerField.d,
            ...(outer?.enum ? { e: outer.enum } : {}),
          });
        }
        if (protoField) embedded.push([protoField.id, embeddedDef]);
        continue;
      }
      // An untagged non-struct field: encoding/json uses the Go field name.
      jsonName = goField.go;
    }

    const t = protoField ? protoTypeRef(protoField) : goTypeRef(goType, goPackage);
    const entry: FieldEntry = { n: jsonName, t };
    if (protoField) entry.p = protoField.id;
    if (required(goField)) entry.r = 1;
    if (goField.omitempty) entry.o = 1;
    if (goType.startsWith('*')) entry.ptr = 1;
    const g = reflectTypeName(goType, ownPackage);
    if (g !== impliedGoType(t) && !isStructRef(t)) entry.g = g;
    if (goField.patchStrategy) entry.ps = goField.patchStrategy;
    if (goField.patchMergeKey) entry.pk = goField.patchMergeKey;
    if (goField.listType) entry.lt = goField.listType;
    if (goField.listMapKeys?.length) entry.lk = goField.listMapKeys;
    if (goField.mapType) entry.mt = goField.mapType;
    fields.push(fieldFacts(entry, defName, protoField));
    if (union) {
      // kube-openapi: a +union struct's members are all its fields but the +unionDiscriminator.
      if (hasMarker(protoField?.comment, 'unionDiscriminator')) union.d = jsonName;
      else union.m[jsonName] = goField.go;
    }
  }

  const description = typeDescription(defName);
  if (description) def.d = description;
  const structType = markerValue(message?.comment, 'structType');
  if (structType) def.mt = structType;
  if (union) def.un = union;
  if (hasTypeMeta) {
    const kinds = kindsOf(defName);
    if (kinds.length) def.k = kinds;
  }
  if (fields.length) def.f = fields;
  if (embedded.length) def.in = embedded;
  building.delete(defName);
  defs.set(defName, def);
  return def;
}

/** Group/version/kind of a struct that embeds TypeMeta. */
function kindsOf(defName: string): [string, string, string][] {
  const kind = shortName(defName);
  const parts = defName.split('.');
  if (defName.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) {
    return UNVERSIONED_META_KINDS.has(kind) ? [['', 'v1', kind]] : [['meta.k8s.io', parts[6], kind]];
  }
  if (defName.startsWith('io.k8s.api.')) {
    const group = API_GROUPS[parts[3]];
    if (group === undefined) throw new Error(`no API group known for package ${parts[3]}`);
    return [[group, parts[4], kind]];
  }
  return [];
}

/** A message that only exists in the .proto files (WatchEvent, FieldsV1...): JSON names are the proto names. */
function buildProtoOnly(defName: string): DefEntry {
  const message = messages.get(defName);
  if (!message) throw new Error(`no definition found for ${defName}`);
  const fields = message.fieldsArray.map((protoField) => fieldFacts({ n: protoField.name, t: protoTypeRef(protoField), p: protoField.id }, defName, protoField));
  const def: DefEntry = {};
  const description = typeDescription(defName);
  if (description) def.d = description;
  if (defName === `${META}.WatchEvent`) def.k = [['meta.k8s.io', 'v1', 'WatchEvent']];
  if (fields.length) def.f = fields;
  return def;
}

function buildDefinition(defName: string): DefEntry {
  const existing = defs.get(defName);
  if (existing) return existing;
  if (FORMAT_TYPES[defName]) {
    const def: DefEntry = { t: FORMAT_TYPES[defName] };
    const description = typeDescription(defName);
    if (description) def.d = description;
    defs.set(defName, def);
    return def;
  }
  const [goPackage, typeName] = goPackageAndType(defName);
  if (goPackages[goPackage]?.[typeName]) return buildGoStruct(defName, goPackage, typeName);
  // `type List metav1.List` (core/v1) and meta/v1beta1's copies: meta/v1's Go fields with their own protobuf message.
  if (goPackages[META_GO_PACKAGE][typeName]) return buildGoStruct(defName, META_GO_PACKAGE, typeName);
  const def = buildProtoOnly(defName);
  defs.set(defName, def);
  return def;
}

// apiextensions.k8s.io/v1, from kubernetes-models' .d.ts (no protobuf numbers: clients send these as JSON).

/** The definition a kubernetes-models type name refers to: `IIoK8sApimachineryPkgApisMetaV1ObjectMeta`, or `IJSONSchemaProps` in this package. */
const referencedDefinition = (name: string) => (name.startsWith('IIoK8s') ? fromCamelName(name.slice(1)) : `${APIEXTENSIONS}.${name.slice(1)}`);

function tsTypeRef(node: ts.TypeNode | undefined, owner: string, fieldName: string): string {
  const override = APIEXTENSIONS_TYPES[`${owner}.${fieldName}`];
  if (override) return override;
  if (!node) throw new Error(`${owner}.${fieldName} has no type`);
  if (node.kind === ts.SyntaxKind.StringKeyword || (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal))) return 'string';
  if (enumValues(node)) return 'string';
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return 'bool';
  if (node.kind === ts.SyntaxKind.NumberKeyword) return 'int64';
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index) return `{}${tsTypeRef(index.type, owner, fieldName)}`;
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if (name === 'Array') return `[]${tsTypeRef(node.typeArguments![0], owner, fieldName)}`;
    const defName = referencedDefinition(name);
    if (defName) return messageTypeRef(defName);
  }
  throw new Error(`unsupported TypeScript type ${node.getText()} at ${owner}.${fieldName}`);
}

/** The named definition behind a `json` TypeRef (JSON, JSONSchemaPropsOrBool...), which Kubernetes' OpenAPI refers to by name. */
function jsonDefinition(node: ts.TypeNode | undefined): string | undefined {
  while (node && ts.isTypeReferenceNode(node) && node.typeName.getText() === 'Array') node = node.typeArguments?.[0];
  const index = node && ts.isTypeLiteralNode(node) ? node.members.find(ts.isIndexSignatureDeclaration) : undefined;
  if (index) return jsonDefinition(index.type);
  if (!node || !ts.isTypeReferenceNode(node)) return undefined;
  const defName = referencedDefinition(node.typeName.getText());
  return defName && FORMAT_TYPES[defName] === 'json' ? defName : undefined;
}

function buildApiextensions(): void {
  for (const [name, tsType] of kubernetesModels) {
    if (!name.startsWith(`${APIEXTENSIONS}.`) || defs.has(name)) continue;
    const typeName = shortName(name);
    if (FORMAT_TYPES[name]) { buildDefinition(name); continue; }
    const def: DefEntry = {};
    if (tsType.doc) def.d = tsType.doc;
    const fields: FieldEntry[] = (tsType.fields ?? []).map((tsField) => {
      const key = `${typeName}.${tsField.name}`;
      const t = tsTypeRef(tsField.type, typeName, tsField.name);
      const entry: FieldEntry = { n: tsField.name, t };
      if (!tsField.optional) entry.r = 1;
      else entry.o = 1;
      if (APIEXTENSIONS_POINTERS.has(key)) entry.ptr = 1;
      const g = APIEXTENSIONS_GO_TYPES[key];
      if (g) entry.g = g;
      const json = jsonDefinition(tsField.type);
      if (json) entry.jd = json;
      Object.assign(entry, APIEXTENSIONS_LISTS[key]);
      return fieldFacts(entry, name);
    });
    if (tsType.fields?.some((f) => f.name === 'kind') && tsType.fields.some((f) => f.name === 'apiVersion')) {
      // A kind: TypeMeta is embedded first in Go, kind before apiVersion (the .d.ts lists fields alphabetically).
      const typeMeta = ['kind', 'apiVersion'].map((n) => {
        const { r: _required, ...field } = fields.find((f) => f.n === n)!;
        return { ...field, o: 1 as const, v: 'TypeMeta' };
      });
      fields.splice(0, fields.length, ...typeMeta, ...fields.filter((f) => f.n !== 'kind' && f.n !== 'apiVersion'));
      def.k = [['apiextensions.k8s.io', 'v1', typeName]];
    }
    if (fields.length) def.f = fields;
    defs.set(name, def);
  }
}

// ---- main ----

for (const [goPackage, types] of Object.entries(goPackages)) {
  for (const typeName of Object.keys(types)) {
    if (!/^[A-Z]/.test(typeName)) continue; // unexported helpers (int64Amount...)
    const defName = `${openApiName(goPackage)}.${typeName}`;
    if (!SKIPPED_TYPES.has(defName)) buildDefinition(defName);
  }
}
for (const name of messages.keys()) {
  if (!defs.has(name) && !SKIPPED_TYPES.has(name) && !isListWrapper(name)) buildDefinition(name);
}
buildApiextensions();

// Descriptions repeat across versions of a group: store each once and refer to it by index.
const descriptions: string[] = [];
const descriptionIndex = new Map<string, number>();
const describe = (text: string) => {
  let index = descriptionIndex.get(text);
  if (index === undefined) { index = descriptions.length; descriptions.push(text); descriptionIndex.set(text, index); }
  return index;
};
const definitions: Record<string, unknown> = {};
for (const name of [...defs.keys()].sort()) {
  const { d, f, ...rest } = defs.get(name)!;
  definitions[name] = {
    ...(d ? { d: describe(d) } : {}),
    ...rest,
    ...(f ? { f: f.map(({ d: fd, ...field }) => (fd ? { ...field, d: describe(fd) } : field)) } : {}),
  };
}
const text = JSON.stringify({ descriptions, definitions });
fs.mkdirSync(path.dirname(outputFile), { recursive: true });
fs.writeFileSync(outputFile, `${text}\n`);
console.log(`wrote ${path.relative(repoRoot, outputFile)}: ${defs.size} definitions, ${text.length} bytes`);
