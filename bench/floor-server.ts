// The floor: the least a server can do for the benchmark's requests. Hono on @hono/node-server over
// HTTPS with Skiff's own certificate, one @libsql/client file database (WAL, synchronous=NORMAL), one
// statement (writes: one `batch([stmt], 'write')` transaction) per request, bodies stored and sent
// back as text. Same URLs as Skiff, so the load generator cannot tell them apart.
// Run as a child process: FLOOR_DATA_DIR (its database), FLOOR_TLS_DIR (server.crt, server.key).
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createClient } from '@libsql/client';

const dataDir = process.env.FLOOR_DATA_DIR!;
const tlsDir = process.env.FLOOR_TLS_DIR!;

const db = createClient({ url: `file:${join(dataDir, 'floor.db')}` });
await db.execute('PRAGMA journal_mode = WAL');
await db.execute('PRAGMA synchronous = NORMAL');
await db.execute(`CREATE TABLE IF NOT EXISTS objects (
  resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (resource, namespace, name))`);

const JSON_TYPE = { 'Content-Type': 'application/json' };
const BASE = '/clusters/:cluster/api/v1/namespaces/:ns/:resource';

// Watchers get each committed write as a JSON line, straight from the handler that committed it.
interface Watcher { resource: string; ns: string; push(line: string): void }
const watchers = new Set<Watcher>();
const encoder = new TextEncoder();
function publish(resource: string, ns: string, type: string, body: string) {
  for (const w of watchers) if (w.resource === resource && w.ns === ns) w.push(`{"type":"${type}","object":${body}}\n`);
}

const app = new Hono();
app.onError((e, c) => c.json({ kind: 'Status', status: 'Failure', message: String(e) }, /UNIQUE|constraint/i.test(String(e)) ? 409 : 500));

app.post(BASE, async c => {
  const { resource, ns } = c.req.param();
  const body = await c.req.text();
  const name: string = JSON.parse(body).metadata.name;
  await db.batch([{ sql: 'INSERT INTO objects (resource, namespace, name, body) VALUES (?, ?, ?, ?)', args: [resource, ns, name, body] }], 'write');
  publish(resource, ns, 'ADDED', body);
  return c.body(body, 201, JSON_TYPE);
});

app.put(`${BASE}/:name`, async c => {
  const { resource, ns, name } = c.req.param();
  const body = await c.req.text();
  const [r] = await db.batch([{ sql: 'UPDATE objects SET body = ? WHERE resource = ? AND namespace = ? AND name = ?', args: [body, resource, ns, name] }], 'write');
  if (!r.rowsAffected) return c.json({ kind: 'Status', status: 'Failure', reason: 'NotFound' }, 404);
  publish(resource, ns, 'MODIFIED', body);
  return c.body(body, 200, JSON_TYPE);
});

app.get(`${BASE}/:name`, async c => {
  const { resource, ns, name } = c.req.param();
  const r = await db.execute({ sql: 'SELECT body FROM objects WHERE resource = ? AND namespace = ? AND name = ?', args: [resource, ns, name] });
  if (!r.rows.length) return c.json({ kind: 'Status', status: 'Failure', reason: 'NotFound' }, 404);
  return c.body(r.rows[0].body as string, 200, JSON_TYPE);
});

app.get(BASE, async c => {
  const { resource, ns } = c.req.param();
  if (c.req.query('watch')) {
    let watcher: Watcher;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        watcher = { resource, ns, push: line => controller.enqueue(encoder.encode(line)) };
        watchers.add(watcher);
      },
      cancel() { watchers.delete(watcher); },
    });
    return new Response(stream, { headers: JSON_TYPE });
  }
  // A list in key order; `continue` is the last name of the previous page.
  const limit = Number(c.req.query('limit') ?? 0);
  const after = c.req.query('continue') ?? '';
  const r = await db.execute({
    sql: `SELECT name, body FROM objects WHERE resource = ? AND namespace = ? AND name > ? ORDER BY name${limit ? ' LIMIT ?' : ''}`,
    args: limit ? [resource, ns, after, limit + 1] : [resource, ns, after],
  });
  const rows = limit ? r.rows.slice(0, limit) : r.rows;
  const more = limit > 0 && r.rows.length > limit;
  const metadata = more ? { continue: rows[rows.length - 1].name as string } : {};
  return c.body(`{"kind":"List","apiVersion":"v1","metadata":${JSON.stringify(metadata)},"items":[${rows.map(row => row.body).join(',')}]}`, 200, JSON_TYPE);
});

const server = serve({
  fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer,
  serverOptions: { key: readFileSync(join(tlsDir, 'server.key')), cert: readFileSync(join(tlsDir, 'server.crt')) },
});
server.once('listening', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ msg: 'serving', url: `https://127.0.0.1:${port}` }) + '\n');
});
process.on('SIGTERM', () => { server.close(); db.close(); process.exit(0); });
