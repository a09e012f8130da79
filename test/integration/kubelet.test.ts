// The simulated kubelet as a user sees it: a simulated node registers and heartbeats; pods bound to it
// start, get addresses, become ready, crash-loop, complete and terminate, with the kubelet's events.
// The clock is moved by hand; pods are bound by setting spec.nodeName (no scheduler involved).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;

const NODES = '/api/v1/nodes';
const PODS = '/api/v1/namespaces/default/pods';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const merge = 'application/merge-patch+json';
const START = Date.parse('2026-03-01T10:00:00Z');

describe('simulated kubelet', () => {
  let t: T;
  const clock = new ManualClock(START);
  /** Moves the clock in steps, with a reconcile pass after each, as the runtime's requeues would. */
  const run = async (ms: number, step = 1000) => {
    for (let done = 0; done < ms; done += step) { clock.advance(Math.min(step, ms - done)); await t.skiff.runtime.wake('default'); }
  };
  const get = async (path: string) => (await t.request('GET', path)).body;
  const pod = (name: string) => get(`${PODS}/${name}`);
  const condition = (obj: any, type: string) => obj.status?.conditions?.find((c: any) => c.type === type);
  const container = (p: any, name: string) => [...p.status?.initContainerStatuses ?? [], ...p.status?.containerStatuses ?? []].find((c: any) => c.name === name);
  const events = async (name: string) => ((await get('/api/v1/namespaces/default/events')).items as any[])
    .filter(e => e.involvedObject.name === name)
    .map(e => ({ reason: e.reason, message: e.message, fieldPath: e.involvedObject.fieldPath, count: e.count, type: e.type, source: e.source }));
  const createPod = async (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}, node = 'kube-1') => {
    const r = await t.request('POST', PODS, {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec } },
    });
    expect(r.status, r.text).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    t = await testSkiff({ clock });
    const node = (name: string, annotations: Record<string, string>, podCIDR?: string) => t.request('POST', NODES, {
      body: { apiVersion: 'v1', kind: 'Node', metadata: { name, annotations }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} },
    });
    await node('kube-1', { 'sim.skiff.dev/simulated': 'true', 'sim.skiff.dev/capacity': '{"cpu":"8","memory":"32Gi"}' }, '10.99.1.0/24');
    // Registered by an agent, not simulated: nothing here touches its pods.
    await node('agent-1', {});
    await run(1000);
  });
  afterAll(async () => { await t.close(); });

  it('registers a simulated node: Ready, with capacity, addresses, node info and labels', async () => {
    const node = await get(`${NODES}/kube-1`);
    expect(node.status.capacity).toEqual({ cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    expect(node.status.allocatable).toEqual(node.status.capacity);
    expect(Object.fromEntries(node.status.conditions.map((c: any) => [c.type, `${c.status}/${c.reason}`]))).toEqual({
      Ready: 'True/KubeletReady', MemoryPressure: 'False/KubeletHasSufficientMemory', DiskPressure: 'False/KubeletHasNoDiskPressure',
      PIDPressure: 'False/KubeletHasSufficientPID', NetworkUnavailable: 'False/RouteCreated',
    });
    expect(node.status.addresses).toEqual([{ type: 'InternalIP', address: expect.stringMatching(/^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/) }, { type: 'Hostname', address: 'kube-1' }]);
    expect(node.status.nodeInfo).toMatchObject({ kubeletVersion: 'v1.35.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: expect.stringMatching(/^containerd:\/\//) });
    expect(node.status.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(node.metadata.labels).toMatchObject({
      'kubernetes.io/hostname': 'kube-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64',
      'topology.kubernetes.io/zone': 'zone-b', 'node.kubernetes.io/instance-type': 'sim-8cpu-32Gi',
    });
    expect((await events('kube-1')).map(e => e.reason).sort()).toEqual(
      ['NodeAllocatableEnforced', 'NodeHasNoDiskPressure', 'NodeHasSufficientMemory', 'NodeHasSufficientPID', 'NodeReady', 'Starting']);
    // A node nobody simulates is left as it was.
    expect((await get(`${NODES}/agent-1`)).status?.conditions).toBeUndefined();
  });

  it('heartbeats: the Lease every 10 s, the Ready heartbeat every 5 minutes', async () => {
    const node = await get(`${NODES}/kube-1`);
    const lease = await get(`${LEASES}/kube-1`);
    expect(lease.spec).toMatchObject({ holderIdentity: 'kube-1', leaseDurationSeconds: 40 });
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'kube-1', uid: node.metadata.uid }]);
    const renewed = Date.parse(lease.spec.renewTime);
    await run(10_000);
    const later = Date.parse((await get(`${LEASES}/kube-1`)).spec.renewTime);
    // Renewals due within a second are done together: every 9 to 10 s.
    expect(later - renewed).toBeGreaterThanOrEqual(9000);
    expect(later - renewed).toBeLessThanOrEqual(10_000);
    const heartbeat = condition(node, 'Ready').lastHeartbeatTime;
    await run(60_000, 10_000);
    expect(condition(await get(`${NODES}/kube-1`), 'Ready').lastHeartbeatTime).toBe(heartbeat);
    await run(5 * 60_000, 10_000);
    const ready = condition(await get(`${NODES}/kube-1`), 'Ready');
    expect(Date.parse(ready.lastHeartbeatTime)).toBeGreaterThan(Date.parse(heartbeat));
    expect(ready.lastTransitionTime).toBe(condition(node, 'Ready').lastTransitionTime);
  });

  it('runs a pod: Pending, then Running and Ready with an address from the node podCIDR', async () => {
    const created = await createPod('web', {});
    expect(created.status.phase).toBe('Pending');
    await run(1000);
    const p = await pod('web');
    const node = await get(`${NODES}/kube-1`);
    expect(p.status.phase).toBe('Running');
    expect(p.status.podIP).toBe('10.99.1.2');
    expect(p.status.podIPs).toEqual([{ ip: '10.99.1.2' }]);
    expect(p.status.hostIP).toBe(node.status.addresses[0].address);
    expect(p.status.hostIPs).toEqual([{ ip: p.status.hostIP }]);
    expect(p.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual(
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(container(p, 'app')).toMatchObject({
      ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.27',
      imageID: expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/),
      containerID: expect.stringMatching(/^containerd:\/\/[0-9a-f]{64}$/), state: { running: { startedAt: expect.any(String) } },
    });
    // The next pod gets the next address.
    await createPod('web-2', {});
    await run(1000);
    expect((await pod('web-2')).status.podIP).toBe('10.99.1.3');
  });

  it('takes pod addresses from the podCIDR the cluster gives a node created without one', async () => {
    await t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kube-2', annotations: { 'sim.skiff.dev/simulated': 'true' } } } });
    await run(1000);
    await createPod('elsewhere-2', {}, {}, 'kube-2');
    await run(1000);
    const cidr: string = (await get(`${NODES}/kube-2`)).spec.podCIDR;
    expect(cidr).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
    expect((await pod('elsewhere-2')).status.podIP).toBe(cidr.replace(/0\/24$/, '2'));
  });

  it('records Pulling, Pulled, Created and Started with the kubelet messages', async () => {
    const fieldPath = 'spec.containers{app}';
    expect(await events('web')).toEqual(expect.arrayContaining([
      { reason: 'Pulling', message: 'Pulling image "nginx:1.27"', fieldPath, count: 1, type: 'Normal', source: { component: 'kubelet', host: 'kube-1' } },
      expect.objectContaining({ reason: 'Pulled', message: expect.stringMatching(/^Successfully pulled image "nginx:1\.27" in \d+ms \(\d+ms including waiting\)\. Image size: \d+ bytes\.$/), fieldPath }),
      expect.objectContaining({ reason: 'Created', message: 'Container created', fieldPath }),
      expect.objectContaining({ reason: 'Started', message: 'Container started', fieldPath }),
    ]));
    // The second pod of an image finds it on the node.
    expect((await events('web-2')).find(e => e.reason === 'Pulled')?.message).toBe('Container image "nginx:1.27" already present on machine and can be accessed by the pod');
  });

  it('runs init containers one after the other before the containers', async () => {
    await createPod('init', { initContainers: [{ name: 'first', image: 'busybox:1.36' }, { name: 'second', image: 'busybox:1.36' }] },
      { 'sim.skiff.dev/first.exit-after': '3s', 'sim.skiff.dev/second.exit-after': '3s' });
    await run(1000);
    let p = await pod('init');
    expect(p.status.phase).toBe('Pending');
    expect(container(p, 'first').state.running).toBeDefined();
    expect(container(p, 'second').state.waiting.reason).toBe('PodInitializing');
    expect(container(p, 'app').state.waiting.reason).toBe('PodInitializing');
    expect(condition(p, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [first second]' });
    await run(3000);
    p = await pod('init');
    expect(container(p, 'first').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(container(p, 'second').state.running).toBeDefined();
    expect(container(p, 'app').state.waiting).toBeDefined();
    await run(3000);
    p = await pod('init');
    expect(container(p, 'second').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(container(p, 'app').state.running).toBeDefined();
    expect(p.status.phase).toBe('Running');
    expect(condition(p, 'Initialized').status).toBe('True');
    const started = (await events('init')).filter(e => e.reason === 'Started').map(e => e.fieldPath);
    expect(started.sort()).toEqual(['spec.containers{app}', 'spec.initContainers{first}', 'spec.initContainers{second}']);
  });

  it('makes containers ready after their readiness delay', async () => {
    await createPod('slow', {}, { 'sim.skiff.dev/ready-after': '5s' });
    await run(1000);
    let p = await pod('slow');
    expect(p.status.phase).toBe('Running');
    expect(condition(p, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(condition(p, 'Ready').status).toBe('False');
    await run(5000);
    p = await pod('slow');
    expect(condition(p, 'Ready').status).toBe('True');
    expect(container(p, 'app').ready).toBe(true);

    await createPod('never', {}, { 'sim.skiff.dev/never-ready': 'true' });
    await run(60_000, 10_000);
    expect(condition(await pod('never'), 'Ready').status).toBe('False');
  });

  it('honours readiness gates', async () => {
    await createPod('gated', { readinessGates: [{ conditionType: 'example.com/lb-ready' }] });
    await run(1000);
    let p = await pod('gated');
    expect(condition(p, 'ContainersReady').status).toBe('True');
    expect(condition(p, 'Ready')).toMatchObject({
      status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.',
    });
    // What a load-balancer controller does once the pod is in rotation.
    const patched = await t.request('PATCH', `${PODS}/gated/status`, {
      raw: JSON.stringify({ status: { conditions: [...p.status.conditions, { type: 'example.com/lb-ready', status: 'True', lastTransitionTime: p.status.startTime }] } }),
      contentType: merge,
    });
    expect(patched.status, patched.text).toBe(200);
    await run(1000);
    p = await pod('gated');
    expect(condition(p, 'Ready').status).toBe('True');
    expect(condition(p, 'example.com/lb-ready').status).toBe('True');
  });

  it('crash-loops a container that asks for it, with the kubelet back-off', async () => {
    await createPod('crashy', {}, { 'sim.skiff.dev/crash-after': '2s' });
    await run(1000);
    expect(container(await pod('crashy'), 'app').state.running).toBeDefined();
    // Crashes at 2 s and is restarted at once; crashes again at 4 s and waits 10 s.
    await run(4000);
    let c = container(await pod('crashy'), 'app');
    expect(c.restartCount).toBe(1);
    expect(c.state.waiting).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 10s restarting failed container=app pod=crashy_default\(.+\)$/) });
    expect(c.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const p = await pod('crashy');
    expect(p.status.phase).toBe('Running');
    expect(condition(p, 'Ready').status).toBe('False');
    await run(10_000);
    c = container(await pod('crashy'), 'app');
    expect(c.restartCount).toBe(2);
    expect(c.state.running).toBeDefined();
    // Then 20 s, then 40 s.
    await run(2000 + 20_000);
    expect(container(await pod('crashy'), 'app').restartCount).toBe(3);
    await run(2000 + 38_000);
    expect(container(await pod('crashy'), 'app').restartCount).toBe(3);
    await run(2000);
    expect(container(await pod('crashy'), 'app').restartCount).toBe(4);
    const backOff = (await events('crashy')).find(e => e.reason === 'BackOff')!;
    expect(backOff).toMatchObject({ type: 'Warning', fieldPath: 'spec.containers{app}', message: expect.stringMatching(/^Back-off restarting failed container app in pod crashy_default\(.+\)$/) });
    expect(backOff.count).toBe(3);
  });

  it('completes pods that exit: Succeeded with code 0, Failed otherwise', async () => {
    await createPod('job-ok', { restartPolicy: 'Never' });
    await createPod('job-bad', { restartPolicy: 'Never' }, { 'sim.skiff.dev/exit-after': '3s', 'sim.skiff.dev/exit-code': '3' });
    await run(2000);
    let ok = await pod('job-ok');
    expect(ok.status.phase).toBe('Succeeded');
    expect(container(ok, 'app').state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(condition(ok, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect((await pod('job-bad')).status.phase).toBe('Running');
    await run(2000);
    const bad = await pod('job-bad');
    expect(bad.status.phase).toBe('Failed');
    expect(container(bad, 'app').state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    // OnFailure restarts a failed container instead.
    await createPod('job-retry', { restartPolicy: 'OnFailure' }, { 'sim.skiff.dev/exit-after': '1s', 'sim.skiff.dev/exit-code': '1' });
    await run(3000);
    const retry = await pod('job-retry');
    expect(retry.status.phase).toBe('Running');
    expect(container(retry, 'app').restartCount).toBeGreaterThan(0);
    ok = await pod('job-ok');
    expect(condition(ok, 'PodReadyToStartContainers').status).toBe('False');
  });

  it('terminates on delete: Killing, containers stopped within the grace period, then gone', async () => {
    await createPod('stubborn', { terminationGracePeriodSeconds: 30 }, { 'sim.skiff.dev/stop-after': '1h' });
    await createPod('quick', {});
    await run(1000);
    expect((await t.request('DELETE', `${PODS}/stubborn`)).status).toBe(200);
    expect((await t.request('DELETE', `${PODS}/quick`)).status).toBe(200);
    await run(1000);
    // A container that exits on SIGTERM lets its pod go at once.
    expect((await t.request('GET', `${PODS}/quick`)).status).toBe(404);
    expect(await events('quick')).toEqual(expect.arrayContaining([
      expect.objectContaining({ reason: 'Killing', message: 'Stopping container app', fieldPath: 'spec.containers{app}' }),
    ]));
    // One that ignores it is killed when the grace period ends.
    const terminating = await pod('stubborn');
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(container(terminating, 'app').state.running).toBeDefined();
    expect((await events('stubborn')).filter(e => e.reason === 'Killing')).toEqual([expect.objectContaining({ message: 'Stopping container app', count: 1 })]);
    await run(25_000);
    expect((await t.request('GET', `${PODS}/stubborn`)).status).toBe(200);
    await run(5000);
    expect((await t.request('GET', `${PODS}/stubborn`)).status).toBe(404);
  });

  it('stops heartbeats when paused, and the node stops syncing its pods', async () => {
    const renewTime = async () => (await get(`${LEASES}/kube-1`)).spec.renewTime;
    await t.request('PATCH', `${NODES}/kube-1`, { raw: '{"metadata":{"annotations":{"sim.skiff.dev/heartbeat":"paused"}}}', contentType: merge });
    await run(1000);
    const before = await renewTime();
    await createPod('stranded', {});
    await run(30_000, 5000);
    expect(await renewTime()).toBe(before);
    expect((await pod('stranded')).status.hostIP).toBeUndefined();
    await t.request('PATCH', `${NODES}/kube-1`, { raw: '{"metadata":{"annotations":{"sim.skiff.dev/heartbeat":null}}}', contentType: merge });
    await run(1000);
    expect(Date.parse(await renewTime())).toBeGreaterThan(Date.parse(before));
    expect((await pod('stranded')).status.phase).toBe('Running');
  });

  it('leaves alone pods on nodes it does not simulate', async () => {
    await createPod('elsewhere', {}, {}, 'agent-1');
    await createPod('nowhere', {}, {}, 'no-such-node');
    await run(5000);
    for (const name of ['elsewhere', 'nowhere']) {
      const p = await pod(name);
      expect(p.status.phase).toBe('Pending');
      expect(p.status.hostIP).toBeUndefined();
    }
  });
});
