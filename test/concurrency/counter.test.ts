// Optimistic concurrency: clients that GET, increment and PUT, retrying on 409, lose no update —
// in one process, and with two server processes writing one SQLite file.
import { describe, it, expect, afterAll } from 'vitest';
import { request as httpsRequest, Agent } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testSkiff } from '../support/skiff.ts';
import { startServer, type RunningServer } from '../support/server.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const CLIENTS = 12;
const INCREMENTS = 8;

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Each client increments the counter INCREMENTS times; returns the number of successful PUTs. */
async function incrementConcurrently(calls: Call[], name: string): Promise<{ successes: number; conflicts: number }> {
  let successes = 0;
  let conflicts = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
    const call = calls[i % calls.length];
    for (let n = 0; n < INCREMENTS; n++) {
      for (;;) {
        const current = (await call('GET', `${CM}/${name}`)).body;
        const next = { ...current, data: { count: String(Number(current.data.count) + 1) } };
        const r = await call('PUT', `${CM}/${name}`, next);
        if (r.status === 200) { successes++; break; }
        expect(r.status).toBe(409);
        expect(r.body.reason).toBe('Conflict');
        conflicts++;
      }
    }
  }));
  return { successes, conflicts };
}

describe('optimistic concurrency', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => { await Promise.all(servers.map(s => s.stop())); });

  it('loses no update with many clients on one process', async () => {
    const t = await testSkiff();
    await t.request('POST', CM, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { count: '0' } } });
    const { successes, conflicts } = await incrementConcurrently([(m, p, b) => t.request(m, p, { body: b })], 'counter');
    const final = (await t.request('GET', `${CM}/counter`)).body;
    expect(successes).toBe(CLIENTS * INCREMENTS);
    expect(Number(final.data.count)).toBe(CLIENTS * INCREMENTS);
    expect(conflicts).toBeGreaterThan(0);
    await t.close();
  });

  it('loses no update with two server processes on one SQLite file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'skiff-two-'));
    servers.push(await startServer({ dataDir }));
    servers.push(await startServer({ dataDir }));
    const calls = servers.map(s => httpsCaller(s));
    await calls[0]('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { count: '0' } });
    const { successes } = await incrementConcurrently(calls, 'shared');
    expect(successes).toBe(CLIENTS * INCREMENTS);
    for (const call of calls) {
      expect(Number((await call('GET', `${CM}/shared`)).body.data.count)).toBe(CLIENTS * INCREMENTS);
    }
  });
});

function httpsCaller(server: RunningServer): Call {
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: server.caPem });
  return (method, path, body) => new Promise((resolve, reject) => {
    const req = httpsRequest(`${server.url}/clusters/default${path}`, {
      method, agent, headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    }, res => {
      let text = '';
      res.on('data', c => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
