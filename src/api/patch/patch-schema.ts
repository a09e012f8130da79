// What strategic merge patch needs to know about a Kubernetes type: per field, its patch strategy and merge key.
//
// The engine (strategic.ts) walks the object and the patch together and asks, at each object it meets,
// how each field of that object is patched. The answers come from the Go struct tags / OpenAPI extensions
// (`patchStrategy` / `x-kubernetes-patch-strategy`, `patchMergeKey` / `x-kubernetes-patch-merge-key`).
//
// Example, PodSpec:
//
//   const podSpec: PatchSchema = { fields: {
//     containers: { patchStrategy: 'merge', patchMergeKey: 'name', list: 'objects', schema: container },
//     volumes:    { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', list: 'objects', schema: volume },
//     tolerations: { list: 'objects', schema: toleration },     // no strategy: the patch's list replaces the whole list
//     nodeSelector: { schema: { values: {} } },                 // map[string]string
//   } };
//
// Schemas may be cyclic (JSONSchemaProps refers to itself): the engine only follows the parts the patch touches.

/** One object type: a Go struct (`fields`) or a Go map[string]T (`values`). */
export interface PatchSchema {
  /** A struct's fields by JSON name. A field not listed has an unknown schema. */
  readonly fields?: Readonly<Record<string, PatchField>>;
  /** A map[string]T: how the value under every key is patched. */
  readonly values?: PatchField;
}

/**
 * How one field (or one map value) is patched. Every property is optional: `{}` describes a primitive
 * (or a value the engine need not know about), and a missing PatchField means "unknown schema" — that subtree
 * is patched like a JSON merge patch (objects merged, null deletes, lists replaced).
 */
export interface PatchField {
  /**
   * The patch strategy, as in the struct tag: 'merge', 'replace', 'retainKeys', or a comma-separated
   * combination such as 'merge,retainKeys'. Absent: objects are merged and lists are replaced.
   * 'merge' on a list merges it (by `patchMergeKey` for objects, as a set for primitives);
   * 'replace' on an object replaces it instead of merging it; 'retainKeys' tells clients to send
   * `$retainKeys` (the engine honours `$retainKeys` wherever it appears, as Kubernetes does).
   */
  readonly patchStrategy?: string;
  /** For a merge list of objects: the element field that identifies an element ('name', 'containerPort', ...). */
  readonly patchMergeKey?: string;
  /** Set when the value is a JSON array: whether its elements are objects or primitives. */
  readonly list?: 'objects' | 'primitives';
  /**
   * The type of the value when it is always a JSON object, or of each element of a list of objects.
   * Leave it out for values that may be other things (IntOrString, Quantity, RawExtension, JSON).
   */
  readonly schema?: PatchSchema;
}

/** The PatchField for `name` in an object of type `schema`; undefined when unknown. */
export function patchFieldOf(schema: PatchSchema | undefined, name: string): PatchField | undefined {
  if (!schema) return undefined;
  if (schema.fields && Object.hasOwn(schema.fields, name)) return schema.fields[name];
  return schema.values;
}
