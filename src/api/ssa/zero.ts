// The JSON of a Go zero value of a kind: what Kubernetes compares a created object with, so that a
// creator owns `spec.strategy.type` but not `spec.strategy` itself (the zero Deployment has `strategy: {}`).
import { definition, type FieldInfo, type ValueType } from '../schema/types.ts';
import type { KubeObject } from '../registry/types.ts';

/** The zero object of a definition; `{}` when the table does not know it (custom resources). */
export function zeroObject(definitionName: string | undefined): KubeObject {
  return (definitionName && zeroStruct(definitionName, 0)) || {};
}

function zeroStruct(name: string, depth: number): Record<string, unknown> | undefined {
  const def = definition(name);
  if (!def || def.alias || depth > 32) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of def.fields) {
    const value = zeroField(field, depth);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
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
      return alias ? zeroOf(alias, false, depth) : zeroStruct(type.name, depth + 1) ?? {};
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
