// Applies a PATCH body of any supported type to the object as the request's view shows it.
import jsonPatch, { type Operation } from 'fast-json-patch';
import type { KubeObject } from '../registry/types.ts';
import type { PatchType } from '../encoding.ts';
import { StatusError, badRequest, unsupportedMediaType } from '../errors.ts';
import { applyJsonMergePatch } from './merge.ts';
import { PatchError, applyStrategicMergePatch } from './strategic.ts';
import { patchSchemaOf } from '../schema/patch-schema.ts';
import { cloneJson } from '../../util/clone.ts';

export function applyPatch(type: PatchType, original: KubeObject, patch: unknown, definition: string | undefined): KubeObject {
  let result: unknown;
  switch (type) {
    case 'json':
      result = applyJsonPatch(original, patch);
      break;
    case 'merge':
      result = applyJsonMergePatch(original, patch);
      break;
    case 'strategic':
      if (!definition) throw unsupportedMediaType('application/strategic-merge-patch+json', ['application/json-patch+json', 'application/merge-patch+json']);
      try {
        result = applyStrategicMergePatch(original, patch, patchSchemaOf(definition));
      } catch (e) {
        if (e instanceof PatchError) throw new StatusError(e.status, e.status === 400 ? 'BadRequest' : 'Invalid', e.message);
        throw e;
      }
      break;
    case 'apply':
      throw unsupportedMediaType('application/apply-patch+yaml', ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    throw badRequest('the patch result is not a JSON object');
  }
  return result as KubeObject;
}

/** RFC 6902 JSON patch; a failed `test` or a path that does not resolve is the client's error. */
function applyJsonPatch(original: KubeObject, operations: unknown): unknown {
  const doc = cloneJson(original);
  try {
    return jsonPatch.applyPatch(doc, operations as Operation[], true, true).newDocument;
  } catch (e) {
    const err = e as { name?: string; message?: string; operation?: { op?: string; path?: string } };
    if (err.name === 'TEST_OPERATION_FAILED') {
      throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${err.operation?.path} failed`);
    }
    const first = (err.message ?? String(e)).split('\n')[0];
    throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${first}`);
  }
}
