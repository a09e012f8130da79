// Applies the bundled migrations in order, each in one atomic batch with its bookkeeping row.
import type { SqlDriver } from './driver.ts';
import { migrations } from './migrations.gen.ts';

const LEDGER = 'CREATE TABLE IF NOT EXISTS skiff_migrations (name TEXT PRIMARY KEY NOT NULL)';

export async function migrate(db: SqlDriver): Promise<void> {
  await db.batch([{ sql: LEDGER, args: [] }]);
  for (const m of migrations) {
    if (await applied(db, m.name)) continue;
    try {
      await db.batch([
        ...m.statements.map(sql => ({ sql, args: [] })),
        { sql: 'INSERT INTO skiff_migrations (name) VALUES (?)', args: [m.name] },
      ]);
    } catch (e) {
      // Another process starting at the same moment may have applied it first.
      if (!(await applied(db, m.name))) throw e;
    }
  }
}

async function applied(db: SqlDriver, name: string): Promise<boolean> {
  return (await db.all({ sql: 'SELECT 1 AS ok FROM skiff_migrations WHERE name = ?', args: [name] })).length > 0;
}
