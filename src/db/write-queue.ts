// How the store's writes reach the database. Each write is one INSERT; the CAS trigger ignores a stale
// one instead of failing its batch, so writes stay independent even when committed together.
// When coalescing (Node), writes that arrive while a batch is in flight are committed as the next single
// batch; a batch that fails as a whole is retried write by write.
import type { Row, SqlDriver, Statement } from './driver.ts';
import { nextTurn } from '../util/turns.ts';

const MAX_BATCH = 256;


interface Pending { statement: Statement; resolve: (rows: Row[]) => void; reject: (e: unknown) => void }

export class WriteQueue {
  private pending: Pending[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: SqlDriver,
    private readonly coalesce: boolean,
    /** Told the highest rv of every commit (in-process wake-ups). */
    private readonly committed: (maxRv: number) => void,
  ) {}

  async submit(statement: Statement): Promise<Row[]> {
    // Without coalescing each write is its own batch (on Workers no request waits on another's promise).
    if (!this.coalesce) {
      const [rows] = await this.db.batch([statement]);
      this.report([rows]);
      return rows;
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ statement, resolve, reject });
      // A local database runs a batch synchronously, so nothing would ever wait to join one: start the
      // flush a turn later instead, and every write that arrives in this turn rides along.
      this.running ??= new Promise<void>(r => nextTurn(r)).then(() => this.run()).finally(() => { this.running = undefined; });
    });
  }

  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        const results = await this.db.batch(batch.map(p => p.statement));
        batch.forEach((p, i) => p.resolve(results[i]));
        this.report(results);
      } catch (e) {
        if (batch.length === 1) { batch[0].reject(e); continue; }
        for (const p of batch) {
          try {
            const [rows] = await this.db.batch([p.statement]);
            p.resolve(rows);
            this.report([rows]);
          } catch (err) {
            p.reject(err);
          }
        }
      }
    }
  }

  private report(results: Row[][]) {
    let maxRv = 0;
    for (const rows of results) for (const row of rows) if (typeof row.rv === 'number' && row.rv > maxRv) maxRv = row.rv;
    if (maxRv) this.committed(maxRv);
  }
}
