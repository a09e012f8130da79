// Pods placed by the scheduler, as a user sees it through the API: spec.nodeName, the PodScheduled
// condition, and the Scheduled / FailedScheduling events. Nodes are created with their status (allocatable,
// Ready) directly, so nothing here depends on the simulated kubelet.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { rfc3339 } from '../../src/util/time.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;

describe('scheduling', () => {
  let t: T;
  const clock = new ManualClock();
  const schedule = async () => { clock.advance(1000); await t.skiff.runtime.wake('default'); };

  const createNode = async (name: string, o: { cpu?: string; labels?: Record<string, string>; taints?: any[]; ready?: boolean } = {}) => {
    const ready = o.ready ?? true;
    const r = await t.request('POST', '/api/v1/nodes', { body: {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
      spec: o.taints ? { taints: o.taints } : {},
      status: {
        allocatable: { cpu: o.cpu ?? '2', memory: '4Gi', pods: '110' },
        capacity: { cpu: o.cpu ?? '2', memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'KubeletReady' : 'KubeletNotReady', message: ready ? 'kubelet is posting ready status' : 'container runtime is down',
          lastHeartbeatTime: rfc3339(clock.now()), lastTransitionTime: rfc3339(clock.now()) }],
      },
    } });
    expect(r.status).toBe(201);
  };

  const createPod = async (name: string, spec: Record<string, unknown> = {}, cpu = '500m') => {
    const r = await t.request('POST', '/api/v1/namespaces/default/pods', { body: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } },
      spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }], ...spec },
    } });
    expect(r.status).toBe(201);
  };

  const getPod = async (name: string) => (await t.request('GET', `/api/v1/namespaces/default/pods/${name}`)).body;
  const podScheduled = (pod: any) => pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
  const eventsAbout = async (name: string) =>
    ((await t.request('GET', '/api/v1/namespaces/default/events')).body.items as any[]).filter(e => e.involvedObject.name === name);

  beforeAll(async () => {
    t = await testSkiff({ clock });
    // These tests bring their own nodes: the cluster's simulated node pools go first.
    for (const pool of (await t.request('GET', '/apis/skiff.dev/v1alpha1/nodepools')).body?.items ?? []) {
      await t.request('DELETE', `/apis/skiff.dev/v1alpha1/nodepools/${pool.metadata.name}`);
    }
    await schedule();
    for (const node of (await t.request('GET', '/api/v1/nodes')).body.items) await t.request('DELETE', `/api/v1/nodes/${node.metadata.name}`);
    await schedule();
    expect((await t.request('GET', '/api/v1/nodes')).body.items).toEqual([]);
    await createNode('node-1', { labels: { disk: 'hdd' } });
    await createNode('node-2');
    await createNode('node-3');
  });
  afterAll(async () => { await t.close(); });

  it('binds a pending pod to a node, with PodScheduled=True and a Scheduled event', async () => {
    await createPod('web');
    await schedule();
    const pod = await getPod('web');
    expect(['node-1', 'node-2', 'node-3']).toContain(pod.spec.nodeName);
    expect(podScheduled(pod)).toMatchObject({ type: 'PodScheduled', status: 'True' });
    const events = await eventsAbout('web');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'Normal', reason: 'Scheduled', message: `Successfully assigned default/web to ${pod.spec.nodeName}`,
      source: { component: 'default-scheduler' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: pod.metadata.uid },
    });
  });

  it('places pods where their requests fit, counting what is already there', async () => {
    await createPod('hog-a', { nodeSelector: { disk: 'hdd' } }, '1500m');
    await schedule();
    expect((await getPod('hog-a')).spec.nodeName).toBe('node-1');
    // node-1 has 500m left at most: a 1-cpu pod pinned there cannot go.
    await createPod('pinned', { nodeSelector: { disk: 'hdd' } }, '1');
    await createPod('free', {}, '1');
    await schedule();
    expect((await getPod('free')).spec.nodeName).toMatch(/^node-[23]$/);
    const pinned = await getPod('pinned');
    expect(pinned.spec.nodeName).toBeUndefined();
    const message = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node affinity/selector. "
      + 'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.';
    expect(podScheduled(pinned)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const events = await eventsAbout('pinned');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', reason: 'FailedScheduling', message, count: 1, source: { component: 'default-scheduler' } });
  });

  it('does not rewrite the same condition and event while nothing changes', async () => {
    const before = await getPod('pinned');
    await schedule();
    await schedule();
    const after = await getPod('pinned');
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((await eventsAbout('pinned'))[0].count).toBe(1);
  });

  it('retries an unschedulable pod when resources are freed', async () => {
    expect((await t.request('DELETE', '/api/v1/namespaces/default/pods/hog-a')).status).toBe(200);
    // Assigned pods get a grace period; the kubelet would finish the deletion. Do it for it.
    await t.request('DELETE', '/api/v1/namespaces/default/pods/hog-a', { body: { gracePeriodSeconds: 0 } });
    await schedule();
    const pinned = await getPod('pinned');
    expect(pinned.spec.nodeName).toBe('node-1');
    expect(podScheduled(pinned)).toMatchObject({ status: 'True' });
  });

  it('places a pending pod once a node that fits appears', async () => {
    await createPod('huge', {}, '16');
    await schedule();
    const pending = await getPod('huge');
    expect(podScheduled(pending)).toMatchObject({
      status: 'False', reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    });
    await createNode('big', { cpu: '32' });
    await schedule();
    const placed = await getPod('huge');
    expect(placed.spec.nodeName).toBe('big');
    expect(podScheduled(placed)).toMatchObject({ status: 'True' });
    expect((await eventsAbout('huge')).map(e => e.reason).sort()).toEqual(['FailedScheduling', 'Scheduled']);
  });

  it('keeps pods off nodes that are not ready, through their taints', async () => {
    await createNode('sick', { cpu: '64', labels: { pool: 'sick' }, ready: false, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] });
    await createPod('patient', { nodeSelector: { pool: 'sick' } });
    await schedule();
    expect(podScheduled(await getPod('patient'))).toMatchObject({
      status: 'False', reason: 'Unschedulable',
      message: "0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 4 node(s) didn't match Pod's node affinity/selector. "
        + 'preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    });
  });

  it('leaves alone pods for another scheduler and pods with scheduling gates', async () => {
    await createPod('elsewhere', { schedulerName: 'my-scheduler' });
    await createPod('gated', { schedulingGates: [{ name: 'example.com/wait' }] });
    await schedule();
    const elsewhere = await getPod('elsewhere');
    expect(elsewhere.spec.nodeName).toBeUndefined();
    expect(podScheduled(elsewhere)).toBeUndefined();
    expect(await eventsAbout('elsewhere')).toEqual([]);
    const gated = await getPod('gated');
    expect(gated.spec.nodeName).toBeUndefined();
    expect(podScheduled(gated)).toMatchObject({ status: 'False', reason: 'SchedulingGated' });
    // Lifting the gate hands the pod to the scheduler.
    const lifted = await t.request('PATCH', '/api/v1/namespaces/default/pods/gated', {
      raw: JSON.stringify({ spec: { schedulingGates: null } }), contentType: 'application/merge-patch+json',
    });
    expect(lifted.status).toBe(200);
    await schedule();
    expect((await getPod('gated')).spec.nodeName).toBeDefined();
  });

  it('spreads pods with required anti-affinity over nodes, one per node', async () => {
    const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: { role: 'replica' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const names = ['r-0', 'r-1', 'r-2', 'r-3', 'r-4'];
    for (const name of names) {
      const r = await t.request('POST', '/api/v1/namespaces/default/pods', { body: {
        apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { role: 'replica' } },
        spec: { containers: [{ name: 'app', image: 'nginx' }], affinity },
      } });
      expect(r.status).toBe(201);
    }
    await schedule();
    const pods = await Promise.all(names.map(getPod));
    const placed = pods.filter(p => p.spec.nodeName);
    // Four usable nodes (the fifth is not ready): four replicas, each on its own node.
    expect(new Set(placed.map(p => p.spec.nodeName)).size).toBe(4);
    const left = pods.filter(p => !p.spec.nodeName);
    expect(left).toHaveLength(1);
    expect(podScheduled(left[0]).message).toBe(
      "0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 4 node(s) didn't match pod anti-affinity rules. "
      + 'preemption: 0/5 nodes are available: 1 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.',
    );
  });
});
