// The writer thread of the threaded file driver: owns the connection that writes, so that SQLite's
// commits (and the checkpoints they trigger) run beside the event loop instead of on it.
// Messages in: { id, statements } to run as one write batch, or { close: true }. Out: { id, rows } or { id, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { libsqlFileDriver } from './libsql-file.ts';
import type { Statement } from '../driver.ts';

const db = libsqlFileDriver(workerData.path as string);
const port = parentPort!;

port.on('message', async (m: { id: number; statements: string } | { close: true }) => {
  if ('close' in m) {
    await db.close();
    port.close();
    return;
  }
  try {
    port.postMessage({ id: m.id, rows: await db.batch(JSON.parse(m.statements) as Statement[], 'write') });
  } catch (e) {
    const err = e as { message?: string; code?: string; name?: string };
    port.postMessage({ id: m.id, error: { message: String(err?.message ?? e), code: err?.code, name: err?.name } });
  }
});
