// Parsed objects by resourceVersion. A stored version never changes, so lists and watches can share one
// parse of it (as kube-apiserver's watch cache serves from memory). Objects are frozen: a reader that
// wants to change one works on a copy, and a mistake fails loudly instead of corrupting the cache.

/** Strings at most this long are pooled: type names, images, node names, timestamps repeat across objects. */
const POOLED_LENGTH = 128;
/**
 * The pool starts over when it holds this many strings. Unique ones (uids, names) must not outlive their
 * objects: a big pool keeps young strings alive into the old generation, costing more collection than it saves.
 */
const POOL_CAPACITY = 8192;

/**
 * One copy of each string value recently seen in a cached object. JSON.parse gives every value string its
 * own copy; pooling them makes a cached pod about a third smaller, and caches that keep objects for long
 * (informers) keep the shared copies.
 */
class StringPool {
  private strings = new Map<string, string>();

  intern(s: string): string {
    if (s.length > POOLED_LENGTH) return s;
    const pooled = this.strings.get(s);
    if (pooled !== undefined) return pooled;
    if (this.strings.size >= POOL_CAPACITY) this.strings = new Map();
    this.strings.set(s, s);
    return s;
  }
}

const pool = new StringPool();

/** Deep-freezes a parsed JSON value, replacing its strings by their pooled copies on the way. */
function seal<T>(value: T): T {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = typeof value[i] === 'string' ? pool.intern(value[i]) : seal(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      record[key] = typeof v === 'string' ? pool.intern(v) : seal(v);
    }
  }
  return Object.freeze(value);
}

export class ObjectCache {
  private readonly entries = new Map<number, { object: any; bytes: number }>();
  private bytes = 0;

  /** `maxBytes` bounds the JSON text the cached objects came from (their heap size is a few times that). */
  constructor(private readonly maxBytes: number) {}

  /** The object of version `rv` if it is cached. */
  peek(rv: number): any {
    return this.entries.get(rv)?.object;
  }

  /** The object of version `rv`, parsing `json` (and injecting its resourceVersion) the first time. */
  get(rv: number, json: string): any {
    const hit = this.entries.get(rv);
    if (hit) return hit.object;
    const object = JSON.parse(json);
    object.metadata ??= {};
    object.metadata.resourceVersion = String(rv);
    if (json.length > this.maxBytes / 8) return object;
    seal(object);
    this.entries.set(rv, { object, bytes: json.length });
    this.bytes += json.length;
    // Oldest versions go first: current state is what gets read again.
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
    return object;
  }
}
