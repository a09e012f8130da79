// Keys by the time they come due (a min-heap with lazy removal): a pass takes what is due instead of
// looking at every pod or node, and tells the runtime when to come back.
export class DueQueue {
  private readonly at = new Map<string, number>();
  private heap: { at: number; key: string }[] = [];

  /** Schedules `key` at `at`, replacing an earlier schedule of it. */
  set(key: string, at: number) {
    if (this.at.get(key) === at) return;
    this.at.set(key, at);
    this.push({ at, key });
    // Replaced entries stay in the heap until they surface; rebuild when they outnumber the live ones.
    if (this.heap.length > 2 * this.at.size + 1024) this.rebuild();
  }

  delete(key: string) {
    this.at.delete(key);
  }

  has(key: string): boolean {
    return this.at.has(key);
  }

  /** Removes and returns the keys due by `now`. */
  takeDue(now: number): string[] {
    const out: string[] = [];
    for (;;) {
      const top = this.peek();
      if (!top || top.at > now) return out;
      this.pop();
      this.at.delete(top.key);
      out.push(top.key);
    }
  }

  /** When the earliest key comes due. */
  next(): number | undefined {
    return this.peek()?.at;
  }

  get size(): number {
    return this.at.size;
  }

  /** The earliest live entry, dropping replaced ones on the way. */
  private peek() {
    while (this.heap.length && this.at.get(this.heap[0].key) !== this.heap[0].at) this.pop();
    return this.heap[0];
  }

  private rebuild() {
    this.heap = [];
    for (const [key, at] of this.at) this.push({ at, key });
  }

  private push(e: { at: number; key: string }) {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop() {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1;
      let min = i;
      if (l < h.length && h[l].at < h[min].at) min = l;
      if (r < h.length && h[r].at < h[min].at) min = r;
      if (min === i) return;
      [h[min], h[i]] = [h[i], h[min]];
      i = min;
    }
  }
}
