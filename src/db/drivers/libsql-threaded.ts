// The embedded SQLite file with its writes on a thread of their own (Node's default driver). Reads stay
// on the event loop's connection (point reads are cheaper there than a hop); write batches go to the
// writer thread, which is the only writer in the process. WAL lets both connections work at once, and a
// read that starts after a write's promise resolved sees that write.
import { Worker } from 'node:worker_threads';
import { libsqlFileDriver } from './libsql-file.ts';
import type { Row, SqlDriver, Statement } from '../driver.ts';

interface Waiting { resolve(rows: Row[][]): void; reject(e: unknown): void }
type Reply = { id: number; rows: Row[][] } | { id: number; error: { message: string; code?: string; name?: string } };

/** `writerScript`: the built file-writer-thread module (the Node bundle ships it beside itself). */
export function threadedFileDriver(path: string, writerScript: URL): SqlDriver {
  const reads = libsqlFileDriver(path);
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let worker: Worker | undefined;

  /** The writer thread, started again if it went away (its pending writes are failed, never lost silently). */
  function writer(): Worker {
    if (worker) return worker;
    const w = worker = new Worker(writerScript, { workerData: { path } });
    w.on('message', (reply: Reply) => {
      const p = waiting.get(reply.id);
      if (!p) return;
      waiting.delete(reply.id);
      if ('rows' in reply) p.resolve(reply.rows);
      else p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code, name: reply.error.name ?? 'Error' }));
    });
    const gone = (why: unknown) => {
      if (worker !== w) return;
      worker = undefined;
      for (const p of waiting.values()) p.reject(why instanceof Error ? why : new Error(`database writer thread exited (${String(why)})`));
      waiting.clear();
    };
    w.on('error', gone);
    w.on('exit', code => gone(code));
    return w;
  }

  return {
    batch(statements: Statement[], mode = 'write') {
      if (mode === 'read') return reads.batch(statements, 'read');
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        writer().postMessage({ id, statements: JSON.stringify(statements) });
      });
    },
    all: statement => reads.all(statement),
    first: statement => reads.first(statement),
    async close() {
      const w = worker;
      worker = undefined;
      if (w) {
        const exited = new Promise(r => w.once('exit', r));
        w.postMessage({ close: true });
        await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
        await w.terminate();
      }
      for (const p of waiting.values()) p.reject(new Error('database closed'));
      waiting.clear();
      await reads.close();
    },
  };
}
