// The embedded SQLite file (Node's default), through libSQL's native binding: statements are prepared
// once and reused (the change log's INSERT compiles three triggers), writes take the lock up front.
import Database from 'libsql';
import type { Row, SqlDriver, Statement } from '../driver.ts';

type Prepared = ReturnType<InstanceType<typeof Database>['prepare']>;

const BUSY_RETRIES = 50;
const MAX_CACHED_STATEMENTS = 500;

export function libsqlFileDriver(path: string): SqlDriver {
  let db: InstanceType<typeof Database> | undefined;
  const cache = new Map<string, Prepared>();

  function connection() {
    if (db) return db;
    db = new Database(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    return db;
  }

  function prepare(sql: string): Prepared {
    let prepared = cache.get(sql);
    if (!prepared) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      prepared = connection().prepare(sql);
      cache.set(sql, prepared);
    }
    return prepared;
  }

  function run(statement: Statement): Row[] {
    const prepared = prepare(statement.sql);
    if (!prepared.reader) { prepared.run(statement.args); return []; }
    if (!statement.single) return prepared.all(statement.args) as Row[];
    const row = prepared.get(statement.args) as Row | undefined;
    return row ? [row] : [];
  }

  /** A lock held past busy_timeout by another process leaves the connection unusable: reopen and retry. */
  async function withRetry<T>(work: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return work();
      } catch (e) {
        if (!isBusy(e) || attempt >= BUSY_RETRIES) throw e;
        reset();
        await new Promise(r => setTimeout(r, 5 + Math.random() * 20));
      }
    }
  }

  function reset() {
    cache.clear();
    try { db?.close(); } catch { /* already broken */ }
    db = undefined;
  }

  return {
    batch: (statements, mode = 'write') => withRetry(() => {
      const conn = connection();
      prepare(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED').run([]);
      try {
        const results = statements.map(run);
        prepare('COMMIT').run([]);
        return results;
      } catch (e) {
        if (conn.inTransaction) conn.exec('ROLLBACK');
        throw e;
      }
    }),
    all: statement => withRetry(() => run(statement)),
    first: statement => withRetry(() => (prepare(statement.sql).get(statement.args) ?? undefined) as Row | undefined),
    close: async () => reset(),
  };
}

function isBusy(e: unknown): boolean {
  const code = String((e as { code?: string })?.code ?? '');
  return code.startsWith('SQLITE_BUSY') || /database is locked/i.test(String((e as Error)?.message));
}
