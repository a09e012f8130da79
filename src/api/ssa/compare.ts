// What a write changed, as field sets: the paths it added, modified and removed. Ownership moves on
// exactly these (Update takes them; Apply conflicts on them).
import { jsonEqual } from '../../util/equal.ts';
import { FieldSet, fieldElement, itemElement, type Path } from './fieldsets.ts';
import { isPlainObject, type Shape } from './shape.ts';

export interface Comparison { added: FieldSet; modified: FieldSet; removed: FieldSet }

/** Compares two versions of a value; `undefined` stands for "absent". */
export function compare(before: unknown, after: unknown, shape: Shape): Comparison {
  const out: Comparison = { added: FieldSet.empty(), modified: FieldSet.empty(), removed: FieldSet.empty() };
  walk(before, after, shape, [], out);
  return out;
}

function walk(before: unknown, after: unknown, shape: Shape, path: Path, out: Comparison): void {
  if (before === undefined && after === undefined) return;
  if (!granular(before, after, shape)) {
    // A leaf: atomic values, mismatched types, and collections empty on both sides (null vs {} differs).
    if (before === undefined) out.added.insert(path);
    else if (after === undefined) out.removed.insert(path);
    else if (!jsonEqual(before, after)) out.modified.insert(path);
    return;
  }
  if (shape.kind === 'object') {
    const b = isPlainObject(before) ? before : {}, a = isPlainObject(after) ? after : {};
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) walk(b[name], a[name], shape.member(name).shape, [...path, fieldElement(name)], out);
  } else if (shape.kind === 'list') {
    const b = index(before, shape), a = index(after, shape);
    for (const element of new Set([...b.keys(), ...a.keys()])) walk(b.get(element), a.get(element), shape.items, [...path, element], out);
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

function index(list: unknown, shape: Shape & { kind: 'list' }): Map<string, unknown> {
  const items = new Map<string, unknown>();
  if (Array.isArray(list)) {
    for (const item of list) {
      const element = itemElement(item, shape);
      if (!items.has(element)) items.set(element, item);
    }
  }
  return items;
}
