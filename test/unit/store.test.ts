import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { libsqlFileDriver } from '../../src/db/drivers/libsql-file.ts';
import { threadedFileDriver } from '../../src/db/drivers/libsql-threaded.ts';
import type { SqlDriver } from '../../src/db/driver.ts';
import { migrate } from '../../src/db/migrate.ts';
import { migrations } from '../../src/db/migrations.gen.ts';
import { Store, CompactedError, type Key } from '../../src/db/store.ts';

const key = (name: string, namespace = 'default'): Key => ({ cluster: 'c1', group: '', resource: 'pods', namespace, name });
const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default') =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels } });
const scope = { cluster: 'c1', group: '', resource: 'pods' };

// The writer thread runs from the Node build (the test run's global setup makes it).
const WRITER = new URL('../../dist/db-writer.js', import.meta.url);
const drivers: [string, (path: string) => SqlDriver][] = [
  ['in-thread file driver', libsqlFileDriver],
  ['threaded file driver', path => threadedFileDriver(path, WRITER)],
];

describe.each(drivers)('store over the %s', (_, openDriver) => {
  let store: Store;
  beforeEach(async () => {
    const driver = openDriver(join(mkdtempSync(join(tmpdir(), 'skiff-store-')), 'db.sqlite'));
    await migrate(driver);
    store = new Store(driver, { coalesceWrites: true });
  });
  afterEach(async () => { await store.close(); });

  it('creates once and rejects a second create of the same key', async () => {
    const rv = await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') });
    expect(rv).toBeGreaterThan(0);
    expect(await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') })).toBeNull();
    const got = await store.get(key('a'));
    expect(got?.object.metadata.resourceVersion).toBe(String(rv));
  });

  it('applies an update only against the current resourceVersion', async () => {
    const rv1 = (await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') }))!;
    const rv2 = await store.write({ key: key('a'), type: 'MODIFIED', prevRv: rv1, object: pod('a', { v: '2' }) });
    expect(rv2).toBeGreaterThan(rv1);
    expect(await store.write({ key: key('a'), type: 'MODIFIED', prevRv: rv1, object: pod('a', { v: 'stale' }) })).toBeNull();
    expect((await store.get(key('a')))?.object.metadata.labels).toEqual({ v: '2' });
  });

  it('keeps coalesced writes independent: one stale write does not fail its batch', async () => {
    const rv1 = (await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') }))!;
    const results = await Promise.all([
      store.write({ key: key('a'), type: 'MODIFIED', prevRv: rv1, object: pod('a', { n: '1' }) }),
      store.write({ key: key('a'), type: 'MODIFIED', prevRv: rv1, object: pod('a', { n: '2' }) }),
      store.write({ key: key('b'), type: 'ADDED', prevRv: null, object: pod('b') }),
    ]);
    expect(results.filter(r => r !== null)).toHaveLength(2);
    expect(results[2]).not.toBeNull();
  });

  it('deletes, and the key can be created again', async () => {
    const rv1 = (await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') }))!;
    expect(await store.write({ key: key('a'), type: 'DELETED', prevRv: rv1, object: pod('a') })).not.toBeNull();
    expect(await store.get(key('a'))).toBeUndefined();
    expect(await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') })).not.toBeNull();
  });

  it('pages through a list consistently while it changes', async () => {
    for (const n of ['a', 'b', 'c', 'd']) await store.write({ key: key(n), type: 'ADDED', prevRv: null, object: pod(n, { gen: '1' }) });
    const first = await store.list(scope, { limit: 2 });
    expect(first.items.map(i => i.object.metadata.name)).toEqual(['a', 'b']);
    // After the first page: change c, delete d, add e.
    const c = (await store.get(key('c')))!;
    await store.write({ key: key('c'), type: 'MODIFIED', prevRv: c.rv, object: pod('c', { gen: '2' }) });
    const d = (await store.get(key('d')))!;
    await store.write({ key: key('d'), type: 'DELETED', prevRv: d.rv, object: pod('d') });
    await store.write({ key: key('e'), type: 'ADDED', prevRv: null, object: pod('e') });
    const second = await store.list(scope, { limit: 2, after: first.next, atRv: first.rv });
    expect(second.rv).toBe(first.rv);
    expect(second.items.map(i => [i.object.metadata.name, i.object.metadata.labels.gen])).toEqual([['c', '1'], ['d', '1']]);
    expect(second.next).toBeUndefined();
  });

  it('selects by label through the index and by a filter', async () => {
    await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a', { app: 'web', tier: 'x' }) });
    await store.write({ key: key('b'), type: 'ADDED', prevRv: null, object: pod('b', { app: 'db' }) });
    await store.write({ key: key('c', 'other'), type: 'ADDED', prevRv: null, object: pod('c', { app: 'web' }, 'other') });
    const web = await store.list(scope, { label: { key: 'app', values: ['web'] } });
    expect(web.items.map(i => i.object.metadata.name)).toEqual(['a', 'c']); // by namespace, then name
    const inDefault = await store.list({ ...scope, namespace: 'default' }, { label: { key: 'app', values: ['web', 'db'] }, filter: o => o.metadata.name !== 'b' });
    expect(inDefault.items.map(i => i.object.metadata.name)).toEqual(['a']);
    // Relabelling moves the index entry.
    const a = (await store.get(key('a')))!;
    await store.write({ key: key('a'), type: 'MODIFIED', prevRv: a.rv, object: pod('a', { app: 'db' }) });
    expect((await store.list(scope, { label: { key: 'app', values: ['web'] } })).items.map(i => i.object.metadata.name)).toEqual(['c']);
  });

  it('reports every change after a resourceVersion, in order, until compaction drops it', async () => {
    const start = await store.revision();
    const rv1 = (await store.write({ key: key('a'), type: 'ADDED', prevRv: null, object: pod('a') }))!;
    const rv2 = (await store.write({ key: key('a'), type: 'MODIFIED', prevRv: rv1, object: pod('a', { x: '1' }) }))!;
    await store.write({ key: key('a'), type: 'DELETED', prevRv: rv2, object: pod('a', { x: '1' }) });
    const { changes } = await store.changesAfter(start, scope);
    expect(changes.map(c => c.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(changes.map(c => c.rv)).toEqual([...changes.map(c => c.rv)].sort((x, y) => x - y));

    await store.write({ key: key('b'), type: 'ADDED', prevRv: null, object: pod('b') });
    const t0 = 1_000_000;
    await store.compact(t0, 60_000);                       // records a checkpoint
    const r = await store.compact(t0 + 61_000, 60_000);     // the checkpoint is now outside the window
    expect(r.compactedRv).toBeGreaterThan(start);
    await expect(store.changesAfter(start, scope)).rejects.toBeInstanceOf(CompactedError);
    // Current objects survive compaction.
    expect((await store.get(key('b')))?.object.metadata.name).toBe('b');
    await expect(store.list(scope, { atRv: start + 1 })).rejects.toBeInstanceOf(CompactedError);
  });

  it('keeps the label index right for objects written before the labels column existed', async () => {
    const driver = openDriver(join(mkdtempSync(join(tmpdir(), 'skiff-upgrade-')), 'db.sqlite'));
    // A database as the first release left it: the first two migrations, and an object written then.
    const first = migrations.slice(0, 2);
    await driver.batch([{ sql: 'CREATE TABLE IF NOT EXISTS skiff_migrations (name TEXT PRIMARY KEY NOT NULL)', args: [] }]);
    for (const m of first) {
      await driver.batch([...m.statements.map(sql => ({ sql, args: [] })), { sql: 'INSERT INTO skiff_migrations (name) VALUES (?)', args: [m.name] }]);
    }
    await driver.batch([{ sql: "INSERT INTO changes (cluster, grp, resource, namespace, name, type, prev_rv, object) VALUES ('c1', '', 'pods', 'default', 'old', 'ADDED', NULL, ?)", args: [JSON.stringify(pod('old', { app: 'web' }))] }]);
    await migrate(driver);
    const upgraded = new Store(driver);
    const select = async (value: string) => (await upgraded.list(scope, { label: { key: 'app', values: [value] } })).items.map(i => i.object.metadata.name);
    expect(await select('web')).toEqual(['old']);
    const old = (await upgraded.get(key('old')))!;
    await upgraded.write({ key: key('old'), type: 'MODIFIED', prevRv: old.rv, object: pod('old', { app: 'db' }) });
    expect(await select('web')).toEqual([]);
    expect(await select('db')).toEqual(['old']);
    await upgraded.close();
  });
});
