// The pod stages run by the engine on a pod in memory, as the kubelet controller would run them pass after
// pass: what status and events each moment of a pod's life shows, and when.
import { describe, expect, it } from 'vitest';
import { advance } from '../../src/reconcilers/kubelet/engine.ts';
import { podStages } from '../../src/reconcilers/kubelet/stages.ts';
import { derivePodStatus, type SimPod } from '../../src/reconcilers/kubelet/pod-status.ts';
import type { PodEnv } from '../../src/reconcilers/kubelet/containers.ts';
import type { EventRecord } from '../../src/reconcilers/events.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A pod as the API stores it after defaults and create. */
function pod(spec: Record<string, any> = {}, annotations: Record<string, string> = {}): SimPod {
  const container = (c: Record<string, any>) => ({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', ...c });
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: '0b5c3f0e-1111-4222-8333-444455556666', generation: 1, creationTimestamp: iso(T0), annotations },
    spec: {
      nodeName: 'n1', restartPolicy: 'Always', terminationGracePeriodSeconds: 30,
      ...spec,
      containers: (spec.containers ?? [{ name: 'app', image: 'nginx:1.27' }]).map(container),
      ...(spec.initContainers ? { initContainers: spec.initContainers.map(container) } : {}),
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  } as SimPod;
}

/** Runs the stages as passes `stepMs` (100 ms) apart until `untilMs` after T0; records every event with the second it came in. */
function simulate(start: SimPod, untilMs: number, opts: { stepMs?: number; ips?: string[] | undefined; images?: Set<string> } = {}) {
  const env: PodEnv = {
    hostIP: '172.16.0.5',
    podIPs: () => ('ips' in opts ? opts.ips : ['10.244.0.2']), images: opts.images ?? new Set(),
  };
  const fired = new Set<string>();
  const events: (EventRecord & { at: number })[] = [];
  let current = start;
  let deleted: number | undefined;
  for (let now = T0; now <= T0 + untilMs && deleted === undefined; now += opts.stepMs ?? 100) {
    const r = advance(podStages, current, now, { seed: current.metadata!.uid!, env, derive: derivePodStatus, fired });
    current = r.object;
    for (const id of r.fired) fired.add(id);
    events.push(...r.events.map(e => ({ ...e, at: Math.floor((now - T0) / 1000) })));
    if (r.delete) deleted = now - T0;
  }
  return { pod: current, events, deleted };
}

const status = (p: SimPod, name: string) => [...p.status?.initContainerStatuses ?? [], ...p.status?.containerStatuses ?? []].find(c => c.name === name)!;
const condition = (p: SimPod, type: string) => p.status?.conditions?.find(c => c.type === type);
const reasons = (events: EventRecord[]) => events.map(e => `${e.reason} ${e.fieldPath ?? ''}`.trim());

describe('pod stages', () => {
  it('start a pod: accepted, addressed, pulled, started, ready, in its first second', () => {
    const { pod: p, events } = simulate(pod(), 1000);
    expect(p.status).toMatchObject({ phase: 'Running', hostIP: '172.16.0.5', hostIPs: [{ ip: '172.16.0.5' }], podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }], startTime: iso(T0), observedGeneration: 1 });
    expect(p.status!.conditions!.map(c => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
    ]);
    expect(reasons(events)).toEqual(['Pulling spec.containers{app}', 'Pulled spec.containers{app}', 'Created spec.containers{app}', 'Started spec.containers{app}']);
    expect(events[0].message).toBe('Pulling image "nginx:1.27"');
  });

  it('wait for the node podCIDR before the sandbox, with the host address already reported', () => {
    const { pod: p } = simulate(pod(), 5000, { ips: undefined });
    expect(p.status).toMatchObject({ phase: 'Pending', hostIP: '172.16.0.5' });
    expect(p.status!.podIP).toBeUndefined();
    expect(status(p, 'app').state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(condition(p, 'PodReadyToStartContainers')!.status).toBe('False');
  });

  it('give host-network pods the host address', () => {
    const { pod: p } = simulate(pod({ hostNetwork: true }), 1000, { ips: undefined });
    expect(p.status).toMatchObject({ phase: 'Running', podIP: '172.16.0.5' });
  });

  it('find images already pulled on the node, unless the pull policy is Always', () => {
    const images = new Set<string>();
    simulate(pod(), 1000, { images });
    const again = simulate(pod(), 1000, { images });
    expect(again.events.find(e => e.reason === 'Pulled')!.message).toBe('Container image "nginx:1.27" already present on machine and can be accessed by the pod');
    const always = simulate(pod({ containers: [{ name: 'app', image: 'nginx:1.27', imagePullPolicy: 'Always' }] }), 1000, { images });
    expect(reasons(always.events)).toContain('Pulling spec.containers{app}');
  });

  it('run init containers in order, each after the one before completed', () => {
    const spec = { initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }] };
    const annotations = { 'sim.skiff.dev/one.exit-after': '5s', 'sim.skiff.dev/two.exit-after': '5s' };
    let r = simulate(pod(spec, annotations), 1000);
    expect(r.pod.status!.phase).toBe('Pending');
    expect(status(r.pod, 'one').state?.running).toBeDefined();
    expect(status(r.pod, 'two').state?.waiting?.reason).toBe('PodInitializing');
    expect(condition(r.pod, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [one two]' });
    r = simulate(pod(spec, annotations), 6000);
    expect(status(r.pod, 'one').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', startedAt: iso(T0), finishedAt: iso(T0 + 5000) });
    expect(status(r.pod, 'two').state?.running?.startedAt).toBe(iso(T0 + 5000));
    r = simulate(pod(spec, annotations), 11_000);
    expect(r.pod.status!.phase).toBe('Running');
    expect(condition(r.pod, 'Initialized')!.status).toBe('True');
    expect(r.events.filter(e => e.reason === 'Started').map(e => [e.fieldPath, e.at])).toEqual([
      ['spec.initContainers{one}', 0], ['spec.initContainers{two}', 5], ['spec.containers{app}', 10],
    ]);
  });

  it('start sidecars and keep them running; stop them when the job is done', () => {
    const spec = { restartPolicy: 'Never', initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] };
    let r = simulate(pod(spec), 500);
    expect(status(r.pod, 'proxy')).toMatchObject({ started: true, ready: true, state: { running: {} } });
    expect(status(r.pod, 'app').state?.running).toBeDefined();
    r = simulate(pod(spec), 2000);
    expect(r.pod.status!.phase).toBe('Succeeded');
    expect(status(r.pod, 'proxy').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('wait for the readiness delay, and never for never-ready', () => {
    let r = simulate(pod({}, { 'sim.skiff.dev/ready-after': '5s' }), 4900);
    expect(r.pod.status!.phase).toBe('Running');
    expect(condition(r.pod, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
    expect(condition(r.pod, 'Ready')!.status).toBe('False');
    r = simulate(pod({}, { 'sim.skiff.dev/ready-after': '5s' }), 5000);
    expect(condition(r.pod, 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: iso(T0 + 5000) });
    r = simulate(pod({}, { 'sim.skiff.dev/never-ready': 'true' }), 60_000, { stepMs: 10_000 });
    expect(condition(r.pod, 'Ready')!.status).toBe('False');
    // A readiness probe's initial delay is the default.
    r = simulate(pod({ containers: [{ name: 'app', image: 'nginx', readinessProbe: { initialDelaySeconds: 3, httpGet: { port: 80 } } }] }), 2000);
    expect(condition(r.pod, 'Ready')!.status).toBe('False');
  });

  it('keep Ready False until the readiness gates are True', () => {
    const r = simulate(pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }), 1000);
    expect(condition(r.pod, 'ContainersReady')!.status).toBe('True');
    expect(condition(r.pod, 'Ready')).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' });
    const gated = { ...r.pod, status: { ...r.pod.status, conditions: [...r.pod.status!.conditions!, { type: 'example.com/lb', status: 'False' }] } } as SimPod;
    expect(condition(derivePodStatus(gated, T0 + 2000), 'Ready')!.message).toBe('the status of pod readiness gate "example.com/lb" is not "True", but False');
    gated.status!.conditions!.at(-1)!.status = 'True';
    expect(condition(derivePodStatus(gated, T0 + 3000), 'Ready')).toMatchObject({ status: 'True', lastTransitionTime: iso(T0 + 3000) });
  });

  it('crash-loop with the kubelet back-off: at once, then 10 s, 20 s, 40 s', () => {
    const r = simulate(pod({}, { 'sim.skiff.dev/crash-after': '2s' }), 100_000);
    const starts = r.events.filter(e => e.reason === 'Started').map(e => e.at);
    // Up 2 s each time: crashes at 2, 4, 16, 38, 80; restarts right after the first, then after the back-off.
    expect(starts).toEqual([0, 2, 14, 36, 78]);
    const c = status(r.pod, 'app');
    expect(c.restartCount).toBe(4);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', finishedAt: iso(T0 + 80_000) });
    expect(c.state?.waiting).toEqual({ reason: 'CrashLoopBackOff', message: `back-off 1m20s restarting failed container=app pod=p_default(${r.pod.metadata!.uid})` });
    expect(r.pod.status!.phase).toBe('Running');
    const backOffs = r.events.filter(e => e.reason === 'BackOff');
    expect(backOffs.map(e => e.at)).toEqual([4, 16, 38, 80]);
    expect(backOffs[0]).toMatchObject({ type: 'Warning', message: `Back-off restarting failed container app in pod p_default(${r.pod.metadata!.uid})` });
    // Restarts find the image on the node.
    expect(r.events.filter(e => e.reason === 'Pulled').slice(1).every(e => e.message.includes('already present'))).toBe(true);
  });

  it('complete a pod: Succeeded on 0, Failed otherwise, restarted by OnFailure', () => {
    let r = simulate(pod({ restartPolicy: 'Never' }), 2000);
    expect(r.pod.status!.phase).toBe('Succeeded');
    expect(status(r.pod, 'app').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: iso(T0 + 1000) });
    expect(condition(r.pod, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(r.pod, 'PodReadyToStartContainers')!.status).toBe('False');
    r = simulate(pod({ restartPolicy: 'Never' }, { 'sim.skiff.dev/exit-after': '30s', 'sim.skiff.dev/app.exit-code': '2' }), 40_000, { stepMs: 5000 });
    expect(r.pod.status!.phase).toBe('Failed');
    expect(status(r.pod, 'app').state?.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    r = simulate(pod({ restartPolicy: 'OnFailure' }, { 'sim.skiff.dev/exit-code': '1' }), 3000);
    expect(r.pod.status!.phase).toBe('Running');
    expect(status(r.pod, 'app').restartCount).toBe(1);
    // A failed init container fails a Never pod.
    r = simulate(pod({ restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox' }] }, { 'sim.skiff.dev/setup.exit-code': '1' }), 2000);
    expect(r.pod.status!.phase).toBe('Failed');
  });

  it('terminate on delete: Killing at once, stopped when the container exits or at the end of the grace period, then delete', () => {
    const deleting = (p: SimPod, atMs: number, grace: number): SimPod =>
      ({ ...p, metadata: { ...p.metadata, deletionTimestamp: iso(T0 + atMs + grace * 1000), deletionGracePeriodSeconds: grace } });
    const running = simulate(pod({}, { 'sim.skiff.dev/stop-after': '5s' }), 10_000).pod;
    let r = simulate(deleting(running, 20_000, 30), 40_000);
    expect(r.events.filter(e => e.reason === 'Killing')).toEqual([
      { type: 'Normal', reason: 'Killing', message: 'Stopping container app', fieldPath: 'spec.containers{app}', at: 20 },
    ]);
    expect(r.deleted).toBe(25_000);
    expect(status(r.pod, 'app').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed', finishedAt: iso(T0 + 25_000) });
    expect(r.pod.status!.phase).toBe('Succeeded');
    // One that outlasts the grace period is killed when it ends.
    r = simulate(deleting(running, 20_000, 2), 40_000);
    expect(r.deleted).toBe(22_000);
    expect(status(r.pod, 'app').state?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(r.pod.status!.phase).toBe('Failed');
    // A pod that never started goes at once.
    r = simulate(deleting(pod(), 0, 30), 1000, { ips: undefined });
    expect(r.deleted).toBe(0);
    expect(r.events).toEqual([]);
  });
});
