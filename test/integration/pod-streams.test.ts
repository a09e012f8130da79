// pods/log, pods/exec|attach|portforward and metrics.k8s.io, through the app: what a client reads back.
// Pods sit on a simulated node whose kubelet is paused, with their status written here, so nothing depends
// on the kubelet's timing; what they print and use is declared with the kubelet's pod annotations.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testSkiff, TOKEN } from '../support/skiff.ts';
import { ManualClock } from '../../src/util/clock.ts';

type T = Awaited<ReturnType<typeof testSkiff>>;
const START = Date.parse('2026-03-01T10:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z');

const node = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, annotations, labels: { test: 'pod-streams' } },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at(0), lastTransitionTime: at(0) }],
  },
});

const container = (name: string) => ({ name, image: 'nginx' });

/** What the kubelet's conventions read: the lines a container prints (1.5s apart) and what it uses. */
const declares = (lines: Record<string, string>, usage: Record<string, [string, string]> = {}) => Object.fromEntries([
  ...Object.entries(lines).map(([c, text]) => [`sim.skiff.dev/${c}.log-lines`, text]),
  ['sim.skiff.dev/log-interval', '1.5s'],
  ...Object.entries(usage).flatMap(([c, [cpu, memory]]) => [[`sim.skiff.dev/${c}.cpu-usage`, cpu], [`sim.skiff.dev/${c}.memory-usage`, memory]]),
]);
const started = (c: string) => `sim: started container ${c} (image "nginx")`;

const running = (name: string, startedAt = at(0), extra: Record<string, unknown> = {}) =>
  ({ name, image: 'nginx', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt } }, ...extra });

describe('pod streams', () => {
  let t: T;
  const clock = new ManualClock(START);

  const createPod = async (name: string, containers: string[], o: { node?: string | null; labels?: Record<string, string>; annotations?: Record<string, string> } = {}) => {
    const { node = 'sim-test', labels = {}, annotations = {} } = o;
    // Placed by hand, or left to a scheduler that does not exist, so no scheduler moves it.
    const placement = node ? { nodeName: node } : { schedulerName: 'nobody' };
    const r = await t.request('POST', '/api/v1/namespaces/default/pods', {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, annotations }, spec: { ...placement, containers: containers.map(container) } },
    });
    expect(r.status, r.text).toBe(201);
  };
  const writeStatus = async (name: string, status: Record<string, unknown>) => {
    const r = await t.request('PATCH', `/api/v1/namespaces/default/pods/${name}/status`, {
      body: { status }, contentType: 'application/merge-patch+json',
    });
    expect(r.status, r.text).toBe(200);
  };
  const log = (pod: string, query = '') => t.request('GET', `/api/v1/namespaces/default/pods/${pod}/log${query ? `?${query}` : ''}`);

  beforeAll(async () => {
    t = await testSkiff({ clock });
    // A paused kubelet leaves the pods' status to this test.
    for (const n of [node('sim-test', { 'sim.skiff.dev/simulated': 'true', 'sim.skiff.dev/heartbeat': 'paused' }), node('agent-test', {})]) {
      const r = await t.request('POST', '/api/v1/nodes', { body: n });
      expect(r.status, r.text).toBe(201);
    }
    await createPod('web', ['nginx'], { labels: { app: 'web' }, annotations: declares({ nginx: 'one\ntwo\nthree' }, { nginx: ['25m', '32Mi'] }) });
    await writeStatus('web', { phase: 'Running', containerStatuses: [running('nginx')] });
    await createPod('multi', ['a', 'b'], { labels: { app: 'multi' }, annotations: declares({ a: 'from a', b: 'from b' }, { a: ['100m', '64Mi'], b: ['50m', '16Mi'] }) });
    await writeStatus('multi', { phase: 'Running', containerStatuses: [running('a'), running('b')] });
    clock.advance(10_000);
  });
  afterAll(async () => { await t.close(); });

  describe('log', () => {
    it('serves the container log as plain text', async () => {
      const r = await log('web');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/plain');
      expect(r.text).toBe(`${started('nginx')}\none\ntwo\nthree\n`);
      expect((await log('multi', 'container=b')).text).toBe(`${started('b')}\nfrom b\n`);
    });

    it('applies tailLines, timestamps, sinceSeconds, sinceTime and limitBytes', async () => {
      expect((await log('web', 'tailLines=2')).text).toBe('two\nthree\n');
      expect((await log('web', 'tailLines=0')).text).toBe('');
      expect((await log('web', 'timestamps=true')).text).toBe([
        `2026-03-01T10:00:00Z ${started('nginx')}`, '2026-03-01T10:00:01.5Z one', '2026-03-01T10:00:03Z two', '2026-03-01T10:00:04.5Z three', '',
      ].join('\n'));
      // Now is 10s after the start: the last 7 seconds hold the lines from 3s on.
      expect((await log('web', 'sinceSeconds=7')).text).toBe('two\nthree\n');
      expect((await log('web', `sinceTime=${at(2)}`)).text).toBe('two\nthree\n');
      expect((await log('web', 'limitBytes=6')).text).toBe('sim: s');
      expect((await log('web', 'tailLines=3&sinceSeconds=6')).text).toBe('three\n');
    });

    it('rejects invalid options as PodLogOptions', async () => {
      const r = await log('web', 'tailLines=-1');
      expect(r.status).toBe(422);
      expect(r.body.message).toBe('PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
      const both = await log('web', `sinceSeconds=5&sinceTime=${at(1)}`);
      expect(both.body.message).toBe('PodLogOptions "web" is invalid: sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
      expect((await log('web', 'limitBytes=0')).status).toBe(422);
      expect((await log('web', 'tailLines=many')).status).toBe(400);
    });

    it('needs a container name when the pod has several, and a valid one', async () => {
      const r = await log('multi');
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'a container name must be specified for pod multi, choose one of: [a b]' });
      const unknown = await log('multi', 'container=c');
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe('container c is not valid for pod multi');
      expect((await log('missing')).body.message).toBe('pods "missing" not found');
    });

    it('answers as the kubelet does for a previous instance and a container not started', async () => {
      const r = await log('web', 'previous=true');
      expect(r.status).toBe(400);
      expect(r.body.message).toBe('previous terminated container "nginx" in pod "web" not found');

      await createPod('crashy', ['app'], { annotations: declares({ app: 'boom' }, { app: ['25m', '32Mi'] }) });
      await writeStatus('crashy', { phase: 'Running', containerStatuses: [running('app', at(5), {
        restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at(1), finishedAt: at(4) } },
      })] });
      const previous = `${started('app')}\nboom\nsim: container app exited with code 1\n`;
      expect((await log('crashy', 'previous=true')).text).toBe(previous);
      expect((await log('crashy')).text).toBe(`${started('app')}\nboom\n`);
      // A follow of an instance that has stopped ends with its log.
      expect((await log('crashy', 'previous=true&follow=true')).text).toBe(previous);

      await createPod('starting', ['app']);
      const waiting = await log('starting');
      expect(waiting.status).toBe(400);
      expect(waiting.body.message).toBe('container "app" in pod "starting" is waiting to start: ContainerCreating');
      await writeStatus('starting', { containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] });
      expect((await log('starting')).body.message).toBe('container "app" in pod "starting" is waiting to start: trying and failing to pull image');
    });

    it('is empty for a pod not yet scheduled, and not served for nodes of an external agent', async () => {
      await createPod('unscheduled', ['app'], { node: null });
      const r = await log('unscheduled');
      expect(r.status).toBe(200);
      expect(r.text).toBe('');

      await createPod('on-agent', ['app'], { node: 'agent-test' });
      const agent = await log('on-agent');
      expect(agent.status).toBe(501);
      expect(agent.body.message).toBe('pod default/on-agent runs on node agent-test, registered by an external agent: reading logs is not available on such nodes yet (no tunnel to node agents)');
    });

    it('follows the log until the container terminates', async () => {
      await createPod('follow', ['app'], { annotations: declares({ app: 'a\nb\nc\nd' }) });
      await writeStatus('follow', { phase: 'Running', containerStatuses: [running('app', at(9))] });
      // Now is 10s: of the lines at 9s, 10.5s, 12s... only the first is due.
      const stream = await open('/api/v1/namespaces/default/pods/follow/log?follow=true&timestamps=true');
      expect(stream.headers.get('content-type')).toBe('text/plain');
      expect(await stream.read()).toBe(`2026-03-01T10:00:09Z ${started('app')}\n`);
      clock.advance(1500);
      expect(await stream.read()).toBe('2026-03-01T10:00:10.5Z a\n');
      clock.advance(1000);
      await writeStatus('follow', { phase: 'Succeeded', containerStatuses: [{ ...running('app'), state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(9), finishedAt: at(12) } } }] });
      // The rest of the instance's log (to its end at 12s), then the end of the stream.
      expect(await stream.rest()).toBe('2026-03-01T10:00:12Z b\n2026-03-01T10:00:12Z sim: container app exited with code 0\n');
    });

    it('ends a follow when the pod goes away', async () => {
      await createPod('gone', ['app']);
      await writeStatus('gone', { phase: 'Running', containerStatuses: [running('app', at(11))] });
      const stream = await open('/api/v1/namespaces/default/pods/gone/log?follow=true');
      expect(await stream.read()).toBe(`${started('app')}\n`);
      expect((await t.request('DELETE', '/api/v1/namespaces/default/pods/gone?gracePeriodSeconds=0')).status).toBe(200);
      expect(await stream.rest()).toBe('');
    });
  });

  describe('exec, attach, port-forward', () => {
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' };
    const spdy = { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v5.channel.k8s.io' };

    it('refuses them on a simulated node with a Status naming it, to the WebSocket and to the SPDY upgrade', async () => {
      for (const [method, headers] of [['GET', upgrade], ['POST', spdy]] as const) {
        const r = await raw(method, '/api/v1/namespaces/default/pods/web/exec?command=ls&container=nginx&stdout=true', headers);
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400,
          message: 'pod default/web runs on simulated node sim-test: exec is not available on simulated nodes' });
      }
      const attach = await raw('POST', '/api/v1/namespaces/default/pods/web/attach?container=nginx&stdout=true', spdy);
      expect(attach.body.message).toBe('pod default/web runs on simulated node sim-test: attach is not available on simulated nodes');
      const pf = await raw('GET', '/api/v1/namespaces/default/pods/web/portforward', { ...upgrade, 'sec-websocket-protocol': 'SPDY/3.1+portforward.k8s.io' });
      expect(pf.body.message).toBe('pod default/web runs on simulated node sim-test: port-forward is not available on simulated nodes');
    });

    it('checks the container, the host and the node first', async () => {
      expect((await raw('POST', '/api/v1/namespaces/default/pods/multi/exec?command=ls', spdy)).body.message)
        .toBe('a container name must be specified for pod multi, choose one of: [a b]');
      expect((await raw('POST', '/api/v1/namespaces/default/pods/unscheduled/exec?command=ls', spdy)).body.message)
        .toBe('pod unscheduled does not have a host assigned');
      const agent = await raw('POST', '/api/v1/namespaces/default/pods/on-agent/exec?command=ls', spdy);
      expect(agent.status).toBe(501);
      expect(agent.body.message).toBe('pod default/on-agent runs on node agent-test, registered by an external agent: exec is not available on such nodes yet (no tunnel to node agents)');
      expect((await raw('DELETE', '/api/v1/namespaces/default/pods/web/exec', {})).status).toBe(405);
    });
  });

  describe('metrics.k8s.io', () => {
    it('is listed by discovery with pods and nodes', async () => {
      const r = await t.request('GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
      const group = r.body.items.find((g: any) => g.metadata.name === 'metrics.k8s.io');
      expect(group.versions[0].version).toBe('v1beta1');
      expect(group.versions[0].resources.map((x: any) => [x.resource, x.responseKind.kind, x.scope, x.verbs])).toEqual([
        ['nodes', 'NodeMetrics', 'Cluster', ['get', 'list']],
        ['pods', 'PodMetrics', 'Namespaced', ['get', 'list']],
      ]);
      const openapi = await t.request('GET', '/openapi/v3/apis/metrics.k8s.io/v1beta1');
      expect(openapi.status).toBe(200);
      expect(Object.keys(openapi.body.paths)).toContain('/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}');
    });

    it('lists the usage of running pods on simulated nodes, in JSON to a protobuf-first client', async () => {
      const r = await t.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', { accept: 'application/vnd.kubernetes.protobuf, */*' });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(r.body).toMatchObject({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {} });
      // Not the pending, unscheduled, agent-node or finished pods.
      expect(r.body.items.map((i: any) => i.metadata.name)).toEqual(['crashy', 'multi', 'web']);
      const web = r.body.items.find((i: any) => i.metadata.name === 'web');
      expect(web).toEqual({
        metadata: { name: 'web', namespace: 'default', creationTimestamp: expect.any(String), labels: { app: 'web' } },
        timestamp: expect.any(String), window: '15s',
        containers: [{ name: 'nginx', usage: { cpu: '25m', memory: '32Mi' } }],
      });
      const selected = await t.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dmulti');
      expect(selected.body.items.map((i: any) => i.metadata.name)).toEqual(['multi']);
      expect((await t.request('GET', '/apis/metrics.k8s.io/v1beta1/pods')).body.items).toHaveLength(3);
      expect((await t.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/other/pods')).body.items).toEqual([]);
    });

    it('gets one pod, or says its metrics are not found', async () => {
      const r = await t.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/multi');
      expect(r.body).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', containers: [
        { name: 'a', usage: { cpu: '100m', memory: '64Mi' } }, { name: 'b', usage: { cpu: '50m', memory: '16Mi' } },
      ] });
      for (const name of ['missing', 'starting', 'on-agent']) {
        const nf = await t.request('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${name}`);
        expect(nf.status).toBe(404);
        expect(nf.body.message).toBe(`podmetrics.metrics.k8s.io "default/${name}" not found`);
      }
    });

    it('sums each simulated node: its pods plus the system overhead', async () => {
      // The cluster's own node pool may have nodes too: select this test's.
      const r = await t.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=test%3Dpod-streams', { accept: 'application/vnd.kubernetes.protobuf, */*' });
      expect(r.body.kind).toBe('NodeMetricsList');
      // web 25m/32Mi + multi 150m/80Mi + crashy 25m/32Mi + 100m/256Mi overhead; agent-test has no metrics.
      expect(r.body.items).toEqual([{
        metadata: { name: 'sim-test', creationTimestamp: expect.any(String), labels: { test: 'pod-streams' } },
        timestamp: expect.any(String), window: '15s', usage: { cpu: '300m', memory: '400Mi' },
      }]);
      expect((await t.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/sim-test')).body).toMatchObject({ kind: 'NodeMetrics', usage: { cpu: '300m', memory: '400Mi' } });
      expect((await t.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/agent-test')).body.message).toBe('nodemetrics.metrics.k8s.io "agent-test" not found');
      expect((await t.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=test%3Dother')).body.items).toEqual([]);
    });

    it('renders as metrics-server tables and stays read-only', async () => {
      const table = await t.request('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
      expect(table.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
      expect(table.body.rows.find((row: any) => row.cells[0] === 'multi').cells).toEqual(['multi', '150m', '80Mi', '15s']);
      expect((await t.request('POST', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', { body: {} })).status).toBe(405);
      expect((await t.request('DELETE', '/apis/metrics.k8s.io/v1beta1/nodes/sim-test')).status).toBe(405);
    });
  });

  /** A request with exactly these headers, as an upgrading client sends it. */
  async function raw(method: string, path: string, headers: Record<string, string>) {
    const res = await t.skiff.app.request(`https://skiff.test/clusters/default${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
    return { status: res.status, body: await res.json() as any };
  }

  /** Opens a streamed response: `read` waits for the next chunk, `rest` for everything until the end. */
  async function open(path: string) {
    const res = await t.skiff.app.request(`https://skiff.test/clusters/default${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const timeout = <V>(p: Promise<V>) => Promise.race([p, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('stream timed out')), 5000))]);
    return {
      headers: res.headers,
      async read() {
        const { value, done } = await timeout(reader.read());
        return done ? undefined : decoder.decode(value);
      },
      async rest() {
        let text = '';
        for (;;) {
          const { value, done } = await timeout(reader.read());
          if (done) return text;
          text += decoder.decode(value);
        }
      },
    };
  }
});
