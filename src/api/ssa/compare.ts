// What a write changed, as field sets: the paths it added, modified and removed. Ownership moves on
// exactly these (Update takes them; Apply conflicts on them).
import { jsonEqual } from '../../util/equal.ts';
import { FieldSet, fieldElement, itemElement, type Path } from './fieldsets.ts';
import { isPlainObject, type Shape } from './shape.ts';
import { memberType, rootType, typedLevel } from './zero.ts';
import type { ValueType } from '../schema/types.ts';

export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/**
 * Compares two versions of a value; `undefined` stands for "absent". With a definition, both are compared
 * as Go-typed objects (zero.ts), typed level by level as the walk goes down.
 */
export function compare(before: unknown, after: unknown, shape: Shape, definition?: string): Comparison {
  const out: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  walk(before, after, shape, rootType(definition), [], out);
  return out;
}

function walk(before: unknown, after: unknown, shape: Shape, type: ValueType | undefined, path: Path, out: Comparison): void {
  before = typedLevel(before, type);
  after = typedLevel(after, type);
  // Equal values change nothing below them: most of an object is untouched by a write, and checking that
  // is far cheaper than walking it.
  if (before === after || jsonEqual(before, after)) return;
  if (!granular(before, after, shape)) {
    // A leaf: atomic values, mismatched types, and collections empty on both sides (null vs {} differs).
    if (before === undefined) out.added.insert(path);
    else if (after === undefined) out.removed.insert(path);
    else if (!jsonEqual(before, after)) out.modified.insert(path);
    return;
  }
  if (shape.kind === 'object') {
    const b = isPlainObject(before) ? before : {}, a = isPlainObject(after) ? after : {};
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
      walk(b[name], a[name], shape.member(name).shape, memberType(type, name), [...path, fieldElement(name)], out);
    }
  } else if (shape.kind === 'list') {
    const items = memberType(type);
    const b = index(before, shape, items), a = index(after, shape, items);
    for (const element of new Set([...b.keys(), ...a.keys()])) walk(b.get(element), a.get(element), shape.items, items, [...path, element], out);
  }
  // A collection that appears or disappears is itself added or removed, besides its contents.
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
}

/** Whether both sides are walked member by member: they fit the shape (or are absent or null) and one is non-empty. */
function granular(before: unknown, after: unknown, shape: Shape): boolean {
  const fits = (v: unknown) => v === undefined || v === null || (shape.kind === 'object' && isPlainObject(v)) || (shape.kind === 'list' && Array.isArray(v));
  const empty = (v: unknown) => v === undefined || v === null || Object.keys(v as object).length === 0;
  return shape.kind !== 'atomic' && fits(before) && fits(after) && !(empty(before) && empty(after));
}

/** A list's items by element; items are typed first, as their keys may be zero values. */
function index(list: unknown, shape: Shape & { kind: 'list' }, type: ValueType | undefined): Map<string, unknown> {
  const items = new Map<string, unknown>();
  if (Array.isArray(list)) {
    for (const untyped of list) {
      const item = typedLevel(untyped, type);
      const element = itemElement(item, shape);
      if (!items.has(element)) items.set(element, item);
    }
  }
  return items;
}
