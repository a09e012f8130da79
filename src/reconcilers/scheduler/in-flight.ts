// At most `limit` writes outstanding at once: the scheduler keeps deciding while earlier bindings are
// committed (the store coalesces concurrent writes into batches), without flooding it.
export class InFlight {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly tasks = new Set<Promise<void>>();
  /** The first failure, reported once everything has settled. */
  error: unknown;

  constructor(private readonly limit: number) {}

  /** Starts the task, first waiting for a free slot. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.active >= this.limit) await new Promise<void>(resolve => this.waiters.push(resolve));
    this.active++;
    const p: Promise<void> = task()
      .catch(e => { this.error ??= e; })
      .finally(() => { this.active--; this.tasks.delete(p); this.waiters.shift()?.(); });
    this.tasks.add(p);
  }

  /** Waits for every started task. */
  async drain(): Promise<void> {
    while (this.tasks.size) await Promise.all([...this.tasks]);
  }
}
