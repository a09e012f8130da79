// Deletion as a cluster carries it out: namespace termination and garbage collection by owner.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;
const cm = (name: string, namespace = 'default', extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...extra } });

describe('deletion', () => {
  let t: T;
  const clock = new ManualClock();
  /** Runs reconcile passes the way the cron would, a few seconds apart. */
  const reconcile = async (passes = 4) => {
    for (let i = 0; i < passes; i++) { clock.advance(2000); await t.skiff.runtime.wake('default'); }
  };
  beforeAll(async () => { t = await testSkiff({ clock }); });
  afterAll(async () => { await t.close(); });

  it('terminates a namespace: content first, then the namespace', async () => {
    await t.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } } });
    // A finalizer on the content holds the namespace in Terminating until it is lifted.
    await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: cm('inside', 'doomed', { finalizers: ['example.com/hold'] }) });
    const del = await t.request('DELETE', '/api/v1/namespaces/doomed');
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe('Terminating');
    expect(del.body.spec.finalizers).toEqual(['kubernetes']);
    const refused = await t.request('POST', '/api/v1/namespaces/doomed/configmaps', { body: cm('late', 'doomed') });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    await reconcile();
    const held = await t.request('GET', '/api/v1/namespaces/doomed/configmaps/inside');
    expect(held.body.metadata.deletionTimestamp).toBeDefined();
    expect((await t.request('GET', '/api/v1/namespaces/doomed')).body.status.phase).toBe('Terminating');
    await t.request('PATCH', '/api/v1/namespaces/doomed/configmaps/inside', { raw: '{"metadata":{"finalizers":null}}', contentType: 'application/merge-patch+json' });
    await reconcile();
    expect((await t.request('GET', '/api/v1/namespaces/doomed/configmaps/inside')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });

  it('refuses to delete the system namespaces', async () => {
    const r = await t.request('DELETE', '/api/v1/namespaces/kube-system');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });

  it('collects dependents of a deleted owner (background)', async () => {
    const owner = (await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('owner-bg') })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-bg', uid: owner.metadata.uid };
    await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('dep-bg', 'default', { ownerReferences: [ref] }) });
    await t.request('DELETE', '/api/v1/namespaces/default/configmaps/owner-bg', { body: { propagationPolicy: 'Background' } });
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/owner-bg')).status).toBe(404);
    await reconcile();
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/dep-bg')).status).toBe(404);
  });

  it('leaves events alone, owner or not (events are outside the collector, as in kube-controller-manager)', async () => {
    const owner = (await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('owner-ev') })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-ev', uid: owner.metadata.uid };
    const event = {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'owned-event', namespace: 'default', ownerReferences: [ref] },
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-ev', namespace: 'default' }, reason: 'Test', message: 'kept', type: 'Normal',
    };
    expect((await t.request('POST', '/api/v1/namespaces/default/events', { body: event })).status).toBe(201);
    await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('dep-ev', 'default', { ownerReferences: [ref] }) });
    await t.request('DELETE', '/api/v1/namespaces/default/configmaps/owner-ev');
    await reconcile();
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/dep-ev')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/namespaces/default/events/owned-event')).body.message).toBe('kept');
  });

  it('deletes dependents before the owner (foreground)', async () => {
    const owner = (await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('owner-fg') })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-fg', uid: owner.metadata.uid, blockOwnerDeletion: true };
    await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('dep-fg', 'default', { ownerReferences: [ref] }) });
    const del = await t.request('DELETE', '/api/v1/namespaces/default/configmaps/owner-fg', { body: { propagationPolicy: 'Foreground' } });
    expect(del.body.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(del.body.metadata.deletionTimestamp).toBeDefined();
    await reconcile();
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/dep-fg')).status).toBe(404);
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/owner-fg')).status).toBe(404);
  });

  it('leaves dependents behind without their owner reference (orphan)', async () => {
    const owner = (await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('owner-or') })).body;
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner-or', uid: owner.metadata.uid };
    await t.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('dep-or', 'default', { ownerReferences: [ref] }) });
    await t.request('DELETE', '/api/v1/namespaces/default/configmaps/owner-or', { body: { propagationPolicy: 'Orphan' } });
    await reconcile();
    expect((await t.request('GET', '/api/v1/namespaces/default/configmaps/owner-or')).status).toBe(404);
    const dep = await t.request('GET', '/api/v1/namespaces/default/configmaps/dep-or');
    expect(dep.status).toBe(200);
    expect(dep.body.metadata.ownerReferences).toBeUndefined();
  });
});
