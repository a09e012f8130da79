// What a simulated node reports, its node stages, and the addresses it hands out (pure functions).
import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import { advance } from '../../src/reconcilers/kubelet/engine.ts';
import { nodeStages } from '../../src/reconcilers/kubelet/stages.ts';
import { capacityOf, deriveInternalIP, deriveNode, type NodeEnv } from '../../src/reconcilers/kubelet/node-status.ts';
import { PodAddresses } from '../../src/reconcilers/kubelet/pod-ips.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const env: NodeEnv = { internalIP: () => '172.16.0.9' };

const node = (name: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {}): Node => ({
  metadata: { name, uid: `uid-${name}`, creationTimestamp: iso(T0), annotations: { 'sim.skiff.dev/simulated': 'true', ...annotations }, labels },
  spec: {},
});

const run = (n: Node, now: number) => advance(nodeStages, n, now, {
  seed: n.metadata!.uid!, env, derive: (x, at) => (x.status?.nodeInfo?.kubeletVersion ? deriveNode(x, at, env) : x),
});

describe('simulated node status', () => {
  it('registers with labels, capacity, conditions, addresses and node info, and says so in events', () => {
    const r = run(node('pool-4', {}, { 'topology.kubernetes.io/zone': 'eu-1' }), T0);
    const n = r.object;
    expect(n.metadata!.labels).toEqual({
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': 'pool-4',
      'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'sim-4cpu-16Gi', 'topology.kubernetes.io/zone': 'eu-1',
    });
    expect(n.status!.capacity).toEqual({ cpu: '4', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16Gi', pods: '110' });
    expect(n.status!.conditions!.every(c => c.lastHeartbeatTime === iso(T0) && c.lastTransitionTime === iso(T0))).toBe(true);
    expect(n.status!.addresses).toEqual([{ type: 'InternalIP', address: '172.16.0.9' }, { type: 'Hostname', address: 'pool-4' }]);
    expect(n.status!.nodeInfo).toMatchObject({ kubeletVersion: 'v1.35.0', machineID: expect.stringMatching(/^[0-9a-f]{32}$/), bootID: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(r.events.map(e => e.reason)).toEqual(['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeAllocatableEnforced', 'NodeReady']);
    // The heartbeat of the status comes 5 minutes later.
    expect(r.nextAt).toBe(T0 + 5 * 60_000);
    // Pool nodes spread over zones by index.
    expect(run(node('pool-5'), T0).object.metadata!.labels!['topology.kubernetes.io/zone']).toBe('zone-c');
  });

  it('posts its status every 5 minutes when nothing changes, at once when something does', () => {
    const registered = run(node('n'), T0).object;
    const quiet = run(registered, T0 + 60_000);
    expect(quiet.changed).toBe(false);
    const report = run(registered, T0 + 5 * 60_000).object;
    const ready = report.status!.conditions!.find(c => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'True', lastHeartbeatTime: iso(T0 + 5 * 60_000), lastTransitionTime: iso(T0) });
    // The node lifecycle controller marked it Unknown: the kubelet posts Ready again.
    const unknown = { ...registered, status: { ...registered.status, conditions: registered.status!.conditions!.map(c => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c)) } };
    const back = run(unknown, T0 + 70_000).object.status!.conditions!.find(c => c.type === 'Ready')!;
    expect(back).toMatchObject({ status: 'True', reason: 'KubeletReady', lastTransitionTime: iso(T0 + 70_000), lastHeartbeatTime: iso(T0 + 70_000) });
    // New capacity is posted when it is declared.
    const bigger = { ...registered, metadata: { ...registered.metadata, annotations: { ...registered.metadata!.annotations, 'sim.skiff.dev/capacity': '{"cpu":"16","pods":250}' } } };
    expect(run(bigger, T0 + 80_000).object.status!.allocatable).toMatchObject({ cpu: '16', pods: '250', memory: '16Gi' });
  });

  it('leaves a paused or unsimulated node alone', () => {
    expect(run(node('n', { 'sim.skiff.dev/heartbeat': 'paused' }), T0)).toMatchObject({ changed: false, nextAt: undefined });
    expect(run({ metadata: { name: 'agent', uid: 'a', creationTimestamp: iso(T0) } }, T0)).toMatchObject({ changed: false, nextAt: undefined });
  });

  it('reads capacity from its annotation, ignoring what is not a quantity map', () => {
    expect(capacityOf(node('n', { 'sim.skiff.dev/capacity': '{"cpu":"2000m","memory":"8192Mi"}' }))).toMatchObject({ cpu: '2', memory: '8Gi' });
    expect(capacityOf(node('n', { 'sim.skiff.dev/capacity': 'lots' })).cpu).toBe('4');
  });

  it('derives a stable, unique node address from the name', () => {
    const taken = new Set<string>();
    const a = deriveInternalIP('node-a', ip => taken.has(ip));
    expect(deriveInternalIP('node-a', ip => taken.has(ip))).toBe(a);
    taken.add(a);
    expect(deriveInternalIP('node-a', ip => taken.has(ip))).not.toBe(a);
    expect(a).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/);
  });
});

describe('pod addresses', () => {
  const n = { spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24', 'fd00:10:244:3::/64'] } };
  const running = (ip: string) => ({ spec: { nodeName: 'n' }, status: { phase: 'Running', podIP: ip } });

  it('hands out the lowest free address, .1 kept, one per range of the node', () => {
    const ips = new PodAddresses();
    expect(ips.assign('ns/a', 'n', n)).toEqual(['10.244.3.2', 'fd00:10:244:3::2']);
    expect(ips.assign('ns/b', 'n', n)).toEqual(['10.244.3.3', 'fd00:10:244:3::3']);
    // Asking again gives the same (a status write may have failed in between).
    expect(ips.assign('ns/a', 'n', n)?.[0]).toBe('10.244.3.2');
    expect(ips.assign('ns/x', 'other', { spec: {} })).toBeUndefined();
  });

  it('learns held addresses back from pods and frees those of finished or deleted pods', () => {
    const ips = new PodAddresses();
    ips.observe('ns/a', running('10.244.3.2'), n);
    ips.observe('ns/b', running('10.244.3.3'), n);
    expect(ips.assign('ns/c', 'n', n)?.[0]).toBe('10.244.3.4');
    ips.observe('ns/a', { ...running('10.244.3.2'), status: { phase: 'Succeeded', podIP: '10.244.3.2' } }, n);
    ips.observe('ns/b', undefined, n);
    expect(ips.assign('ns/d', 'n', n)?.[0]).toBe('10.244.3.2');
    expect(ips.assign('ns/e', 'n', n)?.[0]).toBe('10.244.3.3');
  });

  it('runs out when the range is full', () => {
    const ips = new PodAddresses();
    const small = { spec: { podCIDR: '10.0.0.0/30' } };
    expect(ips.assign('a', 'n', small)).toEqual(['10.0.0.2']);
    expect(ips.assign('b', 'n', small)).toBeUndefined();
  });
});
