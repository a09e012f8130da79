// libSQL client driver: a remote libSQL server (Turso), or a file through @libsql/client.
import { createClient, type Client, type InStatement, type ResultSet } from '@libsql/client';
import type { Row, SqlDriver, Statement } from '../driver.ts';

const BUSY_RETRIES = 50;

export function libsqlDriver(url: string, authToken?: string): SqlDriver {
  const local = url.startsWith('file:');
  let client: Client | undefined;
  let opening: Promise<Client> | undefined;

  async function open(): Promise<Client> {
    // One connection: every call on a local database is synchronous underneath, so a pool would only
    // multiply per-connection pragmas; writes from this process are serialised anyway.
    const c = createClient({ url, authToken, intMode: 'number', concurrency: 1 });
    if (local) {
      await c.execute('PRAGMA journal_mode = WAL');
      await c.execute('PRAGMA synchronous = NORMAL');
      await c.execute('PRAGMA busy_timeout = 5000');
    }
    return c;
  }

  async function connection(): Promise<Client> {
    if (client) return client;
    opening ??= open().then(c => (client = c));
    return opening;
  }

  /** SQLITE_BUSY (another process holds the lock past busy_timeout) leaves the connection unusable: reopen, retry. */
  async function withRetry<T>(run: (c: Client) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await connection();
      try {
        return await run(c);
      } catch (e) {
        if (!isBusy(e) || attempt >= BUSY_RETRIES) throw e;
        if (client === c) { client = undefined; opening = undefined; c.close(); }
        await new Promise(r => setTimeout(r, 5 + Math.random() * 20));
      }
    }
  }

  return {
    batch: (statements: Statement[], mode = 'write') =>
      withRetry(async c => (await c.batch(statements as InStatement[], mode)).map(rows)),
    all: (statement: Statement) => withRetry(async c => rows(await c.execute(statement as InStatement))),
    first: (statement: Statement) => withRetry(async c => rows(await c.execute(statement as InStatement))[0]),
    close: async () => { client?.close(); client = undefined; opening = undefined; },
  };
}

function rows(result: ResultSet): Row[] {
  return result.rows as unknown as Row[];
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string; rawCode?: number })?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || /database is locked/i.test(String((e as Error)?.message));
}
