// JSON merge patch (RFC 7386), for application/merge-patch+json.

type JsonObject = Record<string, unknown>;

/**
 * Applies `patch` to `original` as RFC 7386 defines: objects merge member by member, a null member removes
 * the member, anything else (arrays included) replaces the target. Returns a new value; inputs are untouched.
 */
export function applyJsonMergePatch(original: unknown, patch: unknown): unknown {
  // Cloned up front so the result shares nothing with the caller's values.
  return mergePatch(structuredClone(original), patch);
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// defineProperty rather than assignment, so that a "__proto__" member is stored as data.
function setOwn(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}
