// Values as Server-Side Apply changes them: merging an applied configuration into the live object,
// and removing or selecting the fields of a field set. Neither input is modified.
import { FieldSet, fieldElement, itemElement, type Path } from './fieldsets.ts';
import { isPlainObject, type ListShape, type Shape } from './shape.ts';

/**
 * Merges `config` into `live`: struct fields and granular map entries one by one, associative list
 * items by key (sets by value) with their contents merged, and everything atomic replaced whole.
 * A `null` in config is kept (as null) for the caller to compare and then drop.
 */
export function merge(live: unknown, config: unknown, shape: Shape): unknown {
  if (config === undefined) return live;
  if (shape.kind === 'object' && isPlainObject(config)) {
    const out: Record<string, unknown> = isPlainObject(live) ? { ...live } : {};
    for (const [name, value] of Object.entries(config)) {
      if (value !== undefined) out[name] = merge(out[name], value, shape.member(name).shape);
    }
    return out;
  }
  if (shape.kind === 'list' && Array.isArray(config) && Array.isArray(live)) return mergeList(live, config, shape);
  return config;
}

/**
 * Items only in live keep their place among live items; config items come in config order, a shared
 * item where config puts it (merged with its live version).
 */
function mergeList(live: unknown[], config: unknown[], shape: ListShape): unknown[] {
  const liveElements = live.map(item => itemElement(item, shape));
  const configElements = config.map(item => itemElement(item, shape));
  const configured = new Set(configElements);
  const liveItems = new Map<string, unknown[]>();
  liveElements.forEach((e, i) => liveItems.set(e, [...(liveItems.get(e) ?? []), live[i]]));
  const shared = configElements.filter(e => liveItems.has(e));

  const out: unknown[] = [];
  const done = new Set<string>();
  let nextShared = 0;
  const emit = (element: string, item: unknown) => {
    const previous = liveItems.get(element);
    // An item duplicated in live is replaced by the configured one rather than merged with either copy.
    out.push(previous?.length === 1 ? merge(previous[0], item, shape.items) : item);
    done.add(element);
    while (nextShared < shared.length && done.has(shared[nextShared])) nextShared++;
  };

  let l = 0, c = 0;
  while (l < live.length || c < config.length) {
    if (l < live.length) {
      const element = liveElements[l];
      if (!configured.has(element)) { out.push(live[l++]); continue; }
      if (done.has(element)) { l++; continue; }
      if (c < config.length && configElements[c] === element) { emit(element, config[c++]); l++; continue; }
      // A shared item config places later: leave it for then, unless it is the next one config places.
      if (shared[nextShared] !== element || c >= config.length) { l++; continue; }
    }
    emit(configElements[c], config[c]);
    c++;
  }
  return out;
}

/**
 * Removes the fields of `set` from a value: a path in the set goes with everything under it. A
 * struct, map or list the removal leaves empty goes too, unless `keepEmptied`. Returns undefined
 * when nothing is left.
 */
export function removeFields(value: unknown, set: FieldSet, shape: Shape, keepEmptied = false): unknown {
  if (set.isEmpty) return value;
  return mapMembers(value, shape, keepEmptied, (element, child, childShape) =>
    (set.has([element]) ? undefined : removeFields(child, set.under(element), childShape, keepEmptied)));
}

/** Keeps only the fields of `set` and everything under them; undefined when nothing is selected. */
export function selectFields(value: unknown, set: FieldSet, shape: Shape): unknown {
  if (!walkable(value, shape)) return undefined;
  return mapMembers(value, shape, false, (element, child, childShape) => {
    if (set.has([element])) return child;
    const under = set.under(element);
    return under.isEmpty ? undefined : selectFields(child, under, childShape);
  });
}

const walkable = (value: unknown, shape: Shape) =>
  (shape.kind === 'object' && isPlainObject(value)) || (shape.kind === 'list' && Array.isArray(value));

/**
 * Rebuilds an object or list from what `visit` returns for each member (undefined drops it); undefined
 * when members were all dropped, unless `keepEmptied`. Atomic values come back as they are.
 */
function mapMembers(
  value: unknown, shape: Shape, keepEmptied: boolean, visit: (element: string, child: unknown, shape: Shape) => unknown,
): unknown {
  if (shape.kind === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value)) {
      const kept = visit(fieldElement(name), child, shape.member(name).shape);
      if (kept !== undefined) out[name] = kept;
    }
    return keepEmptied || Object.keys(out).length || !Object.keys(value).length ? out : undefined;
  }
  if (shape.kind === 'list' && Array.isArray(value)) {
    const out = value.map(item => visit(itemElement(item, shape), item, shape.items)).filter(item => item !== undefined);
    return keepEmptied || out.length || !value.length ? out : undefined;
  }
  return value;
}

/** The paths an applied configuration sets to null: they are compared as null, then dropped. */
export function nullFields(config: unknown, shape: Shape): FieldSet {
  const set = FieldSet.empty();
  const walk = (value: unknown, s: Shape, path: Path) => {
    if (s.kind === 'object' && isPlainObject(value)) {
      for (const [name, child] of Object.entries(value)) {
        const p = [...path, fieldElement(name)];
        if (child === null) set.insert(p);
        else walk(child, s.member(name).shape, p);
      }
    } else if (s.kind === 'list' && Array.isArray(value)) {
      for (const item of value) walk(item, s.items, [...path, itemElement(item, s)]);
    }
  };
  walk(config, shape, []);
  return set;
}
