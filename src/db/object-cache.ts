// Parsed objects by resourceVersion. A stored version never changes, so lists and watches can share one
// parse of it (as kube-apiserver's watch cache serves from memory). Objects are frozen: a reader that
// wants to change one works on a copy, and a mistake fails loudly instead of corrupting the cache.

/** Deep-freezes a parsed JSON value. */
function freeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freeze(v);
  }
  return value;
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
    freeze(object);
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
