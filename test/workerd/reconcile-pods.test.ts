// Pods actually run on the Worker: in workerd over D1, the default NodePool's simulated nodes register and
// turn Ready, and a pod created through the API is scheduled onto one of them and started by the simulated
// kubelet, both by the passes a write starts (kept alive with waitUntil) and by the cron trigger alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, startWorker, type RunningWorker } from './harness.ts';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
  expect((await worker.fetch(`${API}/version`)).status).toBe(200);
});
afterAll(async () => { await worker?.dispose(); });

const NODES = `${API}/api/v1/nodes`;
const PODS = `${API}/api/v1/namespaces/default/pods`;

const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);
const pod = (name: string, spec: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });

/** Polls until `check` returns a value (not undefined); fails with the last value seen after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** The pod once it runs: bound, Running and with an address. */
const running = async (name: string) => {
  const p = (await worker.call('GET', `${PODS}/${name}`)).body;
  return p?.spec?.nodeName && p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
};

/** Expects the pod to run on one of the pool's nodes, Ready, with an address from that node. */
async function expectRunningOnItsNode(p: any) {
  expect(p.spec.nodeName).toMatch(/^sim-[012]$/);
  expect(p.status.phase).toBe('Running');
  expect(condition(p, 'PodScheduled').status).toBe('True');
  expect(condition(p, 'Ready').status).toBe('True');
  const node = (await worker.call('GET', `${NODES}/${p.spec.nodeName}`)).body;
  // The lowest free address of the node's /24 above its own .1.
  const [prefix] = /^\d+\.\d+\.\d+\./.exec(node.spec.podCIDR)!;
  expect(p.status.podIP).toMatch(new RegExp(`^${prefix.replace(/\./g, '\\.')}([2-9]|\\d\\d+)$`));
  expect(p.status.podIPs).toEqual([{ ip: p.status.podIP }]);
  expect(p.status.hostIP).toBe(node.status.addresses.find((a: any) => a.type === 'InternalIP').address);
  expect(p.status.containerStatuses).toEqual([expect.objectContaining({ name: 'app', ready: true, started: true, state: { running: { startedAt: expect.any(String) } } })]);
}

describe('pods on the Worker', () => {
  it('has the default NodePool\'s three simulated nodes registered and Ready', async () => {
    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });
    const nodes = await eventually(async () => {
      const items = (await worker.call('GET', NODES)).body.items as any[];
      return items.length === 3 && items.every(n => condition(n, 'Ready')?.status === 'True' && n.spec.podCIDR) ? items : undefined;
    }, 10_000, 'three Ready nodes');
    expect(nodes.map(n => n.metadata.name)).toEqual(['sim-0', 'sim-1', 'sim-2']);
    for (const n of nodes) {
      expect(condition(n, 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
      expect(n.status.nodeInfo.kubeletVersion).toBe('v1.35.0');
      expect(n.spec.podCIDR).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
      expect(n.spec.taints).toBeUndefined();
    }
    expect(new Set(nodes.map(n => n.spec.podCIDR)).size).toBe(3);
  });

  it('schedules and runs a pod right after it is created, without waiting for the cron', async () => {
    const created = await worker.call('POST', PODS, pod('web'));
    expect(created.status).toBe(201);
    expect(created.body.spec.nodeName).toBeUndefined();
    // The passes the write started run on after the response (waitUntil): no cron here.
    const p = await eventually(() => running('web'), 10_000, 'web Running');
    await expectRunningOnItsNode(p);
    const events = ((await worker.call('GET', `${API}/api/v1/namespaces/default/events`)).body.items as any[])
      .filter(e => e.involvedObject.name === 'web').map(e => e.reason);
    expect(events).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('schedules and runs, on the cron, a pod that no request woke the reconcilers for', async () => {
    // Held back by a scheduling gate, the pod waits; the passes its write started leave it unscheduled.
    const created = await worker.call('POST', PODS, pod('cron-only', { schedulingGates: [{ name: 'example.com/hold' }] }));
    expect(created.status).toBe(201);
    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });
    const gated = (await worker.call('GET', `${PODS}/cron-only`)).body;
    expect(gated.spec.nodeName).toBeUndefined();
    expect(condition(gated, 'PodScheduled')).toMatchObject({ status: 'False', reason: 'SchedulingGated' });

    // While requests come, the Worker also runs the passes its controllers ask for within 10 s: the nodes'
    // Lease renewals, every 9 to 10 s. Right after one, it has nothing to do for seconds.
    const lease = `${API}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-0`;
    const renewed = (await worker.call('GET', lease)).body.spec.renewTime;
    await eventually(async () => ((await worker.call('GET', lease)).body.spec.renewTime !== renewed ? true : undefined), 15_000, 'a Lease renewal');
    await new Promise(r => setTimeout(r, 300));

    // The gate is lifted in the database behind the Worker's back, as an isolate evicted right after its
    // write would leave it: only the cron is left to schedule and start the pod.
    const ungated = { ...gated, spec: { ...gated.spec, schedulingGates: undefined } };
    const db = await worker.database();
    await db.prepare('INSERT INTO changes (cluster, grp, resource, namespace, name, type, prev_rv, object) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind('default', '', 'pods', 'default', 'cron-only', 'MODIFIED', Number(gated.metadata.resourceVersion), JSON.stringify(ungated)).run();
    expect((await worker.call('GET', `${PODS}/cron-only`)).body.spec.schedulingGates).toBeUndefined();
    await new Promise(r => setTimeout(r, 1000));
    expect((await worker.call('GET', `${PODS}/cron-only`)).body.spec.nodeName).toBeUndefined();

    expect(await worker.scheduled()).toMatchObject({ outcome: 'ok' });
    const bound = (await worker.call('GET', `${PODS}/cron-only`)).body;
    expect(bound.spec.nodeName).toMatch(/^sim-[012]$/);
    expect(condition(bound, 'PodScheduled')).toMatchObject({ status: 'True' });
    // The kubelet's stages come due within a few tens of ms: the next ticks start the pod.
    const p = await eventually(async () => { await worker.scheduled(); return running('cron-only'); }, 10_000, 'cron-only Running');
    await expectRunningOnItsNode(p);
  });
});
