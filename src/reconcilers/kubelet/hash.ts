// Deterministic pseudo-randomness: jitter, ids and sizes derived from names, so that runs are reproducible
// and every process simulating the same cluster computes the same values.

function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // A final avalanche, so that inputs differing in the last character spread over the whole range.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by the text. */
export function hashUnit(text: string): number {
  return fnv1a(text) / 2 ** 32;
}

/** `length` lowercase hex digits fixed by the text (container ids, image digests, machine ids). */
export function hashHex(text: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += fnv1a(text, 0x811c9dc5 + i * 0x9e3779b9).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** A UUID-shaped id fixed by the text (systemUUID, bootID). */
export function hashUuid(text: string): string {
  const h = hashHex(text, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}
