// A node outage end to end, with every reconciler as the default cluster runs it: the NodePool's simulated
// nodes, their simulated kubelet (its Lease heartbeats, not ones the test writes), the scheduler, the node
// lifecycle and taint eviction controllers. A pod runs on a node; the node's heartbeats stop; the node goes
// Unknown, is tainted unreachable and its pod evicted when its toleration runs out; the heartbeats resume
// and the node takes pods again. The clock is moved by hand, with a reconcile pass after every step.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { DEFAULT_HEALTH } from '../../src/reconcilers/nodes/health.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;

const NODES = '/api/v1/nodes';
const PODS = '/api/v1/namespaces/default/pods';
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const POOLS = '/apis/skiff.dev/v1alpha1/nodepools';
const merge = 'application/merge-patch+json';
const START = Date.parse('2026-05-04T08:00:00Z');
const UNREACHABLE = 'node.kubernetes.io/unreachable';
/** --node-monitor-grace-period, as the node lifecycle controller uses it. */
const GRACE_MS = DEFAULT_HEALTH.monitorGracePeriodMs;
/** The tolerationSeconds of the unreachable toleration every pod gets by default. */
const DEFAULT_TOLERATION_MS = 300_000;

const condition = (obj: any, type: string) => obj.status?.conditions?.find((c: any) => c.type === type);
const taintsOf = (node: any) => (node.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();
/** Whether an IPv4 address lies in a /24 such as 10.128.2.0/24. */
const inSlash24 = (ip: string, cidr: string) => cidr.endsWith('.0/24') && ip.startsWith(cidr.slice(0, -'0/24'.length)) && ip !== cidr.slice(0, -3);

describe('a simulated node that loses its heartbeat', () => {
  let t: T;
  const clock = new ManualClock(START);
  /** Moves the clock in steps with a reconcile pass after each, as the runtime's requeues would. */
  const run = async (ms: number, step = 1000) => {
    for (let done = 0; done < ms; done += step) { clock.advance(Math.min(step, ms - done)); await t.skiff.runtime.wake('default'); }
  };
  /** Runs until the clock reads `at` (ms), in steps. */
  const runUntil = (at: number, step = 10_000) => run(Math.max(0, at - clock.now()), step);
  const get = async (path: string) => (await t.request('GET', path)).body;
  const pod = (name: string) => get(`${PODS}/${name}`);
  const node = (name: string) => get(`${NODES}/${name}`);
  const events = async (name: string) => ((await get('/api/v1/namespaces/default/events')).items as any[])
    .filter(e => e.involvedObject.name === name)
    .map(e => ({ reason: e.reason, message: e.message, type: e.type, from: e.source?.component }));
  const createPod = async (name: string, spec: Record<string, unknown> = {}) => {
    const r = await t.request('POST', PODS, {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } },
    });
    expect(r.status, r.text).toBe(201);
  };
  const annotateNode = (name: string, value: string | null) =>
    t.request('PATCH', `${NODES}/${name}`, { raw: JSON.stringify({ metadata: { annotations: { 'sim.skiff.dev/heartbeat': value } } }), contentType: merge });
  const onNode = (name: string) => ({ nodeSelector: { 'kubernetes.io/hostname': name } });

  /** The node the scheduler put `web` on. */
  let victim: string;

  beforeAll(async () => {
    t = await testSkiff({ clock });
    await run(2000);
  });
  afterAll(async () => { await t?.close(); });

  it('runs a pod on one of the NodePool\'s nodes, placed by the scheduler, with an address from the node', async () => {
    const nodes = (await get(NODES)).items as any[];
    expect(nodes.map(n => [n.metadata.name, condition(n, 'Ready')?.status])).toEqual([['sim-0', 'True'], ['sim-1', 'True'], ['sim-2', 'True']]);
    await createPod('web');
    await run(2000);
    const web = await pod('web');
    victim = web.spec.nodeName;
    expect(victim).toMatch(/^sim-[012]$/);
    expect(web.status.phase).toBe('Running');
    expect(condition(web, 'Ready').status).toBe('True');
    expect(inSlash24(web.status.podIP, (await node(victim)).spec.podCIDR)).toBe(true);

    // Its neighbour tolerates the node being unreachable for good.
    await createPod('steadfast', { ...onNode(victim), tolerations: [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] });
    await run(2000);
    const steadfast = await pod('steadfast');
    expect([steadfast.spec.nodeName, steadfast.status.phase, condition(steadfast, 'Ready').status]).toEqual([victim, 'Running', 'True']);
  });

  it('turns the node Unknown and taints it unreachable once its heartbeats stop for the grace period', async () => {
    expect((await annotateNode(victim, 'paused')).status).toBe(200);
    await run(1000);
    const lease = await get(`${LEASES}/${victim}`);
    const before = await node(victim);
    // The controller counts from the last sign of life: the Lease renewal or the status heartbeat.
    const silentAt = Math.max(Date.parse(lease.spec.renewTime), Date.parse(condition(before, 'Ready').lastHeartbeatTime)) + GRACE_MS;

    // The kubelet no longer renews the Lease; until the grace period is over, nothing happens.
    await runUntil(silentAt - 1000);
    expect((await get(`${LEASES}/${victim}`)).spec.renewTime).toBe(lease.spec.renewTime);
    expect(condition(await node(victim), 'Ready').status).toBe('True');
    expect(taintsOf(await node(victim))).toEqual([]);

    await runUntil(silentAt, 1000);
    const silent = await node(victim);
    expect(condition(silent, 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(taintsOf(silent)).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(await events(victim)).toContainEqual({ reason: 'NodeNotReady', message: `Node ${victim} status is now: NodeNotReady`, type: 'Normal', from: 'node-controller' });
    // Its pods no longer count as Ready; their phase is what the kubelet last said.
    for (const name of ['web', 'steadfast']) {
      const p = await pod(name);
      expect([p.status.phase, condition(p, 'Ready').status]).toEqual(['Running', 'False']);
      expect(await events(name)).toContainEqual({ reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', from: 'node-controller' });
    }
    // The other nodes carry on.
    for (const other of ['sim-0', 'sim-1', 'sim-2'].filter(n => n !== victim)) {
      const n = await node(other);
      expect([condition(n, 'Ready').status, taintsOf(n)]).toEqual(['True', []]);
    }
  });

  it('keeps new pods off the unreachable node', async () => {
    await createPod('latecomer', onNode(victim));
    await run(1000);
    const latecomer = await pod('latecomer');
    expect(latecomer.spec.nodeName).toBeUndefined();
    const message = `0/3 nodes are available: 1 node(s) had untolerated taint {${UNREACHABLE}: }, 2 node(s) didn't match Pod's node affinity/selector. `
      + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(condition(latecomer, 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(await events('latecomer')).toEqual([{ reason: 'FailedScheduling', message, type: 'Warning', from: 'default-scheduler' }]);
  });

  it('evicts the pod when its 300 s toleration runs out, and keeps the one that tolerates the node for good', async () => {
    const noExecute = (await node(victim)).spec.taints.find((x: any) => x.effect === 'NoExecute');
    const evictAt = Date.parse(noExecute.timeAdded) + DEFAULT_TOLERATION_MS;

    await runUntil(evictAt - 1000);
    expect((await pod('web')).metadata.deletionTimestamp).toBeUndefined();
    await runUntil(evictAt, 1000);
    const web = await pod('web');
    expect(web.metadata.deletionTimestamp).toBeDefined();
    expect(condition(web, 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(await events('web')).toContainEqual({ reason: 'TaintManagerEviction', message: 'Marking for deletion Pod default/web', type: 'Normal', from: 'taint-eviction-controller' });

    // With nobody on the node to stop its containers, the pod stays Terminating; the other one stays.
    // Steps shorter than the node grace period (50 s): a step never makes the healthy nodes look silent
    // to the lifecycle controller before their kubelet renews the leases.
    await run(3_600_000, 40_000);
    expect((await pod('web')).metadata.deletionTimestamp).toBeDefined();
    const steadfast = await pod('steadfast');
    expect(steadfast.metadata.deletionTimestamp).toBeUndefined();
    expect(steadfast.spec.nodeName).toBe(victim);
  });

  it('brings the node back when its heartbeats resume: Ready, untainted, its pods synced, new pods placed on it', async () => {
    const silentSince = condition(await node(victim), 'Ready').lastTransitionTime;
    expect((await annotateNode(victim, null)).status).toBe(200);
    await run(2000);

    const back = await node(victim);
    expect(condition(back, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(Date.parse(condition(back, 'Ready').lastTransitionTime)).toBeGreaterThan(Date.parse(silentSince));
    expect(back.spec.taints).toBeUndefined();
    expect(Date.parse((await get(`${LEASES}/${victim}`)).spec.renewTime)).toBeGreaterThan(clock.now() - 2000);
    expect((await events(victim)).filter(e => e.reason === 'NodeReady').map(e => e.from)).toContain('node-controller');

    // The kubelet finishes the eviction, and reports the pod it kept Ready again.
    expect((await t.request('GET', `${PODS}/web`)).status).toBe(404);
    const steadfast = await pod('steadfast');
    expect([steadfast.status.phase, condition(steadfast, 'Ready').status]).toEqual(['Running', 'True']);

    // The pod that waited for the node gets it.
    const latecomer = await pod('latecomer');
    expect([latecomer.spec.nodeName, latecomer.status.phase, condition(latecomer, 'Ready').status]).toEqual([victim, 'Running', 'True']);
    expect(inSlash24(latecomer.status.podIP, back.spec.podCIDR)).toBe(true);
    expect((await events('latecomer')).map(e => e.reason)).toEqual(['FailedScheduling', 'Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('places a pending pod once a node it fits appears: the NodePool scaled up', async () => {
    await createPod('for-sim-3', onNode('sim-3'));
    await run(1000);
    const message = '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector. '
      + 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    expect(condition(await pod('for-sim-3'), 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });

    // What `kubectl scale nodepool sim --replicas=4` sends.
    const scaled = await t.request('PATCH', `${POOLS}/sim/scale`, { raw: '{"spec":{"replicas":4}}', contentType: merge });
    expect(scaled.status).toBe(200);
    await run(2000);
    const sim3 = await node('sim-3');
    expect(condition(sim3, 'Ready').status).toBe('True');
    const placed = await pod('for-sim-3');
    expect([placed.spec.nodeName, placed.status.phase, condition(placed, 'Ready').status]).toEqual(['sim-3', 'Running', 'True']);
    expect(inSlash24(placed.status.podIP, sim3.spec.podCIDR)).toBe(true);
    expect((await events('for-sim-3')).filter(e => e.reason === 'Scheduled').map(e => e.message)).toEqual(['Successfully assigned default/for-sim-3 to sim-3']);
  });
});
