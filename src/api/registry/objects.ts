// Plain-JSON helpers the strategies share: deep equality, copies and filling unset fields.

/** JSON objects as strategies see them: any shape, checked where it matters. */
export type Obj = Record<string, any>;

const isUnset = (v: unknown) => v === undefined || v === null || v === '';

/** Deep equality of JSON values; a missing field equals an undefined or null one, as after a Go round trip. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((v, i) => deepEqual(v, bs[i]));
  }
  const ao = a as Obj, bo = b as Obj;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

export const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Fills a field the way SetDefaults_* fill a nil pointer or an empty string. */
export function setDefault(obj: Obj, key: string, value: unknown): void {
  if (isUnset(obj[key])) obj[key] = value;
}

/** Fills a non-pointer Go integer: there 0 means "not set". */
export function setDefaultIfZero(obj: Obj, key: string, value: number): void {
  if (isUnset(obj[key]) || obj[key] === 0) obj[key] = value;
}

/** The object at obj[key], created empty when absent (Go's value-typed nested structs). */
export function child(obj: Obj, key: string): Obj {
  if (obj[key] === undefined || obj[key] === null || typeof obj[key] !== 'object') obj[key] = {};
  return obj[key];
}

/** The array at obj[key], or an empty one; never stores anything. */
export const items = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** The map at v, or an empty one. */
export const entries = (v: unknown): [string, any][] =>
  (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : []);

/** A copy of a string map with keys sorted, as Go's encoding/json writes maps (for error values). */
export function sortedMap<T>(m: Record<string, T> | undefined | null): Record<string, T> | undefined | null {
  if (!m || typeof m !== 'object') return m;
  return Object.fromEntries(Object.keys(m).sort().map(k => [k, m[k]]));
}

