// ObjectMeta rules every resource shares: system-owned fields, generateName, generic validation.
import type { FieldError } from './errors.ts';
import { field } from './errors.ts';
import type { KubeObject, ResourceDef } from './registry/types.ts';
import { rfc3339 } from '../util/time.ts';
import { jsonEqual } from '../util/equal.ts';

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** generateName + 5 random characters, as the apiserver's name generator does. */
export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  let suffix = '';
  const random = crypto.getRandomValues(new Uint8Array(5));
  for (const b of random) suffix += NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length];
  return prefix + suffix;
}

/** Fields the server owns, set on create. */
export function initializeSystemFields(def: ResourceDef, obj: KubeObject, now: number) {
  const meta = (obj.metadata ??= {});
  meta.uid = crypto.randomUUID();
  meta.creationTimestamp = rfc3339(now);
  delete meta.resourceVersion;
  delete meta.selfLink;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (def.generation) meta.generation = 1;
  else delete meta.generation;
  dropEmptyCollections(meta);
}

/** On update the server's fields come from the stored object; generation moves when the spec does. */
export function carrySystemFields(def: ResourceDef, obj: KubeObject, old: KubeObject) {
  const meta = (obj.metadata ??= {});
  const oldMeta = old.metadata ?? {};
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  setOrDelete(meta, 'deletionTimestamp', oldMeta.deletionTimestamp);
  setOrDelete(meta, 'deletionGracePeriodSeconds', oldMeta.deletionGracePeriodSeconds);
  delete meta.selfLink;
  if (def.generation) {
    const generation = oldMeta.generation ?? 1;
    meta.generation = specChanged(obj, old) ? generation + 1 : generation;
  } else {
    delete meta.generation;
  }
  dropEmptyCollections(meta);
}

/** ObjectMeta's maps and lists are `omitempty`: removing the last label leaves no `labels: {}` behind. */
function dropEmptyCollections(meta: Record<string, any>) {
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const value = meta[key];
    if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) delete meta[key];
  }
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown) {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Everything but metadata and status is the spec, for the generation's purposes. */
export function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest }: KubeObject) => rest;
  return !jsonEqual(strip(obj), strip(old));
}

// ---- validation ----

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

export function nameErrors(rule: ResourceDef['nameRule'], name: string, path: string, prefix = false): FieldError[] {
  const value = prefix ? `${name}a` : name; // a generateName prefix may end in '-'
  switch (rule ?? 'subdomain') {
    case 'label':
      if (value.length > 63) return [field.invalid(path, name, 'must be no more than 63 characters')];
      return DNS1123_LABEL.test(value) ? [] : [field.invalid(path, name, LABEL_MSG)];
    case 'path-segment':
      if (name === '.' || name === '..') return [field.invalid(path, name, `may not be '${name}'`)];
      for (const bad of ['/', '%']) if (name.includes(bad)) return [field.invalid(path, name, `may not contain '${bad}'`)];
      return [];
    default:
      if (value.length > 253) return [field.invalid(path, name, 'must be no more than 253 characters')];
      return DNS1123_SUBDOMAIN.test(value) ? [] : [field.invalid(path, name, SUBDOMAIN_MSG)];
  }
}

/** A qualified name (label and annotation keys, finalizers): optional DNS subdomain prefix + '/' + name. */
export function qualifiedNameErrors(key: string, path: string): FieldError[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [field.invalid(path, key, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")];
  }
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const errors: FieldError[] = [];
  if (prefix !== undefined) {
    if (!prefix) errors.push(field.invalid(path, key, 'prefix part must be non-empty'));
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) errors.push(field.invalid(path, key, `prefix part ${SUBDOMAIN_MSG}`));
  }
  if (!name) errors.push(field.invalid(path, key, 'name part must be non-empty'));
  else if (name.length > 63) errors.push(field.invalid(path, key, 'name part must be no more than 63 characters'));
  else if (!QUALIFIED_NAME_PART.test(name)) errors.push(field.invalid(path, key, QUALIFIED_NAME_MSG));
  return errors;
}

export function labelValueErrors(value: unknown, path: string): FieldError[] {
  if (typeof value !== 'string') return [field.invalid(path, value, 'label values must be strings')];
  if (value.length > 63) return [field.invalid(path, value, 'must be no more than 63 characters')];
  return LABEL_VALUE.test(value) ? [] : [field.invalid(path, value, LABEL_VALUE_MSG)];
}

/** Validation of metadata that every kind shares. */
export function validateMetadata(def: ResourceDef, obj: KubeObject): FieldError[] {
  const meta = obj.metadata ?? {};
  const errors: FieldError[] = [];
  if (!meta.name) {
    errors.push(field.required('metadata.name', 'name or generateName is required'));
  } else {
    errors.push(...nameErrors(def.nameRule, meta.name, 'metadata.name'));
  }
  if (meta.generateName) errors.push(...nameErrors(def.nameRule, meta.generateName, 'metadata.generateName', true));
  if (def.namespaced && !meta.namespace) errors.push(field.required('metadata.namespace'));
  if (!def.namespaced && meta.namespace) errors.push(field.forbidden('metadata.namespace', 'not allowed on this type'));
  for (const [key, value] of Object.entries(meta.labels ?? {})) {
    errors.push(...qualifiedNameErrors(key, 'metadata.labels'), ...labelValueErrors(value, 'metadata.labels'));
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(meta.annotations ?? {})) {
    errors.push(...qualifiedNameErrors(key.toLowerCase(), 'metadata.annotations'));
    annotationBytes += key.length + String(value).length;
  }
  if (annotationBytes > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errors.push(field.tooLong('metadata.annotations', TOTAL_ANNOTATION_SIZE_LIMIT));
  }
  (meta.finalizers ?? []).forEach((f: string, i: number) => {
    errors.push(...qualifiedNameErrors(f, `metadata.finalizers[${i}]`));
  });
  (meta.ownerReferences ?? []).forEach((ref: any, i: number) => {
    const path = `metadata.ownerReferences[${i}]`;
    if (!ref?.apiVersion) errors.push(field.invalid(`${path}.apiVersion`, ref?.apiVersion ?? '', 'version must not be empty'));
    if (!ref?.kind) errors.push(field.invalid(`${path}.kind`, ref?.kind ?? '', 'kind must not be empty'));
    if (!ref?.name) errors.push(field.invalid(`${path}.name`, ref?.name ?? '', 'name must not be empty'));
    if (!ref?.uid) errors.push(field.invalid(`${path}.uid`, ref?.uid ?? '', 'uid must not be empty'));
  });
  return errors;
}

/** Update rules on metadata: name, namespace and uid cannot change. */
export function validateMetadataUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const meta = obj.metadata ?? {};
  const oldMeta = old.metadata ?? {};
  if (meta.name !== oldMeta.name) errors.push(field.invalid('metadata.name', meta.name, 'field is immutable'));
  if ((meta.namespace ?? '') !== (oldMeta.namespace ?? '')) errors.push(field.invalid('metadata.namespace', meta.namespace, 'field is immutable'));
  return errors;
}
