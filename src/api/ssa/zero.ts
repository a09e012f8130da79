// Objects as Kubernetes' field manager compares them: decoded into Go types and encoded again, so
// fields Go always writes are present with their zero values. A create is compared with the zero
// object: the creator owns `spec.strategy.type` but not `spec.strategy` (the zero Deployment has
// `strategy: {}`), and a first status write does not own `status` itself.
import { definition, type FieldInfo, type ValueType } from '../schema/types.ts';
import { isPlainObject } from './shape.ts';

/** The value with the zero fields of its definition filled in; unchanged for unknown kinds (custom resources). */
export function asTyped(value: unknown, definitionName: string | undefined): unknown {
  if (!definitionName) return value;
  return isPlainObject(value) && Object.keys(value).length === 0 ? zeroStruct(definitionName, 0) : fillStruct(value, definitionName, 0);
}

/** The Go type of a whole object of this definition, for typing it one level at a time (typedLevel). */
export function rootType(definitionName: string | undefined): ValueType | undefined {
  return definitionName ? { ref: definitionName, kind: 'struct', name: definitionName } : undefined;
}

/**
 * One level of `asTyped`: a struct with its absent fields at their zero values, its present fields as they
 * are (typed when a walk reaches them). A comparison that stops at equal values then types only what changed.
 */
export function typedLevel(value: unknown, type: ValueType | undefined): unknown {
  if (type?.kind !== 'struct' || !isPlainObject(value)) return value;
  if (Object.keys(value).length === 0) return zeroStruct(type.name, 0);
  const def = definition(type.name);
  if (!def || def.alias) return value;
  let out: Record<string, unknown> | undefined;
  for (const field of def.fields) {
    if (value[field.name] !== undefined) continue;
    const zero = zeroField(field, 0);
    if (zero !== undefined) (out ??= { ...value })[field.name] = zero;
  }
  return out ?? value;
}

/** The type of a member (struct field or map entry) or, for `undefined`, of a list's items. */
export function memberType(type: ValueType | undefined, name?: string): ValueType | undefined {
  switch (type?.kind) {
    case 'struct': return name === undefined ? undefined : definition(type.name)?.fieldsByName.get(name)?.type;
    case 'map': return type.values;
    case 'list': return type.items;
    default: return undefined;
  }
}

/** Zero structs depend on their type only: each is made once and shared (comparisons only read them). */
const zeroStructs = new Map<string, unknown>();

function zeroStruct(name: string, depth: number): unknown {
  let zero = zeroStructs.get(name);
  if (zero === undefined) {
    zero = Object.freeze(fillStruct({}, name, depth));
    zeroStructs.set(name, zero);
  }
  return zero;
}

function fillStruct(value: unknown, name: string, depth: number): unknown {
  const def = definition(name);
  if (!def || def.alias || !isPlainObject(value) || depth > 64) return value;
  const out: Record<string, unknown> = { ...value };
  for (const field of def.fields) {
    if (out[field.name] === undefined) {
      const zero = zeroField(field, depth);
      if (zero !== undefined) out[field.name] = zero;
    } else {
      out[field.name] = fillType(out[field.name], field.type, depth + 1);
    }
  }
  return out;
}

function fillType(value: unknown, type: ValueType, depth: number): unknown {
  switch (type.kind) {
    case 'struct': return fillStruct(value, type.name, depth);
    case 'list': return Array.isArray(value) ? value.map(item => fillType(item, type.items, depth)) : value;
    case 'map': return isPlainObject(value)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillType(v, type.values, depth)])) : value;
    default: return value;
  }
}

// Go's encoding: nil pointers, slices and maps are null (absent with omitempty); structs are never
// omitted; scalars are their zero (absent with omitempty); Time and RawExtension marshal to null.
function zeroField(field: FieldInfo, depth: number): unknown {
  if (field.pointer) return field.omitempty ? undefined : null;
  return zeroOf(field.type, field.omitempty, depth);
}

function zeroOf(type: ValueType, omitempty: boolean, depth: number): unknown {
  switch (type.kind) {
    case 'struct': {
      const alias = definition(type.name)?.alias;
      return alias ? zeroOf(alias, false, depth) : zeroStruct(type.name, depth + 1);
    }
    case 'list': case 'map': case 'bytes': return omitempty ? undefined : null;
    case 'string': return omitempty ? undefined : '';
    case 'int32': case 'int64': case 'double': return omitempty ? undefined : 0;
    case 'bool': return omitempty ? undefined : false;
    case 'quantity': return '0';
    case 'int-or-string': return 0;
    case 'duration': return '0s';
    default: return null; // time, micro-time, raw, json, fields-v1
  }
}
