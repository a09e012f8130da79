// The REST API's semantics as a client sees them, through the HTTP app in-process.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;

const cm = (name: string, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });
const CM = '/api/v1/namespaces/default/configmaps';

describe('REST verbs', () => {
  let t: T;
  beforeAll(async () => { t = await testSkiff(); });
  afterAll(async () => { await t.close(); });

  it('creates with the server-owned fields and reads it back', async () => {
    const r = await t.request('POST', CM, { body: cm('one') });
    expect(r.status).toBe(201);
    const m = r.body.metadata;
    expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(m.resourceVersion)).toBeGreaterThan(0);
    expect(m.namespace).toBe('default');
    const got = await t.request('GET', `${CM}/one`);
    expect(got.body).toEqual(r.body);
  });

  it('names objects from generateName', async () => {
    const r = await t.request('POST', CM, { body: { ...cm(''), metadata: { generateName: 'gen-' } } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('answers NotFound, AlreadyExists and Conflict as Kubernetes does', async () => {
    const missing = await t.request('GET', `${CM}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'configmaps "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404,
    });
    await t.request('POST', CM, { body: cm('dup') });
    const again = await t.request('POST', CM, { body: cm('dup') });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('AlreadyExists');
    expect(again.body.message).toBe('configmaps "dup" already exists');
    const current = (await t.request('GET', `${CM}/dup`)).body;
    const ok = await t.request('PUT', `${CM}/dup`, { body: { ...current, data: { a: '2' } } });
    expect(ok.status).toBe(200);
    const stale = await t.request('PUT', `${CM}/dup`, { body: { ...current, data: { a: '3' } } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toBe('Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again');
    expect((await t.request('GET', `${CM}/dup`)).body.data).toEqual({ a: '2' });
  });

  it('does not write an update that changes nothing', async () => {
    const created = (await t.request('POST', CM, { body: cm('same') })).body;
    const r = await t.request('PUT', `${CM}/same`, { body: created });
    expect(r.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('applies JSON, merge and strategic merge patches', async () => {
    await t.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('p') });
    const url = '/apis/apps/v1/namespaces/default/deployments/p';
    let r = await t.request('PATCH', url, { raw: JSON.stringify([{ op: 'replace', path: '/spec/replicas', value: 4 }]), contentType: 'application/json-patch+json' });
    expect(r.body.spec.replicas).toBe(4);
    r = await t.request('PATCH', url, { raw: JSON.stringify({ metadata: { labels: { x: 'y' } } }), contentType: 'application/merge-patch+json' });
    expect(r.body.metadata.labels).toEqual({ app: 'p', x: 'y' });
    r = await t.request('PATCH', url, {
      raw: JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }] }] } } } }),
      contentType: 'application/strategic-merge-patch+json',
    });
    const container = r.body.spec.template.spec.containers[0];
    expect(container.image).toBe('nginx');
    expect(container.env).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    expect(r.body.metadata.generation).toBe(3);
    const failed = await t.request('PATCH', url, { raw: JSON.stringify([{ op: 'test', path: '/spec/replicas', value: 9 }]), contentType: 'application/json-patch+json' });
    expect(failed.status).toBe(422);
  });

  it('keeps spec and status apart (main resource vs status subresource)', async () => {
    const url = '/apis/apps/v1/namespaces/default/deployments/s';
    await t.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: { ...deployment('s'), status: { replicas: 7 } } });
    let d = (await t.request('GET', url)).body;
    expect(d.status?.replicas ?? 0).toBe(0);
    d = (await t.request('PUT', `${url}/status`, { body: { ...d, spec: { ...d.spec, replicas: 9 }, status: { replicas: 2 } } })).body;
    expect(d.status.replicas).toBe(2);
    expect(d.spec.replicas).toBe(1);
    expect(d.metadata.generation).toBe(1);
    d = (await t.request('PUT', url, { body: { ...d, spec: { ...d.spec, replicas: 3 }, status: { replicas: 0 } } })).body;
    expect(d.status.replicas).toBe(2);
    expect(d.metadata.generation).toBe(2);
  });

  it('serves the scale subresource', async () => {
    const url = '/apis/apps/v1/namespaces/default/deployments/sc';
    await t.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('sc') });
    const scale = await t.request('PATCH', `${url}/scale`, { raw: '{"spec":{"replicas":3}}', contentType: 'application/merge-patch+json' });
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { replicas: 0, selector: 'app=sc' } });
    expect((await t.request('GET', url)).body.spec.replicas).toBe(3);
    const negative = await t.request('PUT', `${url}/scale`, { body: { ...scale.body, spec: { replicas: -1 } } });
    expect(negative.status).toBe(422);
  });

  it('never stores anything under dryRun=All', async () => {
    const created = await t.request('POST', `${CM}?dryRun=All`, { body: cm('dry') });
    expect(created.status).toBe(201);
    expect((await t.request('GET', `${CM}/dry`)).status).toBe(404);
    await t.request('POST', CM, { body: cm('dry2') });
    const rv = (await t.request('GET', `${CM}/dry2`)).body.metadata.resourceVersion;
    await t.request('PATCH', `${CM}/dry2?dryRun=All`, { raw: '{"data":{"a":"9"}}', contentType: 'application/merge-patch+json' });
    await t.request('DELETE', `${CM}/dry2?dryRun=All`);
    const after = (await t.request('GET', `${CM}/dry2`)).body;
    expect(after.data).toEqual({ a: '1' });
    expect(after.metadata.resourceVersion).toBe(rv);
  });

  it('honours finalizers and delete preconditions', async () => {
    await t.request('POST', CM, { body: cm('fin', { finalizers: ['example.com/hold'] }) });
    const wrongUid = await t.request('DELETE', `${CM}/fin`, { body: { preconditions: { uid: 'nope' } } });
    expect(wrongUid.status).toBe(409);
    const del = await t.request('DELETE', `${CM}/fin`);
    expect(del.status).toBe(200);
    expect(del.body.metadata.deletionTimestamp).toBeDefined();
    expect((await t.request('GET', `${CM}/fin`)).status).toBe(200);
    await t.request('PATCH', `${CM}/fin`, { raw: '{"metadata":{"finalizers":null}}', contentType: 'application/merge-patch+json' });
    expect((await t.request('GET', `${CM}/fin`)).status).toBe(404);
  });

  it('deletes a collection by label', async () => {
    for (const n of ['dc1', 'dc2', 'dc3']) await t.request('POST', CM, { body: cm(n, { labels: { group: n === 'dc3' ? 'keep' : 'drop' } }) });
    const r = await t.request('DELETE', `${CM}?labelSelector=group%3Ddrop`);
    expect(r.body.items.map((i: any) => i.metadata.name).sort()).toEqual(['dc1', 'dc2']);
    const left = await t.request('GET', `${CM}?labelSelector=group`);
    expect(left.body.items.map((i: any) => i.metadata.name)).toEqual(['dc3']);
  });
});

describe('lists', () => {
  let t: T;
  beforeAll(async () => {
    t = await testSkiff();
    for (let i = 0; i < 7; i++) {
      await t.request('POST', CM, { body: cm(`l${i}`, { labels: { tier: i % 2 ? 'odd' : 'even', n: String(i) } }) });
    }
  });
  afterAll(async () => { await t.close(); });

  it('pages with limit and continue', async () => {
    const names: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const r = await t.request('GET', `${CM}?labelSelector=n&limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      names.push(...r.body.items.map((i: any) => i.metadata.name));
      token = r.body.metadata.continue ?? '';
      pages++;
    } while (token);
    expect(names).toEqual(['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6']);
    expect(pages).toBe(3);
  });

  it('selects by set-based labels and by fields', async () => {
    const q = async (s: string) => (await t.request('GET', `${CM}?${s}`)).body.items.map((i: any) => i.metadata.name);
    expect(await q('labelSelector=tier%20in%20(odd),n!%3D3')).toEqual(['l1', 'l5']);
    expect(await q('labelSelector=tier%20notin%20(odd),n')).toEqual(['l0', 'l2', 'l4', 'l6']);
    expect(await q('labelSelector=!n')).toEqual([]);
    expect(await q('fieldSelector=metadata.name%3Dl4')).toEqual(['l4']);
    expect(await q('fieldSelector=metadata.name!%3Dl4&labelSelector=tier%3Deven')).toEqual(['l0', 'l2', 'l6']);
    const bad = await t.request('GET', `${CM}?fieldSelector=spec.nope%3D1`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('field label not supported: spec.nope');
    expect((await t.request('GET', `${CM}?labelSelector=a%20in%20(`)).status).toBe(400);
  });

  it('renders a Table with kubectl columns and PartialObjectMetadata rows', async () => {
    const r = await t.request('GET', `${CM}?limit=2`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(r.body.kind).toBe('Table');
    expect(r.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(r.body.columnDefinitions[0].format).toBe('name');
    expect(r.body.rows[0].cells[0]).toBe('l0');
    expect(r.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    expect(r.body.metadata.continue).toBeTruthy();
    const pods = await t.request('GET', '/api/v1/namespaces/default/pods', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(pods.body.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(pods.body.columnDefinitions.filter((c: any) => c.priority === 1).map((c: any) => c.name)).toEqual(['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  });
});

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: '1' }] }] } },
    },
  };
}
