// Reconcilers on the Worker: passes woken by writes, the cron trigger (`scheduled`) that reconciles every
// cluster, and the cron's compaction of the change log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startWorker, type RunningWorker } from './harness.ts';

let worker: RunningWorker;
beforeAll(async () => {
  // No history window: each cron compacts everything already superseded, so its effect shows at once.
  worker = await startWorker({ SKIFF_COMPACTION_WINDOW_SECONDS: '0' });
  // The isolate's first request is a read. Setting up the control plane writes, and the pass those writes
  // start must not be cut off with the response: a lost pass would block every later one.
  expect((await worker.fetch(`${API}/version`)).status).toBe(200);
});
afterAll(async () => { await worker?.dispose(); });

const NS = `${API}/api/v1/namespaces`;
const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });

async function eventually(check: () => Promise<boolean>, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('reconcilers on the Worker', () => {
  it('empty and remove a deleted namespace right after the write, without waiting for the cron', async () => {
    await worker.call('POST', NS, namespace('short-lived'));
    await worker.call('POST', `${NS}/short-lived/configmaps`, configMap('inside'));
    const deleting = await worker.call('DELETE', `${NS}/short-lived`);
    expect(deleting.status).toBe(200);
    expect(deleting.body).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } });
    await eventually(async () => (await worker.call('GET', `${NS}/short-lived`)).status === 404);
    expect((await worker.call('GET', `${NS}/short-lived/configmaps/inside`)).status).toBe(404);
  });

  it('finish, on the cron, deleting a namespace that no request woke them for', async () => {
    await worker.call('POST', NS, namespace('doomed'));
    await worker.call('POST', `${NS}/doomed/configmaps`, configMap('inside'));
    // Let the passes those writes started finish first.
    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });

    // A DELETE through the API would run the namespace controller right away. Mark the namespace for
    // deletion in the database instead, as an isolate evicted right after its write would leave it:
    // only the cron is left to finish the job.
    const ns = (await worker.call('GET', `${NS}/doomed`)).body;
    const terminating = {
      ...ns,
      metadata: { ...ns.metadata, deletionTimestamp: new Date().toISOString().replace(/\.\d+/, '') },
      status: { phase: 'Terminating' },
    };
    const db = await worker.database();
    await db.prepare('INSERT INTO changes (cluster, grp, resource, namespace, name, type, prev_rv, object) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind('default', '', 'namespaces', '', 'doomed', 'MODIFIED', Number(ns.metadata.resourceVersion), JSON.stringify(terminating)).run();
    expect((await worker.call('GET', `${NS}/doomed`)).body.status.phase).toBe('Terminating');
    expect((await worker.call('GET', `${NS}/doomed/configmaps/inside`)).status).toBe(200);

    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });
    const gone = await worker.call('GET', `${NS}/doomed`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'namespaces "doomed" not found' });
    expect((await worker.call('GET', `${NS}/doomed/configmaps/inside`)).status).toBe(404);
  });

  it('compact history on the cron: a watch from before it has expired', async () => {
    const cms = `${NS}/default/configmaps`;
    const created = await worker.call('POST', cms, { ...configMap('counter'), data: { n: '0' } });
    const oldRv = created.body.metadata.resourceVersion;
    for (const n of ['1', '2']) await worker.call('PATCH', `${cms}/counter`, { data: { n } }, 'application/merge-patch+json');

    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });

    const res = await worker.fetch(`${cms}?watch=true&resourceVersion=${oldRv}`);
    expect(res.status).toBe(200);
    const [first] = (await res.text()).trim().split('\n').map(line => JSON.parse(line));
    expect(first).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    // The current state is untouched.
    expect((await worker.call('GET', `${cms}/counter`)).body.data).toEqual({ n: '2' });
  });
});
