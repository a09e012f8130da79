// Structural equality of JSON values (key order ignored), for "did this write change anything".
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a).filter(k => (a as any)[k] !== undefined);
  const kb = Object.keys(b).filter(k => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every(k => jsonEqual((a as any)[k], (b as any)[k]));
}
