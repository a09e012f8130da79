// Pods actually run, as a user of the real kubectl sees it: the default cluster's three simulated nodes are
// Ready; `kubectl run` gets a pod scheduled, started and Running with an address from its node within
// moments; the scheduler's and the kubelet's events tell the story; node selectors, cordons, completing
// pods, graceful deletion, logs and usage behave as on a real cluster. Nothing here writes status by hand.
import { describe, expect, it } from 'vitest';
import { AGE, ANY, eventually, expectTable, fails, lines, ok, row, useCluster } from './helpers.ts';

const cluster = useCluster();
const kubectl = (args: string[] | string, opts?: Parameters<typeof cluster.kubectl>[1]) => cluster.kubectl(args, opts);

const NODES = ['sim-0', 'sim-1', 'sim-2'];
const POD_WIDE_HEADER = row('NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
const NOT_HELPFUL = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

/** The rows of `kubectl describe`'s Events section, as [type, reason, age, from, message]. */
function describedEvents(describe: string): string[][] {
  const all = lines(describe);
  const start = all.findIndex(l => l.startsWith('Events:'));
  expect(start, describe).toBeGreaterThanOrEqual(0);
  if (all[start].endsWith('<none>')) return [];
  expect(all[start + 1]).toMatch(row('', 'Type', 'Reason', 'Age', 'From', 'Message'));
  return all.slice(start + 3).map(l => {
    const [, type, reason, age, from, message] = /^\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(l)!;
    return [type, reason, age, from, message];
  });
}
const withoutAge = (events: string[][]) => events.map(([type, reason, , from, message]) => [type, reason, from, message]);

/** The pod's row of `kubectl get pod -o wide`, once it matches. */
const wideRowOf = (name: string, ...cells: (string | RegExp)[]) => eventually(async () => {
  const out = ok(await kubectl(['get', 'pod', name, '-o', 'wide']));
  expectTable(out, [POD_WIDE_HEADER, row(name, ...cells)]);
  return lines(out)[1].split(/\s+/);
}, 10_000);

/** The node's spec.podCIDR, e.g. 10.128.1.0/24. */
const podCIDROf = async (node: string) => ok(await kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.podCIDR}']));
/** Whether the address is a pod address of the /24 (not the network, not the node's own .1). */
function expectInRange(ip: string, cidr: string) {
  expect(cidr).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
  const net = cidr.slice(0, -'0/24'.length);
  expect(ip.startsWith(net), `${ip} in ${cidr}`).toBe(true);
  expect(Number(ip.slice(net.length))).toBeGreaterThanOrEqual(2);
}

describe('workloads on the simulated nodes, with kubectl', () => {
  it('lists the three simulated nodes, Ready, with their kubelet version and internal IPs', async () => {
    await eventually(async () => expectTable(ok(await kubectl('get nodes')), [
      'NAME    STATUS   ROLES    AGE   VERSION',
      ...NODES.map(n => row(n, 'Ready', '<none>', AGE, 'v1.35.0')),
    ]), 10_000);
    const wide = ok(await kubectl('get nodes -o wide'));
    const ips = await Promise.all(NODES.map(async n => ok(await kubectl(['get', 'node', n, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']))));
    expectTable(wide, [
      row('NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'),
      ...NODES.map((n, i) => row(n, 'Ready', '<none>', AGE, 'v1.35.0', ips[i], '<none>', 'Skiff Simulated Linux', '6.8.0-sim', 'containerd://2.1.4')),
    ]);
    // Distinct private addresses of 172.16.0.0/12.
    for (const ip of ips) expect(ip).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/);
    expect(new Set(ips).size).toBe(3);
  });

  it('runs a pod within moments of `kubectl run`: wait returns, get -o wide shows it Running with an address of its node', async () => {
    const started = Date.now();
    expect(ok(await kubectl('run web --image=nginx'))).toBe('pod/web created\n');
    expect(ok(await kubectl('wait --for=condition=Ready pod/web --timeout=20s', { timeoutMs: 30_000 }))).toBe('pod/web condition met\n');
    expect(Date.now() - started).toBeLessThan(5000);

    const [, , , , , ip, node] = await wideRowOf('web', '1/1', 'Running', '0', AGE, /10\.\d+\.\d+\.\d+/, /sim-[012]/, '<none>', '<none>');
    expectInRange(ip, await podCIDROf(node));
  });

  it('describes the pod: where it runs, and the scheduler\'s and kubelet\'s events in order', async () => {
    const node = ok(await kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.spec.nodeName}']));
    const hostIP = ok(await kubectl(['get', 'node', node, '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']));
    const podIP = ok(await kubectl(['get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']));
    const out = ok(await kubectl('describe pod web'));
    const field = (name: string) => lines(out).find(l => l.startsWith(`${name}:`))?.replace(/^[^:]+:\s+/, '');
    expect([field('Name'), field('Node'), field('Status'), field('IP')]).toEqual(['web', `${node}/${hostIP}`, 'Running', podIP]);

    const events = describedEvents(out);
    for (const [, , age] of events) expect(age).toMatch(AGE);
    const pulled = withoutAge(events)[2];
    expect(pulled.slice(0, 3)).toEqual(['Normal', 'Pulled', 'kubelet']);
    expect(pulled[3]).toMatch(/^spec\.containers\{web\}: Successfully pulled image "nginx" in \d+ms \(\d+ms including waiting\)\. Image size: \d+ bytes\.$/);
    expect(withoutAge(events)).toEqual([
      ['Normal', 'Scheduled', 'default-scheduler', `Successfully assigned default/web to ${node}`],
      ['Normal', 'Pulling', 'kubelet', 'spec.containers{web}: Pulling image "nginx"'],
      pulled,
      ['Normal', 'Created', 'kubelet', 'spec.containers{web}: Container created'],
      ['Normal', 'Started', 'kubelet', 'spec.containers{web}: Container started'],
    ]);
  });

  it('prints the running pod\'s simulated log and its usage', async () => {
    expect(ok(await kubectl('logs web'))).toBe('sim: started container web (image "nginx")\n');
    expectTable(ok(await kubectl('top pod web')), [row('NAME', 'CPU(cores)', 'MEMORY(bytes)'), row('web', /\d+m/, /\d+Mi/)]);
  });

  it('keeps a pod no node\'s labels match Pending, and runs it once `kubectl label node` makes one match', async () => {
    const overrides = JSON.stringify({ apiVersion: 'v1', spec: { nodeSelector: { disktype: 'ssd' } } });
    expect(ok(await kubectl(['run', 'picky', '--image=nginx', `--overrides=${overrides}`]))).toBe('pod/picky created\n');
    const message = `0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. ${NOT_HELPFUL}`;
    await eventually(async () => expect(withoutAge(describedEvents(ok(await kubectl('describe pod picky')))))
      .toEqual([['Warning', 'FailedScheduling', 'default-scheduler', message]]));
    expectTable(ok(await kubectl('get pod picky')), ['NAME    READY   STATUS    RESTARTS   AGE', row('picky', '0/1', 'Pending', '0', AGE)]);

    expect(ok(await kubectl('label node sim-1 disktype=ssd'))).toBe('node/sim-1 labeled\n');
    const [, , , , , ip] = await wideRowOf('picky', '1/1', 'Running', '0', AGE, ANY, 'sim-1', '<none>', '<none>');
    expectInRange(ip, await podCIDROf('sim-1'));
    expect(withoutAge(describedEvents(ok(await kubectl('describe pod picky')))).slice(0, 2)).toEqual([
      ['Warning', 'FailedScheduling', 'default-scheduler', message],
      ['Normal', 'Scheduled', 'default-scheduler', 'Successfully assigned default/picky to sim-1'],
    ]);
    ok(await kubectl('label node sim-1 disktype-'));
  });

  it('keeps a new pod Pending while every node is cordoned, and places it on uncordon', async () => {
    expect(ok(await kubectl(['cordon', ...NODES]))).toBe(NODES.map(n => `node/${n} cordoned\n`).join(''));
    expectTable(ok(await kubectl('get nodes')), [
      'NAME    STATUS                     ROLES    AGE   VERSION',
      ...NODES.map(n => row(n, 'Ready,SchedulingDisabled', '<none>', AGE, 'v1.35.0')),
    ]);
    ok(await kubectl('run blocked --image=nginx'));
    const message = `0/3 nodes are available: 3 node(s) were unschedulable. ${NOT_HELPFUL}`;
    await eventually(async () => expect(withoutAge(describedEvents(ok(await kubectl('describe pod blocked')))))
      .toEqual([['Warning', 'FailedScheduling', 'default-scheduler', message]]));
    expectTable(ok(await kubectl('get pod blocked -o wide')), [POD_WIDE_HEADER, row('blocked', '0/1', 'Pending', '0', AGE, '<none>', '<none>', '<none>', '<none>')]);

    expect(ok(await kubectl(['uncordon', ...NODES]))).toBe(NODES.map(n => `node/${n} uncordoned\n`).join(''));
    await wideRowOf('blocked', '1/1', 'Running', '0', AGE, ANY, /sim-[012]/, '<none>', '<none>');
    const events = withoutAge(describedEvents(ok(await kubectl('describe pod blocked'))));
    expect(events.filter(e => e[1] === 'Scheduled')).toEqual([['Normal', 'Scheduled', 'default-scheduler', expect.stringMatching(/^Successfully assigned default\/blocked to sim-[012]$/)]]);
    // (Uncordoning one node after the other, a pass may see a node uncordoned but still tainted: one more FailedScheduling.)
    expect(events[0]).toEqual(['Warning', 'FailedScheduling', 'default-scheduler', message]);
    expect(events.map(e => e[1]).slice(-3)).toEqual(['Pulled', 'Created', 'Started']);
  });

  it('runs pods to completion: Completed when the container exits 0, Error otherwise', async () => {
    ok(await kubectl('run done --image=busybox --restart=Never --annotations=sim.skiff.dev/exit-after=1s'));
    ok(await kubectl('run failed --image=busybox --restart=Never --annotations=sim.skiff.dev/exit-after=1s --annotations=sim.skiff.dev/exit-code=2'));
    expect(ok(await kubectl('wait --for=jsonpath={.status.phase}=Succeeded pod/done --timeout=20s', { timeoutMs: 30_000 }))).toBe('pod/done condition met\n');
    expect(ok(await kubectl('wait --for=jsonpath={.status.phase}=Failed pod/failed --timeout=20s', { timeoutMs: 30_000 }))).toBe('pod/failed condition met\n');
    expectTable(ok(await kubectl('get pods done failed')), [
      'NAME     READY   STATUS      RESTARTS   AGE',
      row('done', '0/1', 'Completed', '0', AGE),
      row('failed', '0/1', 'Error', '0', AGE),
    ]);
    expect(ok(await kubectl(['get', 'pod', 'failed', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}'])))
      .toBe('2 Error');
    expect(ok(await kubectl('logs done'))).toBe('sim: started container done (image "busybox")\nsim: container done exited with code 0\n');
    expect(ok(await kubectl('logs failed'))).toBe('sim: started container failed (image "busybox")\nsim: container failed exited with code 2\n');
  });

  it('deletes a running pod gracefully: Terminating until its container has stopped, then gone', async () => {
    ok(await kubectl('run slow --image=nginx --annotations=sim.skiff.dev/stop-after=4s'));
    ok(await kubectl('wait --for=condition=Ready pod/slow --timeout=20s', { timeoutMs: 30_000 }));

    const started = Date.now();
    const deleting = cluster.kubectl.start('delete pod slow');
    await eventually(async () => expectTable(ok(await kubectl('get pod slow')), [
      'NAME   READY   STATUS        RESTARTS   AGE', row('slow', ANY, 'Terminating', '0', AGE),
    ]));
    expect(deleting.done).toBe(false);
    const done = await deleting.exited;
    // The container takes 4 s to stop after SIGTERM (deletion timestamps have whole seconds: 3 s at least).
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(done).toEqual({ code: 0, stdout: 'pod "slow" deleted from default namespace\n', stderr: '' });
    expect(fails(await kubectl('get pod slow'))).toBe('Error from server (NotFound): pods "slow" not found\n');
    const killing = lines(ok(await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=slow,reason=Killing'])));
    expect(killing.slice(1)).toEqual([expect.stringMatching(row(AGE, 'Normal', 'Killing', 'pod/slow', 'Stopping container slow'))]);
  });
});
