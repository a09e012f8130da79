// Nodes as a cluster keeps them: NodePools of simulated nodes, pod CIDRs, and what happens to a node (and
// its pods) when its heartbeats stop. The clock is moved by hand; heartbeats are Leases the test writes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';
import { rfc3339, rfc3339Micro } from '../../src/util/time.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;

const NODES = '/api/v1/nodes';
const POOLS = '/apis/skiff.dev/v1alpha1/nodepools';
const PODS = '/api/v1/namespaces/default/pods';
const merge = 'application/merge-patch+json';

function harness() {
  const clock = new ManualClock();
  const h = {
    clock,
    t: undefined as unknown as T,
    /** A reconcile pass, as a write or the cron would trigger one. */
    pass: () => h.t.skiff.runtime.wake('default'),
    async advance(ms: number) { clock.advance(ms); await h.pass(); },
    get: async (path: string) => (await h.t.request('GET', path)).body,
    /** What a kubelet does every few seconds: renew the node's Lease. */
    async heartbeat(node: string) {
      const lease = {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: 'kube-node-lease' },
        spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) },
      };
      const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`;
      const r = await h.t.request('PUT', path, { body: lease });
      if (r.status === 404) await h.t.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { body: lease });
    },
    /** What a kubelet posts when its node's readiness changes. */
    async postReady(node: string, status: 'True' | 'False') {
      const now = rfc3339(clock.now());
      await h.t.request('PATCH', `${NODES}/${node}/status`, {
        raw: JSON.stringify({ status: { conditions: [
          { type: 'Ready', status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: '', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: '', lastHeartbeatTime: now, lastTransitionTime: now },
        ] } }),
        contentType: merge,
      });
    },
    /** A registered, Ready node with a fresh heartbeat (not simulated: nothing but the test heartbeats it). */
    async readyNode(name: string) {
      await h.t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name } } });
      await h.postReady(name, 'True');
      await h.heartbeat(name);
    },
    async pod(name: string, node: string, tolerations?: unknown[]) {
      const r = await h.t.request('POST', PODS, { body: {
        apiVersion: 'v1', kind: 'Pod', metadata: { name },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
      } });
      expect(r.status).toBe(201);
      await h.t.request('PATCH', `${PODS}/${name}/status`, {
        raw: JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now()) }] } }),
        contentType: merge,
      });
      return r.body;
    },
    async events(name: string) {
      return ((await h.get('/api/v1/namespaces/default/events')).items as any[]).filter(e => e.involvedObject.name === name);
    },
    terminating: async (pod: string) => (await h.get(`${PODS}/${pod}`)).metadata?.deletionTimestamp !== undefined,
  };
  beforeAll(async () => { h.t = await testSkiff({ clock }); await h.pass(); });
  afterAll(async () => { await h.t.close(); });
  return h;
}

const condition = (obj: any, type: string) => obj.status?.conditions?.find((c: any) => c.type === type);
const taintsOf = (node: any) => (node.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();

describe('node pools', () => {
  const h = harness();

  it('the default cluster starts with NodePool sim and its three simulated nodes', async () => {
    const pool = await h.get(`${POOLS}/sim`);
    expect(pool.spec.replicas).toBe(3);
    await h.pass();
    for (const name of ['sim-0', 'sim-1', 'sim-2']) {
      const node = await h.get(`${NODES}/${name}`);
      expect(node.metadata.annotations['sim.skiff.dev/simulated']).toBe('true');
      expect(JSON.parse(node.metadata.annotations['sim.skiff.dev/capacity'])).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
      expect(node.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'NodePool', name: 'sim', uid: pool.metadata.uid, controller: true })]);
    }
    expect((await h.get(`${POOLS}/sim`)).status.replicas).toBe(3);
  });

  it('creates, scales and deletes a pool', async () => {
    const created = await h.t.request('POST', POOLS, { body: {
      apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'big' },
      spec: { replicas: 2, template: {
        metadata: { labels: { tier: 'big' }, annotations: { team: 'infra' } },
        spec: { taints: [{ key: 'dedicated', value: 'big', effect: 'NoSchedule' }], capacity: { cpu: '16', memory: '64Gi', pods: '250' } },
      } },
    } });
    expect(created.status).toBe(201);
    await h.pass();
    const node = await h.get(`${NODES}/big-1`);
    expect(node.metadata.labels).toMatchObject({ tier: 'big', 'skiff.dev/nodepool': 'big' });
    expect(node.metadata.annotations).toMatchObject({ team: 'infra', 'sim.skiff.dev/simulated': 'true' });
    expect(JSON.parse(node.metadata.annotations['sim.skiff.dev/capacity'])).toEqual({ cpu: '16', memory: '64Gi', pods: '250' });
    expect(node.spec.taints).toEqual([{ key: 'dedicated', value: 'big', effect: 'NoSchedule' }]);

    // What `kubectl scale nodepool big --replicas=4` sends.
    const scaled = await h.t.request('PATCH', `${POOLS}/big/scale`, { raw: '{"spec":{"replicas":4}}', contentType: merge });
    expect(scaled.status).toBe(200);
    await h.pass();
    const names = async () => ((await h.get(`${NODES}?labelSelector=skiff.dev/nodepool=big`)).items as any[]).map(n => n.metadata.name).sort();
    expect(await names()).toEqual(['big-0', 'big-1', 'big-2', 'big-3']);
    expect((await h.get(`${POOLS}/big/scale`)).status.replicas).toBe(4);

    // Scale-down removes the highest indexes.
    await h.t.request('PATCH', `${POOLS}/big/scale`, { raw: '{"spec":{"replicas":1}}', contentType: merge });
    await h.pass();
    expect(await names()).toEqual(['big-0']);
    const pool = await h.get(`${POOLS}/big`);
    expect(pool.status).toMatchObject({ replicas: 1, observedGeneration: pool.metadata.generation });

    // Ready nodes are counted once their kubelet says so.
    await h.postReady('big-0', 'True');
    await h.heartbeat('big-0');
    await h.pass();
    expect((await h.get(`${POOLS}/big`)).status.readyReplicas).toBe(1);

    const table = await h.t.request('GET', POOLS, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(table.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Replicas', 'Ready', 'Age']);
    expect(table.body.rows.find((r: any) => r.cells[0] === 'big').cells.slice(0, 3)).toEqual(['big', 1, 1]);

    // Deleting the pool leaves its nodes to the garbage collector.
    expect((await h.t.request('DELETE', `${POOLS}/big`)).status).toBe(200);
    for (let i = 0; i < 3; i++) await h.advance(2000);
    expect(await names()).toEqual([]);
  });

  it('rejects a pool with negative replicas or a bad capacity', async () => {
    const r = await h.t.request('POST', POOLS, { body: {
      apiVersion: 'skiff.dev/v1alpha1', kind: 'NodePool', metadata: { name: 'bad' },
      spec: { replicas: -1, template: { spec: { capacity: { cpu: 'lots' } } } },
    } });
    expect(r.status).toBe(422);
    expect(r.body.details.causes.map((c: any) => c.field).sort()).toEqual(['spec.replicas', 'spec.template.spec.capacity[cpu]']);
  });
});

describe('node IPAM', () => {
  const h = harness();

  it('gives every node the lowest free /24 of 10.128.0.0/11, once', async () => {
    await h.pass();
    const cidrs = async () => Object.fromEntries(((await h.get(NODES)).items as any[]).map(n => [n.metadata.name, n.spec.podCIDR]));
    expect(await cidrs()).toEqual({ 'sim-0': '10.128.0.0/24', 'sim-1': '10.128.1.0/24', 'sim-2': '10.128.2.0/24' });
    expect((await h.get(`${NODES}/sim-1`)).spec.podCIDRs).toEqual(['10.128.1.0/24']);

    // A node that brings its own range keeps it, and nobody else gets it.
    await h.t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'own' }, spec: { podCIDR: '10.128.3.0/24', podCIDRs: ['10.128.3.0/24'] } } });
    await h.t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'extra' } } });
    await h.pass();
    expect((await cidrs()).extra).toBe('10.128.4.0/24');

    // A deleted node's range is free again.
    await h.t.request('DELETE', `${NODES}/extra`);
    await h.pass();
    await h.t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'late' } } });
    await h.pass();
    expect((await cidrs()).late).toBe('10.128.4.0/24');

    // Set once: the range cannot be changed afterwards.
    const change = await h.t.request('PATCH', `${NODES}/late`, { raw: '{"spec":{"podCIDR":"10.128.9.0/24"}}', contentType: merge });
    expect(change.status).toBe(422);
  });
});

describe('node lifecycle', () => {
  const h = harness();

  it('adds the default tolerations to new pods, keeping the ones they bring', async () => {
    const plain = await h.pod('tolerations-default', 'nowhere');
    expect(plain.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const own = await h.pod('tolerations-own', 'nowhere', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }]);
    expect(own.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('marks a silent node Unknown and taints it; evicts its pods as their tolerations allow', async () => {
    await h.readyNode('n1');
    await h.pod('web', 'n1');
    await h.pod('quick', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
    await h.pod('forever', 'n1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    await h.pass();

    // Heartbeats keep it Ready, and cost no write to the node.
    const rv = (await h.get(`${NODES}/n1`)).metadata.resourceVersion;
    for (let i = 0; i < 6; i++) { h.clock.advance(10_000); await h.heartbeat('n1'); await h.pass(); }
    let node = await h.get(`${NODES}/n1`);
    expect(node.metadata.resourceVersion).toBe(rv);
    expect(condition(node, 'Ready').status).toBe('True');

    // The heartbeats stop: nothing happens within the 50 s grace period...
    await h.advance(49_000);
    expect(condition(await h.get(`${NODES}/n1`), 'Ready').status).toBe('True');
    // ...and after it the node is Unknown and unreachable.
    await h.advance(1_000);
    node = await h.get(`${NODES}/n1`);
    for (const type of ['Ready', 'MemoryPressure']) {
      expect(condition(node, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    }
    expect(condition(node, 'DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
    expect(taintsOf(node)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(node.spec.taints.every((t: any) => t.timeAdded === rfc3339(h.clock.now()))).toBe(true);
    expect((await h.events('n1')).map(e => [e.reason, e.message, e.source.component]))
      .toContainEqual(['NodeNotReady', 'Node n1 status is now: NodeNotReady', 'node-controller']);
    expect(condition(await h.get(`${PODS}/web`), 'Ready').status).toBe('False');

    // tolerationSeconds count from the taint: 60 s for `quick`, the default 300 s for `web`, never for `forever`.
    await h.advance(59_000);
    expect(await h.terminating('quick')).toBe(false);
    await h.advance(1_000);
    expect(await h.terminating('quick')).toBe(true);
    expect(condition(await h.get(`${PODS}/quick`), 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    expect((await h.events('quick')).map(e => [e.reason, e.message, e.source.component]))
      .toContainEqual(['TaintManagerEviction', 'Marking for deletion Pod default/quick', 'taint-eviction-controller']);
    expect(await h.terminating('web')).toBe(false);
    await h.advance(240_000);
    expect(await h.terminating('web')).toBe(true);
    await h.advance(3_600_000);
    expect(await h.terminating('forever')).toBe(false);
  });

  it('untaints a node whose kubelet comes back, and keeps its pods', async () => {
    await h.readyNode('n2');
    await h.pod('survivor', 'n2');
    await h.advance(50_000);
    expect(taintsOf(await h.get(`${NODES}/n2`))).toContain('node.kubernetes.io/unreachable:NoExecute');
    await h.advance(100_000);

    await h.heartbeat('n2');
    await h.postReady('n2', 'True');
    await h.pass();
    const node = await h.get(`${NODES}/n2`);
    expect(node.spec.taints).toBeUndefined();
    expect((await h.events('n2')).map(e => e.reason)).toContain('NodeReady');
    await h.advance(300_000);
    expect(await h.terminating('survivor')).toBe(false);
  });

  it('taints a node its kubelet reports not ready', async () => {
    await h.readyNode('n3');
    await h.postReady('n3', 'False');
    await h.pass();
    expect(taintsOf(await h.get(`${NODES}/n3`))).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    await h.postReady('n3', 'True');
    await h.pass();
    expect(taintsOf(await h.get(`${NODES}/n3`))).toEqual([]);
  });

  it('evicts pods that do not tolerate a NoExecute taint at once', async () => {
    await h.readyNode('n4');
    await h.pod('intolerant', 'n4');
    await h.pod('patient', 'n4', [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute', tolerationSeconds: 30 }]);
    // What `kubectl taint node n4 dedicated=db:NoExecute` sends: a taint without timeAdded.
    await h.t.request('PATCH', `${NODES}/n4`, { raw: '{"spec":{"taints":[{"key":"dedicated","value":"db","effect":"NoExecute"}]}}', contentType: merge });
    await h.pass();
    expect(await h.terminating('intolerant')).toBe(true);
    expect(await h.terminating('patient')).toBe(false);
    await h.advance(30_000);
    expect(await h.terminating('patient')).toBe(true);
  });

  it('gives a node that never posted status the startup grace period', async () => {
    await h.t.request('POST', NODES, { body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'mute' } } });
    await h.advance(59_000);
    expect(condition(await h.get(`${NODES}/mute`), 'Ready')).toBeUndefined();
    await h.advance(1_000);
    expect(condition(await h.get(`${NODES}/mute`), 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  });
});
