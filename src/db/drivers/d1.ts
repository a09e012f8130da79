// Cloudflare D1 driver. D1 has no interactive transactions; `batch()` is atomic, which is all the store uses.
import type { D1Database } from '@cloudflare/workers-types';
import type { Row, SqlDriver, Statement } from '../driver.ts';

export function d1Driver(db: D1Database): SqlDriver {
  const prepare = (s: Statement) => db.prepare(s.sql).bind(...s.args);
  return {
    async batch(statements) {
      const results = await db.batch<Row>(statements.map(prepare));
      return results.map(r => r.results ?? []);
    },
    async all(statement) {
      return (await prepare(statement).all<Row>()).results ?? [];
    },
    async first(statement) {
      return (await prepare(statement).first<Row>()) ?? undefined;
    },
    async close() {},
  };
}
