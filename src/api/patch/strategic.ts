// Strategic merge patch (application/strategic-merge-patch+json): JSON merge patch plus per-field list
// strategies and the `$` directives kubectl sends. Semantics follow apimachinery's strategicpatch package as
// the API server applies it; error texts start with the ones Kubernetes returns so clients see familiar messages.
import { patchFieldOf, type PatchField, type PatchSchema } from './patch-schema.ts';

type JsonObject = Record<string, unknown>;

/** `$patch: replace | delete | merge`, in an object or as an element of a merge list. */
const PATCH = '$patch';
/** `$retainKeys: [...]`: keys of the original object not listed are cleared (union types). */
const RETAIN_KEYS = '$retainKeys';
/** `$setElementOrder/<list>: [...]`: the order of the list after the patch. */
const SET_ELEMENT_ORDER = '$setElementOrder/';
/** `$deleteFromPrimitiveList/<list>: [...]`: values to remove from a merge list of primitives. */
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * A patch that cannot be applied. `status` is the HTTP code to answer with: 400 for a malformed patch
 * (bad directive, missing merge key...), 422 when the patch's shape contradicts the type (a map where a
 * list is expected, lists of lists) — what Kubernetes answers for the same patches.
 */
export class PatchError extends Error {
  constructor(message: string, readonly status: 400 | 422 = 400) {
    super(message);
    this.name = 'PatchError';
  }
}

/**
 * Applies a strategic merge patch to `original` (a JSON object). `schema` describes the object's type;
 * undefined, or a field it does not know, means JSON merge patch semantics there (lists replaced).
 * Returns a new object: neither input is modified and the result shares nothing with them.
 * Throws PatchError when the patch is malformed.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: PatchSchema | undefined): unknown {
  // A null body is an empty patch; anything but an object is refused, in the words of the Go decoder.
  if (patch !== null && !isObject(patch)) {
    throw new PatchError(`json: cannot unmarshal ${goKind(patch)} into Go value of type map[string]interface {}`);
  }
  const base = isObject(original) ? structuredClone(original) : {};
  // `$patch: delete` at the top leaves an empty object, as upstream does.
  return mergeObject(base, patch ?? {}, schema, '') ?? {};
}

// ---- objects ----

/** Merges a patch object into `original` (undefined: a new object). Returns undefined for `$patch: delete`. */
function mergeObject(original: JsonObject | undefined, patch: JsonObject, schema: PatchSchema | undefined, path: string): JsonObject | undefined {
  if (Object.hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    if (directive === 'delete') return undefined;
    if (directive === 'replace') {
      // The rest of the patch is the new object; it is still read as a patch so nested directives and nulls vanish.
      const { [PATCH]: _, ...rest } = patch;
      return mergeFields(undefined, rest, schema, path);
    }
    // 'merge' is the default behaviour; Kubernetes rejects it here, accepting it is harmless.
    if (directive !== 'merge') throw badPatchType(directive, patch);
  }
  return mergeFields(original, patch, schema, path);
}

/** Merges the fields of a patch object (its `$patch` already handled) into a copy of `original`. */
function mergeFields(original: JsonObject | undefined, patch: JsonObject, schema: PatchSchema | undefined, path: string): JsonObject {
  const result: JsonObject = { ...original };
  if (Object.hasOwn(patch, RETAIN_KEYS)) clearKeysNotRetained(result, patch, path);
  for (const name of patchedFieldNames(patch)) {
    const value = patchField(result, patch, name, patchFieldOf(schema, name), joinPath(path, name));
    if (value === undefined) delete result[name];
    else setOwn(result, name, value);
  }
  return result;
}

/** The fields a patch object touches, directly or through `$setElementOrder/` and `$deleteFromPrimitiveList/`. */
function patchedFieldNames(patch: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const key of Object.keys(patch)) {
    if (key === PATCH || key === RETAIN_KEYS) continue;
    const prefix = [SET_ELEMENT_ORDER, DELETE_FROM_PRIMITIVE_LIST].find((p) => key.startsWith(p));
    const name = prefix ? key.slice(prefix.length) : key;
    if (prefix && !name) throw new PatchError(`${formatErrorOf(prefix)}: "${key}" names no list`);
    names.add(name);
  }
  return names;
}

/** The new value of field `name` (undefined: remove it), given the patch object holding its patch and directives. */
function patchField(current: JsonObject, patch: JsonObject, name: string, field: PatchField | undefined, path: string): unknown {
  const order = directiveList(patch, SET_ELEMENT_ORDER + name);
  const deletions = directiveList(patch, DELETE_FROM_PRIMITIVE_LIST + name);
  let value = Object.hasOwn(current, name) ? current[name] : undefined;
  const patchValue = Object.hasOwn(patch, name) ? patch[name] : undefined;
  if (patchValue === null) {
    value = undefined;
  } else if (patchValue !== undefined) {
    value = mergeValue(value, patchValue, field, path, order);
  } else if (order && Array.isArray(value)) {
    // Only the order changes.
    value = mergeList(value, [], field, path, order);
  }
  if (deletions && Array.isArray(value)) value = removeValues(value, deletions, path);
  return value;
}

/** `$retainKeys`: clears the keys of `result` not listed, after checking the patch sets no key it does not list. */
function clearKeysNotRetained(result: JsonObject, patch: JsonObject, path: string): void {
  const retained = patch[RETAIN_KEYS];
  const where = path || 'the top level';
  if (!Array.isArray(retained)) {
    throw new PatchError(`invalid patch format of retainKeys: $retainKeys at ${where} must be a list, but received ${describe(retained)}`);
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || isDirectiveKey(key) || retained.includes(key)) continue;
    throw new PatchError(`invalid patch format of retainKeys: ${joinPath(path, key)} is set by the patch but not listed in $retainKeys`);
  }
  for (const key of Object.keys(result)) {
    if (!retained.includes(key)) delete result[key];
  }
}

// ---- values ----

/** Merges a non-null patch value into the current value of a field. */
function mergeValue(original: unknown, patch: unknown, field: PatchField | undefined, path: string, order: unknown[] | undefined): unknown {
  if (Array.isArray(patch)) {
    if (field?.schema && !field.list) throw shapeMismatch(path, 'an object', patch);
    return mergeList(Array.isArray(original) ? original : [], patch, field, path, order);
  }
  if (order) throw new PatchError(`invalid patch format of setElementOrder list: ${path} is not a list`);
  if (field?.list) throw shapeMismatch(path, 'a list', patch);
  if (isObject(patch)) {
    const base = isObject(original) && !hasStrategy(field, 'replace') ? original : undefined;
    return mergeObject(base, patch, field?.schema, path);
  }
  if (field?.schema) throw shapeMismatch(path, 'an object', patch);
  return patch;
}

/** A value that only the patch provides: read as a patch against nothing, so directives and nulls vanish. */
function newValue(patch: unknown, schema: PatchSchema | undefined, path: string): unknown {
  if (isObject(patch)) return mergeObject(undefined, patch, schema, path);
  if (Array.isArray(patch)) return replaceList(patch, undefined, path);
  return patch;
}

// ---- lists ----

function mergeList(original: unknown[], patch: unknown[], field: PatchField | undefined, path: string, order: unknown[] | undefined): unknown[] {
  // Lists without the merge strategy are atomic: the patch's list replaces them, and an order is meaningless.
  if (!field || !hasStrategy(field, 'merge')) return replaceList(patch, field, path);
  const elements = field.list ?? (field.patchMergeKey ? 'objects' : 'primitives');
  return elements === 'objects'
    ? mergeListOfObjects(original, patch, field, path, order)
    : mergeListOfPrimitives(original, patch, path, order);
}

function replaceList(patch: unknown[], field: PatchField | undefined, path: string): unknown[] {
  const result: unknown[] = [];
  patch.forEach((element, i) => {
    // `{"$patch": "replace"}` asks for what already happens.
    if (isReplaceMarker(element)) return;
    const value = newValue(element, field?.schema, `${path}[${i}]`);
    if (value !== undefined) result.push(value);
  });
  return result;
}

/** A list merged as a set: union keeping first occurrences, ordered as upstream orders it. */
function mergeListOfPrimitives(original: unknown[], patch: unknown[], path: string, order: unknown[] | undefined): unknown[] {
  patch.forEach((element, i) => requirePrimitive(element, `${path}[${i}]`, 'a merge list of primitives'));
  if (order) {
    order.forEach((element, i) => requirePrimitive(element, `${SET_ELEMENT_ORDER}${lastSegment(path)}[${i}]`, 'the order of a list of primitives'));
    checkOrderAgreesWithPatch(patch, order, identity);
  }
  const merged = [...new Set([...original, ...patch])];
  return arrangeOrder(merged, order ?? patch, original, identity);
}

/** A list of objects merged by `patchMergeKey`: matched elements merge, new ones are added, directives apply. */
function mergeListOfObjects(original: unknown[], patch: unknown[], field: PatchField, path: string, order: unknown[] | undefined): unknown[] {
  const key = field.patchMergeKey;
  if (!key) throw new PatchError(`cannot merge lists without merge key for ${path}`);
  const idOf = (item: unknown) => mergeKeyValue(item, key);

  let kept = original;
  let replaceAll = false;
  const updates: JsonObject[] = [];
  patch.forEach((element, i) => {
    if (Array.isArray(element)) throw new PatchError(`lists of lists are not supported (at ${path}[${i}])`, 422);
    if (!isObject(element)) {
      throw new PatchError(`${path}[${i}]: expected an object in a list merged by "${key}", but received ${describe(element)}`);
    }
    if (!Object.hasOwn(element, PATCH)) {
      updates.push(requireMergeKey(element, key));
      return;
    }
    switch (element[PATCH]) {
      case 'replace':
        replaceAll = true;
        return;
      case 'delete': {
        const doomed = requireMergeKey(element, key)[key];
        kept = kept.filter((item) => idOf(item) !== doomed);
        return;
      }
      case 'merge':
        throw new PatchError('merging lists cannot yet be specified in the patch');
      default:
        throw badPatchType(element[PATCH], element);
    }
  });
  if (order) {
    order.forEach((entry, i) => {
      if (!isObject(entry)) {
        throw new PatchError(`invalid patch format of setElementOrder list: ${SET_ELEMENT_ORDER}${lastSegment(path)}[${i}] must be an object holding "${key}"`);
      }
      requireMergeKey(entry, key);
    });
    checkOrderAgreesWithPatch(updates, order, idOf);
  }

  const merged = replaceAll ? [] : [...kept];
  for (const update of updates) {
    const index = merged.findIndex((item) => idOf(item) === update[key]);
    const itemPath = `${path}[${key}=${goString(update[key])}]`;
    if (index >= 0) merged[index] = mergeFields(merged[index] as JsonObject, update, field.schema, itemPath);
    else merged.push(mergeFields(undefined, update, field.schema, itemPath));
  }
  return arrangeOrder(merged, order ?? updates, original, idOf);
}

/**
 * Orders a merged list as Kubernetes does. Items named by `order` (the `$setElementOrder` list, else the patch
 * list) keep that relative order; the other items ("server-only") keep their relative order in the original
 * list and are interleaved: one goes before a named item when it came before that item in the original.
 * A new item (absent from the original) is placed as soon as it is reached — hence `kubectl patch` adding a
 * container puts it first.
 */
function arrangeOrder(merged: unknown[], order: unknown[], original: unknown[], idOf: (item: unknown) => unknown): unknown[] {
  const orderPosition = positionsById(order, idOf);
  const originalPosition = positionsById(original, idOf);
  const inOrder = (item: unknown) => positionOf(orderPosition, idOf(item));
  // Items without an identity (an original element lacking its merge key) are found by reference.
  const inOriginal = (item: unknown) => {
    const id = idOf(item);
    return id === undefined ? original.indexOf(item) : positionOf(originalPosition, id);
  };

  const named = sortBy(merged.filter((item) => inOrder(item) >= 0), inOrder);
  const serverOnly = sortBy(merged.filter((item) => inOrder(item) < 0), inOriginal);
  const result: unknown[] = [];
  let s = 0;
  let n = 0;
  while (s < serverOnly.length && n < named.length) {
    const serverPosition = inOriginal(serverOnly[s]);
    const namedPosition = inOriginal(named[n]);
    if (serverPosition >= 0 && namedPosition >= 0 && serverPosition < namedPosition) result.push(serverOnly[s++]);
    else result.push(named[n++]);
  }
  return [...result, ...serverOnly.slice(s), ...named.slice(n)];
}

/** `$setElementOrder` must name every element the patch sets, in the same relative order. */
function checkOrderAgreesWithPatch(patch: unknown[], order: unknown[], idOf: (item: unknown) => unknown): void {
  if (patch.length === 0 || order.length === 0) return;
  let matched = 0;
  for (const entry of order) {
    if (matched < patch.length && idOf(entry) === idOf(patch[matched])) matched++;
  }
  if (matched < patch.length) {
    throw new PatchError(`The order in patch list:\n${goString(patch)}\n doesn't match $setElementOrder list:\n${goString(order)}\n`);
  }
}

/** `$deleteFromPrimitiveList`: removes every occurrence of the listed values. */
function removeValues(list: unknown[], values: unknown[], path: string): unknown[] {
  values.forEach((value, i) => {
    if (isObject(value) || Array.isArray(value)) {
      throw new PatchError(`invalid patch format of primitive list: ${DELETE_FROM_PRIMITIVE_LIST}${lastSegment(path)}[${i}] must be a primitive value, but received ${describe(value)}`);
    }
  });
  return list.filter((item) => !values.includes(item));
}

// ---- helpers ----

/** The list held by a directive key, if the patch has it. */
function directiveList(patch: JsonObject, key: string): unknown[] | undefined {
  if (!Object.hasOwn(patch, key)) return undefined;
  const value = patch[key];
  if (!Array.isArray(value)) {
    const prefix = key.startsWith(SET_ELEMENT_ORDER) ? SET_ELEMENT_ORDER : DELETE_FROM_PRIMITIVE_LIST;
    throw new PatchError(`${formatErrorOf(prefix)}: ${key} must be a list, but received ${describe(value)}`);
  }
  return value;
}

/** The sentinel message Kubernetes uses for a malformed directive of this kind. */
function formatErrorOf(prefix: string): string {
  return prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list';
}

function isDirectiveKey(key: string): boolean {
  return key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
}

function isReplaceMarker(element: unknown): boolean {
  return isObject(element) && element[PATCH] === 'replace' && Object.keys(element).length === 1;
}

function hasStrategy(field: PatchField | undefined, strategy: 'merge' | 'replace'): boolean {
  return field?.patchStrategy?.split(',').some((s) => s.trim() === strategy) ?? false;
}

function mergeKeyValue(item: unknown, key: string): unknown {
  return isObject(item) && Object.hasOwn(item, key) ? item[key] : undefined;
}

function requireMergeKey(element: JsonObject, key: string): JsonObject {
  if (!Object.hasOwn(element, key)) throw new PatchError(`map: ${goString(element)} does not contain declared merge key: ${key}`);
  return element;
}

function requirePrimitive(element: unknown, path: string, where: string): void {
  if (Array.isArray(element)) throw new PatchError(`lists of lists are not supported (at ${path})`, 422);
  if (isObject(element)) {
    throw new PatchError(`${path}: expected a primitive value in ${where}, but received an object` +
      (Object.hasOwn(element, PATCH) ? ` (use ${DELETE_FROM_PRIMITIVE_LIST}<list> to remove values, or null to clear the list)` : ''));
  }
}

function positionsById(list: unknown[], idOf: (item: unknown) => unknown): Map<unknown, number> {
  const positions = new Map<unknown, number>();
  list.forEach((item, i) => {
    const id = idOf(item);
    if (id !== undefined && !positions.has(id)) positions.set(id, i);
  });
  return positions;
}

function positionOf(positions: Map<unknown, number>, id: unknown): number {
  return id === undefined ? -1 : positions.get(id) ?? -1;
}

/** Stable sort by a position; -1 (unknown) sorts last. */
function sortBy(items: unknown[], position: (item: unknown) => number): unknown[] {
  const rank = (item: unknown) => {
    const p = position(item);
    return p < 0 ? Number.MAX_SAFE_INTEGER : p;
  };
  return [...items].sort((a, b) => rank(a) - rank(b));
}

function identity(value: unknown): unknown {
  return value;
}

function badPatchType(directive: unknown, object: JsonObject): PatchError {
  return new PatchError(`unknown patch type: ${goString(directive)} in map: ${goString(object)}`);
}

function shapeMismatch(path: string, expected: string, received: unknown): PatchError {
  return new PatchError(`${path}: expected ${expected}, but received ${describe(received)}`, 422);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// defineProperty rather than assignment, so that a "__proto__" key is stored as data.
function setOwn(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** The JSON kind as Go's decoder names it. */
function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

/** A value printed as Go's %v prints decoded JSON, so messages read like the Kubernetes ones. */
function goString(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goString).join(' ')}]`;
  if (isObject(value)) return `map[${Object.keys(value).sort().map((k) => `${k}:${goString(value[k])}`).join(' ')}]`;
  return String(value);
}
