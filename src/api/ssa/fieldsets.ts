// Sets of field paths as Kubernetes field management records them, their set algebra, their FieldsV1
// JSON form, and the set of fields an object sets.
//
// A path is a list of path elements, each kept in its canonical FieldsV1 spelling:
//   f:<name>                  a struct field or map entry
//   k:{"name":"x"}            a list-map item, by its key fields (sorted by name, JSON as Go writes it)
//   v:"value"                 a set item, by its value
//   i:<n>                     an item by index (never produced here; accepted in FieldsV1)
// In FieldsV1 `{}` marks a path in the set, and "." marks a path that is in the set and also has children.
import { isPlainObject, UNSTRUCTURED, type ListShape, type Shape } from './shape.ts';

export type Path = string[];

// ---- path elements ----

export const fieldElement = (name: string) => `f:${name}`;
export const keyElement = (fields: Record<string, unknown>) => `k:${goJson(fields)}`;
export const valueElement = (value: unknown) => `v:${goJson(value)}`;

/**
 * JSON as Go's encoder writes it, so element spellings match what Kubernetes stores: object keys
 * sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).filter(k => value[k] !== undefined).sort()
      .map(k => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  return typeof value === 'string' ? goString(value) : JSON.stringify(value ?? null);
}

const goString = (s: string) =>
  JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The canonical spelling of an element read from FieldsV1; throws on a malformed one. */
function canonicalElement(raw: string): string {
  const body = raw.slice(2);
  switch (raw.slice(0, 2)) {
    case 'f:':
      return raw;
    case 'k:': {
      const fields = parseJson(raw);
      if (!isPlainObject(fields) || Object.keys(fields).length === 0) throw new FieldsV1Error(`invalid key element ${raw}`);
      return keyElement(fields);
    }
    case 'v:':
      return valueElement(parseJson(raw));
    case 'i:':
      if (!/^-?\d+$/.test(body)) throw new FieldsV1Error(`invalid index element ${raw}`);
      return `i:${Number(body)}`;
    default:
      throw new FieldsV1Error(`invalid path element ${JSON.stringify(raw)}`);
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw.slice(2));
  } catch {
    throw new FieldsV1Error(`invalid path element ${raw}`);
  }
}

const decoded = new Map<string, unknown>();
function elementValue(element: string): unknown {
  let value = decoded.get(element);
  if (value === undefined) {
    value = JSON.parse(element.slice(2));
    if (decoded.size > 10_000) decoded.clear();
    decoded.set(element, value);
  }
  return value;
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Kubernetes' order of elements: fields, then keys, values and indexes, each by their content. */
export function compareElements(a: string, b: string): number {
  if (a[0] !== b[0]) return KIND_ORDER[a[0]] - KIND_ORDER[b[0]];
  switch (a[0]) {
    case 'f': return compareStrings(a, b);
    case 'i': return Number(a.slice(2)) - Number(b.slice(2));
    case 'k': return compareFieldLists(elementValue(a) as Record<string, unknown>, elementValue(b) as Record<string, unknown>);
    default: return compareValues(elementValue(a), elementValue(b));
  }
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareFieldLists(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const c = compareStrings(ka[i], kb[i]) || compareValues(a[ka[i]], b[kb[i]]);
    if (c) return c;
  }
  return ka.length - kb.length;
}

// Values order by type (numbers, strings, booleans, lists, maps, null), then by content.
function valueRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  return isPlainObject(v) ? 4 : 5;
}

function compareValues(a: unknown, b: unknown): number {
  const rank = valueRank(a);
  if (rank !== valueRank(b)) return rank - valueRank(b);
  switch (rank) {
    case 0: return (a as number) - (b as number);
    case 1: return compareStrings(a as string, b as string);
    case 2: return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[], lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c) return c;
      }
      return la.length - lb.length;
    }
    case 4: return compareFieldLists(a as Record<string, unknown>, b as Record<string, unknown>);
    default: return 0;
  }
}

/** A path as Kubernetes prints it in conflicts: `.spec.containers[name="nginx"].image`. */
export function displayPath(path: Path): string {
  return path.map(element => {
    switch (element[0]) {
      case 'f': return `.${element.slice(2)}`;
      case 'i': return `[${element.slice(2)}]`;
      case 'v': return `[=${displayValue(elementValue(element))}]`;
      default: {
        const fields = elementValue(element) as Record<string, unknown>;
        return `[${Object.keys(fields).sort().map(k => `${k}=${displayValue(fields[k])}`).join(',')}]`;
      }
    }
  }).join('');
}

const displayValue = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : goJson(v));

// ---- sets ----

/** A node of the set's tree: `member` when the path ending here is in the set. */
class Node {
  member = false;
  readonly children = new Map<string, Node>();
  get empty(): boolean { return !this.member && this.children.size === 0; }
}

export class FieldsV1Error extends Error {}

export class FieldSet {
  private constructor(private readonly root: Node) {}

  static empty(): FieldSet { return new FieldSet(new Node()); }

  static of(...paths: Path[]): FieldSet {
    const set = FieldSet.empty();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Adds a path (mutates: for building sets). */
  insert(path: Path): this {
    let node = this.root;
    for (const element of path) {
      let child = node.children.get(element);
      if (!child) node.children.set(element, child = new Node());
      node = child;
    }
    node.member = true;
    return this;
  }

  has(path: Path): boolean {
    let node: Node | undefined = this.root;
    for (const element of path) {
      node = node.children.get(element);
      if (!node) return false;
    }
    return node.member;
  }

  get isEmpty(): boolean { return this.root.children.size === 0 && !this.root.member; }

  /** The paths under `element`, relative to it (a view: do not insert into it). */
  under(element: string): FieldSet {
    return new FieldSet(this.root.children.get(element) ?? new Node());
  }

  union(other: FieldSet): FieldSet { return new FieldSet(union(this.root, other.root)); }
  difference(other: FieldSet): FieldSet { return new FieldSet(difference(this.root, other.root) ?? new Node()); }
  intersection(other: FieldSet): FieldSet { return new FieldSet(intersection(this.root, other.root) ?? new Node()); }

  /** Without the paths of `prefixes` and everything under them. */
  withoutPrefixes(prefixes: FieldSet): FieldSet { return new FieldSet(withoutPrefixes(this.root, prefixes.root) ?? new Node()); }

  /** Only the paths of `prefixes` and what is under them. */
  onlyUnder(prefixes: FieldSet): FieldSet { return new FieldSet(onlyUnder(this.root, prefixes.root) ?? new Node()); }

  /**
   * The set plus every struct field on the way to its paths, as members: "a.b.c" also owns "a" when
   * `a` is a declared field, but not "a.b" when `b` is a map entry or list item. Removal works on these.
   */
  withFieldsAsMembers(shape: Shape): FieldSet { return new FieldSet(withFieldsAsMembers(this.root, shape)); }

  /** Every path, in Kubernetes' iteration order (a node's members, then its children's paths). */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (node: Node, prefix: Path) => {
      const elements = sortedElements(node);
      for (const e of elements) if (node.children.get(e)!.member) out.push([...prefix, e]);
      for (const e of elements) walk(node.children.get(e)!, [...prefix, e]);
    };
    walk(this.root, []);
    return out;
  }

  equals(other: FieldSet): boolean {
    return this.difference(other).isEmpty && other.difference(this).isEmpty;
  }

  toFieldsV1(): Record<string, unknown> { return encode(this.root, false); }

  static fromFieldsV1(json: unknown): FieldSet {
    if (!isPlainObject(json)) throw new FieldsV1Error('fieldsV1 must be a JSON object');
    return new FieldSet(decode(json));
  }
}

const sortedElements = (node: Node) => [...node.children.keys()].sort(compareElements);

function clone(node: Node): Node {
  const out = new Node();
  out.member = node.member;
  for (const [e, child] of node.children) out.children.set(e, clone(child));
  return out;
}

function union(a: Node, b: Node): Node {
  const out = clone(a);
  out.member ||= b.member;
  for (const [e, child] of b.children) {
    const mine = out.children.get(e);
    out.children.set(e, mine ? union(mine, child) : clone(child));
  }
  return out;
}

// The operations below return undefined for an empty result, so that empty nodes are never kept.
function difference(a: Node, b: Node): Node | undefined {
  const out = new Node();
  out.member = a.member && !b.member;
  for (const [e, child] of a.children) {
    const other = b.children.get(e);
    const kept = other ? difference(child, other) : clone(child);
    if (kept) out.children.set(e, kept);
  }
  return out.empty ? undefined : out;
}

function intersection(a: Node, b: Node): Node | undefined {
  const out = new Node();
  out.member = a.member && b.member;
  for (const [e, child] of a.children) {
    const other = b.children.get(e);
    const both = other && intersection(child, other);
    if (both) out.children.set(e, both);
  }
  return out.empty ? undefined : out;
}

function withoutPrefixes(a: Node, prefixes: Node): Node | undefined {
  if (prefixes.member) return undefined;
  const out = new Node();
  out.member = a.member;
  for (const [e, child] of a.children) {
    const p = prefixes.children.get(e);
    const kept = p ? withoutPrefixes(child, p) : clone(child);
    if (kept) out.children.set(e, kept);
  }
  return out.empty ? undefined : out;
}

function onlyUnder(a: Node, prefixes: Node): Node | undefined {
  if (prefixes.member) return a.empty ? undefined : clone(a);
  const out = new Node();
  for (const [e, child] of a.children) {
    const p = prefixes.children.get(e);
    const kept = p && onlyUnder(child, p);
    if (kept) out.children.set(e, kept);
  }
  return out.empty ? undefined : out;
}

function withFieldsAsMembers(node: Node, shape: Shape): Node {
  const out = new Node();
  out.member = node.member;
  for (const [e, child] of node.children) {
    const c = withFieldsAsMembers(child, childShape(shape, e));
    if (e.startsWith('f:') && shape.kind === 'object' && shape.member(e.slice(2)).declared) c.member = true;
    out.children.set(e, c);
  }
  return out;
}

function childShape(shape: Shape, element: string): Shape {
  if (shape.kind === 'object' && element.startsWith('f:')) return shape.member(element.slice(2)).shape;
  if (shape.kind === 'list' && !element.startsWith('f:')) return shape.items;
  return UNSTRUCTURED;
}

function encode(node: Node, withSelf: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (withSelf && node.member && node.children.size > 0) out['.'] = {};
  for (const e of sortedElements(node)) out[e] = encode(node.children.get(e)!, true);
  return out;
}

function decode(json: Record<string, unknown>): Node {
  const node = new Node();
  for (const [raw, value] of Object.entries(json)) {
    if (raw === '.') {
      node.member = true;
      continue;
    }
    if (!isPlainObject(value)) throw new FieldsV1Error(`the value of ${JSON.stringify(raw)} must be a JSON object`);
    const child = decode(value);
    if (Object.keys(value).length === 0) child.member = true;
    const e = canonicalElement(raw);
    const existing = node.children.get(e);
    node.children.set(e, existing ? union(existing, child) : child);
  }
  return node;
}

// ---- the fields an object sets ----

/** Thrown for applied configurations Kubernetes cannot type: undeclared fields, list items without keys, duplicate items. */
export class InvalidValueError extends Error {}

/**
 * The element naming a list item: its key fields (a missing key takes its schema default), or its
 * whole value in a set. Lenient unless `strict` (an applied configuration): live objects are taken as stored.
 */
export function itemElement(item: unknown, shape: ListShape, strict?: { path: Path; index: number }): string {
  if (!shape.keys) return valueElement(item);
  if (!isPlainObject(item)) {
    if (strict) throw new InvalidValueError(`${displayPath(strict.path)}: element ${strict.index}: associative list with keys has an element that is not a map`);
    return valueElement(item);
  }
  const key: Record<string, unknown> = {};
  for (const name of shape.keys) {
    const value = item[name] !== undefined ? item[name] : shape.keyDefaults?.[name];
    if (value !== undefined) key[name] = value;
    else if (strict) {
      throw new InvalidValueError(`${displayPath(strict.path)}: element ${strict.index}: associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`);
    }
  }
  return keyElement(key);
}

/**
 * The fields an object sets, as Kubernetes records them: every leaf and atomic value; every list item
 * (so items with children carry "."); map entries; struct fields only when null or `{}`.
 * `strict` rejects what an applied configuration may not contain (fields its schema does not declare,
 * missing keys, duplicate items).
 */
export function fieldSetOf(value: unknown, shape: Shape, strict = false): FieldSet {
  const set = FieldSet.empty();
  collect(value, shape, [], set, strict);
  return set;
}

function collect(value: unknown, shape: Shape, path: Path, set: FieldSet, strict: boolean): void {
  if (shape.kind === 'object' && isPlainObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const member = shape.member(name);
      const childPath = [...path, fieldElement(name)];
      if (strict && member.undeclared) throw new InvalidValueError(`${displayPath(childPath)}: field not declared in schema`);
      collect(child, member.shape, childPath, set, strict);
      if (child === null || (isPlainObject(child) && Object.keys(child).length === 0) || !member.declared) set.insert(childPath);
    }
  } else if (shape.kind === 'list' && Array.isArray(value)) {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const element = itemElement(item, shape, strict ? { path, index } : undefined);
      if (strict && seen.has(element)) {
        throw new InvalidValueError(`${displayPath(path)}: duplicate entries for key ${displayPath([element])}`);
      }
      seen.add(element);
      collect(item, shape.items, [...path, element], set, strict);
      set.insert([...path, element]);
    });
  } else if (value !== null || shape.kind === 'atomic') {
    set.insert(path); // a leaf, an atomic value, or a value that does not fit its schema
  }
}
