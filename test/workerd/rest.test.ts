// The Kubernetes REST API of the Worker bundle, served by workerd over D1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startWorker, type RunningWorker } from './harness.ts';

let worker: RunningWorker;
beforeAll(async () => { worker = await startWorker(); });
afterAll(async () => { await worker?.dispose(); });

const NS = `${API}/api/v1/namespaces`;
const configMap = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

describe('the Worker in workerd', () => {
  it('is bundled with the D1 driver and without Node-only code', () => {
    const { inputs } = worker.build;
    expect(inputs).toContain('src/worker.ts');
    expect(inputs).toContain('src/db/drivers/d1.ts');
    expect(inputs.filter(i => /@libsql|libsql\.ts|src\/node\.ts|src\/server\//.test(i))).toEqual([]);
  });

  it('refuses requests without a valid bearer token', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong-token' }] as Record<string, string>[]) {
      const res = await fetch(new URL(NS, worker.url), { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
  });

  it('creates, reads, updates, patches and deletes a ConfigMap', async () => {
    const ns = await worker.call('POST', NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crud' } });
    expect(ns.status).toBe(201);
    const cms = `${NS}/crud/configmaps`;

    const created = await worker.call('POST', cms, configMap('settings', { color: 'blue' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'crud' }, data: { color: 'blue' } });
    const rv1 = created.body.metadata.resourceVersion;
    expect(rv1).toMatch(/^\d+$/);

    const got = await worker.call('GET', `${cms}/settings`);
    expect(got.status).toBe(200);
    expect(got.body.metadata).toMatchObject({ resourceVersion: rv1, uid: created.body.metadata.uid });
    expect(got.body.data).toEqual({ color: 'blue' });

    // An update naming the current resourceVersion applies; one naming a stale version is a conflict.
    const updated = await worker.call('PUT', `${cms}/settings`, { ...got.body, data: { color: 'green' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ color: 'green' });
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv1));
    const stale = await worker.call('PUT', `${cms}/settings`, { ...got.body, data: { color: 'red' } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409,
      details: { name: 'settings', kind: 'configmaps' },
    });
    expect(stale.body.message).toContain('the object has been modified');
    expect((await worker.call('GET', `${cms}/settings`)).body.data).toEqual({ color: 'green' });

    // A merge patch merges maps and removes keys set to null.
    const merged = await worker.call('PATCH', `${cms}/settings`, { data: { size: 'large', color: null } }, 'application/merge-patch+json');
    expect(merged.status).toBe(200);
    expect(merged.body.data).toEqual({ size: 'large' });

    // A strategic merge patch understands directives such as `$patch: replace`.
    const strategic = await worker.call('PATCH', `${cms}/settings`, { data: { $patch: 'replace', shape: 'round' } }, 'application/strategic-merge-patch+json');
    expect(strategic.status).toBe(200);
    expect(strategic.body.data).toEqual({ shape: 'round' });
    expect((await worker.call('GET', `${cms}/settings`)).body.data).toEqual({ shape: 'round' });

    const deleted = await worker.call('DELETE', `${cms}/settings`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'settings', kind: 'configmaps' } });
    const gone = await worker.call('GET', `${cms}/settings`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404,
      message: 'configmaps "settings" not found', details: { name: 'settings', kind: 'configmaps' },
    });
  });

  it('lists by label selector, in pages joined by continue tokens', async () => {
    await worker.call('POST', NS, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lists' } });
    const cms = `${NS}/lists/configmaps`;
    for (let i = 0; i < 5; i++) {
      const r = await worker.call('POST', cms, configMap(`app-${i}`, { i: String(i) }, { app: 'web', tier: i % 2 ? 'back' : 'front' }));
      expect(r.status).toBe(201);
    }
    await worker.call('POST', cms, configMap('other', {}, { app: 'db' }));

    const names = (list: any) => list.items.map((i: any) => i.metadata.name);
    const web = await worker.call('GET', `${cms}?labelSelector=${encodeURIComponent('app=web')}`);
    expect(web.body.kind).toBe('ConfigMapList');
    expect(names(web.body)).toEqual(['app-0', 'app-1', 'app-2', 'app-3', 'app-4']);
    const front = await worker.call('GET', `${cms}?labelSelector=${encodeURIComponent('app=web,tier in (front)')}`);
    expect(names(front.body)).toEqual(['app-0', 'app-2', 'app-4']);

    // Pages of two; a change between pages does not show in the later pages (they are as of the first).
    const page1 = await worker.call('GET', `${cms}?labelSelector=app%3Dweb&limit=2`);
    expect(names(page1.body)).toEqual(['app-0', 'app-1']);
    expect(page1.body.metadata.continue).toBeTruthy();
    await worker.call('PATCH', `${cms}/app-3`, { data: { changed: 'yes' } }, 'application/merge-patch+json');
    const page2 = await worker.call('GET', `${cms}?labelSelector=app%3Dweb&limit=2&continue=${encodeURIComponent(page1.body.metadata.continue)}`);
    expect(names(page2.body)).toEqual(['app-2', 'app-3']);
    expect(page2.body.items[1].data).toEqual({ i: '3' });
    expect(page2.body.metadata.resourceVersion).toBe(page1.body.metadata.resourceVersion);
    const page3 = await worker.call('GET', `${cms}?labelSelector=app%3Dweb&limit=2&continue=${encodeURIComponent(page2.body.metadata.continue)}`);
    expect(names(page3.body)).toEqual(['app-4']);
    expect(page3.body.metadata.continue).toBeFalsy();
  });

  it('serves aggregated discovery', async () => {
    const res = await worker.fetch(`${API}/apis`, {
      headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;q=0.9' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const body = await res.json() as any;
    expect(body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const apps = body.items.find((g: any) => g.metadata.name === 'apps');
    expect(apps.versions[0].resources.map((r: any) => r.resource)).toContain('deployments');
  });
});
