// fieldValidation=Strict|Warn|Ignore: what happens to unknown and duplicate fields, and type errors,
// the way kube-apiserver's decoder reports them.
import type { KubeObject, ResourceDef } from './registry/types.ts';
import { badRequest } from './errors.ts';
import { checkObject, strictFieldErrors } from './schema/check.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Checks `obj` (already parsed) against its kind's schema and drops unknown fields, as built-in types do.
 * A request body (`source: 'body'`) reports with the decoder's "cannot be handled" prefix; a patch result
 * reports the strict errors alone. `json` is the body as sent, for duplicate fields.
 */
export function checkFields(
  def: ResourceDef, obj: KubeObject, mode: FieldValidation, warnings: string[],
  json?: string, source: 'body' | 'patch' = 'body',
): void {
  if (!def.definition) return;
  const { unknownFields, typeErrors } = checkObject(obj, def.definition);
  const prefix = `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: `;
  if (typeErrors.length) throw badRequest(`${source === 'body' ? prefix : ''}${typeErrors[0]}`);
  if (mode === 'Ignore') return;
  const problems = json !== undefined ? strictFieldErrors(json, def.definition) : unknownFields.map(f => `unknown field ${JSON.stringify(f)}`);
  if (!problems.length) return;
  if (mode === 'Strict') throw badRequest(`${source === 'body' ? prefix : ''}strict decoding error: ${problems.join(', ')}`);
  warnings.push(...problems);
}
