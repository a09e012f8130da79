// kubectl logs, top, exec and port-forward against pods on a simulated node, as a user sees them.
// The node's kubelet is paused and the pods' status is written here (kubectl patch --subresource=status),
// so the test does not wait on the kubelet; the pods declare what they print with its annotation.
import { describe, it, expect, beforeAll } from 'vitest';
import { useCluster, ok, fails, lines, expectTable, row } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string[] | string, opts?: Parameters<typeof cluster.kubectl>[1]) => cluster.kubectl(args, opts);

/** metav1.Time of a moment `secondsAgo` in the past. */
const ago = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const NODE = `
apiVersion: v1
kind: Node
metadata:
  name: e2e-sim
  labels: { e2e: pods }
  annotations: { sim.skiff.dev/simulated: "true", sim.skiff.dev/heartbeat: paused }
status:
  capacity: { cpu: "4", memory: 8Gi, pods: "110" }
  allocatable: { cpu: "4", memory: 8Gi, pods: "110" }
  conditions:
  - { type: Ready, status: "True", reason: KubeletReady, message: ready, lastHeartbeatTime: "${ago(0)}", lastTransitionTime: "${ago(0)}" }
`;

/** A pod placed on the node whose containers print three lines, one a second. */
function pod(name: string, containers: string[]) {
  const specs = containers.map(c => `  - { name: ${c}, image: nginx, resources: { requests: { cpu: 100m, memory: 32Mi } } }`);
  const annotations = '{ sim.skiff.dev/log-lines: "first\\nsecond\\nthird", sim.skiff.dev/log-interval: 1s }';
  return `---\napiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, labels: { app: ${name} }, annotations: ${annotations} }\n`
    + `spec:\n  nodeName: e2e-sim\n  containers:\n${specs.join('\n')}\n`;
}

/** Writes the pod's status as a kubelet would: every container running since `startedAt`. */
async function markRunning(name: string, containers: string[], startedAt: string) {
  const status = {
    phase: 'Running',
    containerStatuses: containers.map(c => ({ name: c, image: 'nginx', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt } } })),
  };
  ok(await kubectl(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status })]));
}

describe('kubectl on pods of a simulated node', () => {
  beforeAll(async () => {
    ok(await kubectl('apply -f -', { input: NODE + pod('web', ['nginx']) + pod('two', ['a', 'b']) + pod('waiting', ['app']) }));
    await markRunning('web', ['nginx'], ago(60));
    await markRunning('two', ['a', 'b'], ago(60));
  });

  describe('logs', () => {
    it('prints the log as the API serves it, with --tail, --timestamps and -c', async () => {
      const log = ok(await kubectl('logs web'));
      expect(log).toMatch(/\nfirst\nsecond\nthird\n$/);
      expect(log).toBe(ok(await kubectl('get --raw /api/v1/namespaces/default/pods/web/log')));
      expect(ok(await kubectl('logs web --tail=2'))).toBe('second\nthird\n');
      const stamped = lines(ok(await kubectl('logs web --timestamps')));
      expect(stamped).toHaveLength(lines(log).length);
      stamped.forEach(l => expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z /));
      expect(stamped.map(l => l.slice(l.indexOf(' ') + 1))).toEqual(lines(log));

      expect(ok(await kubectl('logs two -c b'))).toBe(ok(await kubectl('get --raw /api/v1/namespaces/default/pods/two/log?container=b')));
      const defaulted = await kubectl('logs two');
      expect(defaulted.code).toBe(0);
      expect(defaulted.stderr).toBe('Defaulted container "a" out of: a, b\n');
    });

    it('says why there is no log', async () => {
      expect(fails(await kubectl('logs web --previous')))
        .toBe('Error from server (BadRequest): previous terminated container "nginx" in pod "web" not found\n');
      expect(fails(await kubectl('logs waiting')))
        .toBe('Error from server (BadRequest): container "app" in pod "waiting" is waiting to start: ContainerCreating\n');
    });

    it('follows the log with -f until the container terminates', async () => {
      ok(await kubectl('apply -f -', { input: pod('follow', ['app']) }));
      const startedAt = ago(1);
      await markRunning('follow', ['app'], startedAt);
      const follow = cluster.kubectl.start('logs -f follow');
      await follow.waitFor(/\n/);
      expect(follow.done).toBe(false);
      const terminated = { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: ago(0) } };
      ok(await kubectl(['patch', 'pod', 'follow', '--subresource=status', '--type=json', '-p',
        JSON.stringify([{ op: 'replace', path: '/status/containerStatuses/0/state', value: terminated }])]));
      const done = await Promise.race([follow.exited, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('logs -f did not end')), 10_000))]);
      expect(done.code).toBe(0);
      expect(done.stderr).toBe('');
      // What it printed is the log of the instance that ended.
      expect(done.stdout).toBe(ok(await kubectl('logs follow')));
    });
  });

  describe('top', () => {
    it('prints pod usage', async () => {
      expectTable(ok(await kubectl('top pods')), [
        row('NAME', 'CPU(cores)', 'MEMORY(bytes)'),
        row('two', /\d+m/, /\d+Mi/),
        row('web', /\d+m/, /\d+Mi/),
      ]);
      expectTable(ok(await kubectl('top pod web')), [row('NAME', 'CPU(cores)', 'MEMORY(bytes)'), row('web', /\d+m/, /\d+Mi/)]);
      expect(fails(await kubectl('top pod waiting'))).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "default/waiting" not found\n');
    });

    it('prints node usage against allocatable', async () => {
      const out = ok(await kubectl('top nodes -l e2e=pods'));
      expectTable(out, [
        row('NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'),
        row('e2e-sim', /\d+m/, /\d+%/, /\d+Mi/, /\d+%/),
      ]);
      const [, cpu, cpuPct, mem, memPct] = lines(out)[1].split(/\s+/).map(cell => parseInt(cell, 10));
      // kubectl's percentages of allocatable (4 cores, 8Gi), truncated.
      expect(cpuPct).toBe(Math.floor(cpu * 100 / 4000));
      expect(Math.abs(memPct - Math.floor(mem * 100 / 8192))).toBeLessThanOrEqual(1);
      // The node uses what its pods use, and some more of its own.
      const pods = lines(ok(await kubectl('top pods --no-headers'))).map(l => l.split(/\s+/).map(cell => parseInt(cell, 10)));
      expect(cpu).toBeGreaterThan(pods.reduce((sum, [, c]) => sum + c, 0));
      expect(mem).toBeGreaterThan(pods.reduce((sum, [, , m]) => sum + m, 0));
    });
  });

  describe('exec and port-forward', () => {
    it('exec fails at once, naming the simulated node', async () => {
      const started = Date.now();
      expect(fails(await kubectl('exec web -- ls', { timeoutMs: 15_000 })))
        .toBe('Error from server (BadRequest): pod default/web runs on simulated node e2e-sim: exec is not available on simulated nodes\n');
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('port-forward fails at once, naming the simulated node', async () => {
      const started = Date.now();
      expect(fails(await kubectl('port-forward pod/web :80', { timeoutMs: 15_000 })))
        .toBe('error: error upgrading connection: pod default/web runs on simulated node e2e-sim: port-forward is not available on simulated nodes\n');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});
