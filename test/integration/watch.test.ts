// Watch semantics: exactly once and in order, selector transitions, WatchList, compaction, Tables.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;
const CM = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

async function revision(t: T): Promise<string> {
  return (await t.request('GET', `${CM}?limit=1`)).body.metadata.resourceVersion;
}

describe('watch', () => {
  let t: T;
  beforeAll(async () => {
    t = await testSkiff({ watchSettings: { bookmarkIntervalMs: 100, defaultTimeoutMs: 60_000 } });
  });
  afterAll(async () => { await t.close(); });

  it('sees every change after a resourceVersion exactly once, in order, under concurrent writers', async () => {
    const from = await revision(t);
    const abort = new AbortController();
    const w = await t.watch(`${CM}?watch=true&resourceVersion=${from}`, abort.signal);
    expect(w.status).toBe(200);
    const writers = Array.from({ length: 8 }, (_, i) => (async () => {
      const name = `race-${i}`;
      await t.request('POST', CM, { body: cm(name) });
      for (let n = 0; n < 10; n++) {
        await t.request('PATCH', `${CM}/${name}`, { raw: JSON.stringify({ data: { n: String(n) } }), contentType: 'application/merge-patch+json' });
      }
      await t.request('DELETE', `${CM}/${name}`);
    })());
    await Promise.all(writers);
    const expected = (await t.skiff.store.changesAfter(Number(from), { cluster: 'default', group: '', resource: 'configmaps', namespace: 'default' }, 10_000)).changes;
    expect(expected).toHaveLength(8 * 12);
    const seen: { type: string; rv: number; name: string }[] = [];
    while (seen.length < expected.length) {
      const e = await w.next();
      seen.push({ type: e.type, rv: Number(e.object.metadata.resourceVersion), name: e.object.metadata.name });
    }
    abort.abort();
    expect(seen).toEqual(expected.map(c => ({ type: c.type, rv: c.rv, name: c.name })));
  });

  it('turns selector transitions into ADDED and DELETED', async () => {
    const from = await revision(t);
    const abort = new AbortController();
    const w = await t.watch(`${CM}?watch=true&resourceVersion=${from}&labelSelector=team%3Dblue`, abort.signal);
    await t.request('POST', CM, { body: cm('sel', { team: 'red' }) });
    await t.request('PATCH', `${CM}/sel`, { raw: '{"metadata":{"labels":{"team":"blue"}}}', contentType: 'application/merge-patch+json' });
    await t.request('PATCH', `${CM}/sel`, { raw: '{"data":{"x":"1"}}', contentType: 'application/merge-patch+json' });
    await t.request('PATCH', `${CM}/sel`, { raw: '{"metadata":{"labels":{"team":"red"}}}', contentType: 'application/merge-patch+json' });
    const events = [await w.next(), await w.next(), await w.next()];
    abort.abort();
    expect(events.map(e => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[2].object.metadata.labels.team).toBe('red');
  });

  it('serves WatchList: the initial state, then the initial-events-end bookmark, then changes', async () => {
    await t.request('POST', CM, { body: cm('wl-1', { wl: 'y' }) });
    await t.request('POST', CM, { body: cm('wl-2', { wl: 'y' }) });
    const abort = new AbortController();
    const w = await t.watch(`${CM}?watch=true&labelSelector=wl&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30`, abort.signal);
    const initial = [await w.next(), await w.next()];
    expect(initial.map(e => [e.type, e.object.metadata.name]).sort()).toEqual([['ADDED', 'wl-1'], ['ADDED', 'wl-2']]);
    const end = await w.next();
    expect(end.type).toBe('BOOKMARK');
    expect(end.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } });
    await t.request('DELETE', `${CM}/wl-1`);
    let next = await w.next();
    while (next.type === 'BOOKMARK') next = await w.next();
    abort.abort();
    expect([next.type, next.object.metadata.name]).toEqual(['DELETED', 'wl-1']);
  });

  it('rejects WatchList parameters used wrongly', async () => {
    const r = await t.request('GET', `${CM}?watch=true&sendInitialEvents=true`);
    expect(r.status).toBe(400);
  });

  it('sends periodic bookmarks when allowed and ends at timeoutSeconds', async () => {
    const abort = new AbortController();
    const w = await t.watch(`${CM}?watch=true&resourceVersion=${await revision(t)}&allowWatchBookmarks=true&timeoutSeconds=1`, abort.signal);
    const e = await w.next();
    expect(e.type).toBe('BOOKMARK');
    expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(0);
    const started = Date.now();
    while ((await w.next()) !== undefined) { /* until the server ends the stream */ }
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('streams Table events with the column definitions once', async () => {
    const abort = new AbortController();
    const res = await t.skiff.app.request(`https://skiff.test/clusters/default${CM}?watch=true&resourceVersion=${await revision(t)}`, {
      headers: { authorization: 'Bearer test-token', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' }, signal: abort.signal,
    });
    await t.request('POST', CM, { body: cm('tw') });
    await t.request('DELETE', `${CM}/tw`);
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const [first, second] = text.split('\n').filter(Boolean).map(l => JSON.parse(l));
    expect(first.type).toBe('ADDED');
    expect(first.object.kind).toBe('Table');
    expect(first.object.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(first.object.rows[0].cells[0]).toBe('tw');
    expect(second.type).toBe('DELETED');
    expect(second.object.columnDefinitions).toBeNull();
  });

  it('answers a compacted resourceVersion with 410 Expired', async () => {
    const old = await revision(t);
    await t.request('POST', CM, { body: cm('compact-me') });
    await t.request('PATCH', `${CM}/compact-me`, { raw: '{"data":{"v":"2"}}', contentType: 'application/merge-patch+json' });
    const now = Date.now();
    await t.skiff.store.compact(now, 1000);
    await t.request('PATCH', `${CM}/compact-me`, { raw: '{"data":{"v":"3"}}', contentType: 'application/merge-patch+json' });
    await t.skiff.store.compact(now + 2000, 1000);
    const abort = new AbortController();
    const w = await t.watch(`${CM}?watch=true&resourceVersion=${old}`, abort.signal);
    const e = await w.next();
    abort.abort();
    expect(e.type).toBe('ERROR');
    expect(e.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(e.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    // A list continue token from before the compaction expires too.
    const exact = await t.request('GET', `${CM}?resourceVersion=${old}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(410);
  });
});
