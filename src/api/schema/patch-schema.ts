// The strategic-merge-patch view of the generated type table: per field, its patch strategy and merge key.
// Built lazily and cached, because the type graph is cyclic (JSONSchemaProps refers to itself).
import type { PatchField, PatchSchema } from '../patch/patch-schema.ts';
import { definition, type FieldInfo, type ValueType } from './types.ts';

const schemas = new Map<string, PatchSchema | undefined>();

/** How objects of the named definition are patched; undefined for types that are not JSON objects. */
export function patchSchemaOf(name: string): PatchSchema | undefined {
  if (schemas.has(name)) return schemas.get(name);
  const def = definition(name);
  if (!def || def.alias) {
    schemas.set(name, undefined);
    return undefined;
  }
  const fields: Record<string, PatchField> = {};
  const schema: PatchSchema = { fields };
  schemas.set(name, schema);
  for (const f of def.fields) fields[f.name] = patchField(f.type, f);
  return schema;
}

function patchField(type: ValueType, tags?: Pick<FieldInfo, 'patchStrategy' | 'patchMergeKey'>): PatchField {
  const strategy = tags?.patchStrategy ? { patchStrategy: tags.patchStrategy } : {};
  const mergeKey = tags?.patchMergeKey ? { patchMergeKey: tags.patchMergeKey } : {};
  switch (type.kind) {
    case 'struct':
      return lazy({ ...strategy }, () => patchSchemaOf(type.name));
    case 'map':
      return { ...strategy, schema: { values: patchField(type.values) } };
    case 'list': {
      const items = type.items;
      const objects = items.kind === 'struct' && !definition(items.name)?.alias;
      if (!objects) return { ...strategy, ...mergeKey, list: 'primitives' };
      return lazy({ ...strategy, ...mergeKey, list: 'objects' }, () => patchSchemaOf((items as { name: string }).name));
    }
    default:
      return { ...strategy };
  }
}

/** A PatchField whose `schema` is resolved on first use. */
function lazy(base: Omit<PatchField, 'schema'>, resolve: () => PatchSchema | undefined): PatchField {
  let resolved = false;
  let value: PatchSchema | undefined;
  return Object.defineProperty({ ...base }, 'schema', {
    enumerable: true,
    get() {
      if (!resolved) { value = resolve(); resolved = true; }
      return value;
    },
  }) as PatchField;
}
