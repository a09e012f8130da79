// When coalescing (Node), commits the writes that arrive while a batch is in flight as the next single
// batch. Each write stays independent: the CAS trigger ignores a
// stale one instead of failing the batch, and a batch that fails as a whole is retried one by one.
import type { Row, SqlDriver, Statement } from './driver.ts';

const MAX_BATCH = 256;

interface Pending { statement: Statement; resolve: (rows: Row[]) => void; reject: (e: unknown) => void }

export class WriteQueue {
  private pending: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: SqlDriver,
    private readonly coalesce: boolean,
    private readonly committed: (maxRv: number) => void,
  ) {}

  submit(statement: Statement): Promise<Row[]> {
    // Without coalescing each write is its own batch; the database orders them (and on Workers no
    // request waits on another's promise).
    if (!this.coalesce) {
      return this.db.batch([statement]).then(results => { this.settle([{ statement, resolve: () => {}, reject: () => {} }], results); return results[0]; });
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ statement, resolve, reject });
      this.running ??= this.run().finally(() => { this.running = undefined; });
    });
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        this.settle(batch, await this.db.batch(batch.map(p => p.statement)));
      } catch (e) {
        if (batch.length === 1) { batch[0].reject(e); continue; }
        for (const p of batch) {
          try { this.settle([p], await this.db.batch([p.statement])); } catch (err) { p.reject(err); }
        }
      }
    }
  }

  private settle(batch: Pending[], results: Row[][]) {
    let maxRv = 0;
    batch.forEach((p, i) => {
      const rows = results[i];
      for (const row of rows) if (typeof row.rv === 'number' && row.rv > maxRv) maxRv = row.rv;
      p.resolve(rows);
    });
    if (maxRv) this.committed(maxRv);
  }
}
