// What pods ask of simulated containers (annotations), and what the logs and metrics routes compute from
// a pod: a container's log lines and its usage.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { containerLogLines, containerUsage, parseDuration, podSetting, POD_SETTINGS } from '../../src/reconcilers/kubelet/conventions.ts';
import { behaviourOf } from '../../src/reconcilers/kubelet/behaviour.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const pod = (annotations: Record<string, string>, status: Pod['status'] = {}, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: 'u-1', annotations },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'envoy' }], ...spec },
  status,
});

describe('settings', () => {
  it('reads Go durations, and bare numbers as seconds', () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration(undefined)).toBeUndefined();
  });

  it('prefers the container own annotation to the pod-wide one', () => {
    const p = pod({ 'sim.skiff.dev/exit-code': '3', 'sim.skiff.dev/side.exit-code': '7' });
    expect(podSetting(p, 'app', POD_SETTINGS.exitCode)).toBe('3');
    expect(podSetting(p, 'side', POD_SETTINGS.exitCode)).toBe('7');
    expect(podSetting(p, 'init', POD_SETTINGS.exitCode, true)).toBeUndefined();
  });

  it('resolves a container behaviour with its defaults', () => {
    const spec = (name: string) => ({ name, image: 'x' });
    expect(behaviourOf(pod({}), spec('app'), 'container')).toEqual({ startAfterMs: 20, exitAfterMs: undefined, exitCode: 0, readyAfterMs: 0, stopAfterMs: 0 });
    expect(behaviourOf(pod({}, {}, { restartPolicy: 'OnFailure' }), spec('app'), 'container').exitAfterMs).toBe(1000);
    expect(behaviourOf(pod({ 'sim.skiff.dev/crash-after': '2s' }), spec('app'), 'container')).toMatchObject({ exitAfterMs: 2000, exitCode: 1 });
    // Pod-wide exit settings are for the regular containers, not init containers.
    expect(behaviourOf(pod({ 'sim.skiff.dev/crash-after': '2s' }), spec('setup'), 'init')).toMatchObject({ exitAfterMs: 100, exitCode: 0 });
    expect(behaviourOf(pod({ 'sim.skiff.dev/setup.exit-code': '4' }), spec('setup'), 'init').exitCode).toBe(4);
    expect(behaviourOf(pod({ 'sim.skiff.dev/never-ready': 'true' }), spec('app'), 'container').readyAfterMs).toBeUndefined();
    expect(behaviourOf(pod({ 'sim.skiff.dev/start-after': '3s', 'sim.skiff.dev/stop-after': '10s' }), spec('app'), 'container'))
      .toMatchObject({ startAfterMs: 3000, stopAfterMs: 10_000 });
  });
});

describe('log lines', () => {
  const running = { name: 'app', ready: true, restartCount: 1, image: 'nginx:1.27', imageID: '', state: { running: { startedAt: iso(T0 + 60_000) } },
    lastState: { terminated: { exitCode: 1, startedAt: iso(T0), finishedAt: iso(T0 + 2000) } } };

  it('shows the start, the declared lines spaced by the interval, and the exit of a terminated instance', () => {
    const p = pod({ 'sim.skiff.dev/log-lines': 'hello\nworld\n', 'sim.skiff.dev/log-interval': '1s' }, { containerStatuses: [running] });
    expect(containerLogLines(p, 'app')).toEqual([
      { time: T0 + 60_000, text: 'sim: started container app (image "nginx:1.27")' },
      { time: T0 + 61_000, text: 'hello' },
      { time: T0 + 62_000, text: 'world' },
    ]);
    // The previous instance ran 2 s: it printed what it had time for, then exited.
    expect(containerLogLines(p, 'app', { previous: true })).toEqual([
      { time: T0, text: 'sim: started container app (image "nginx:1.27")' },
      { time: T0 + 1000, text: 'hello' },
      { time: T0 + 2000, text: 'world' },
      { time: T0 + 2000, text: 'sim: container app exited with code 1' },
    ]);
  });

  it('has no lines for a container that has not started or does not exist', () => {
    const p = pod({}, { containerStatuses: [{ name: 'app', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(containerLogLines(p, 'app')).toEqual([]);
    expect(containerLogLines(p, 'app', { previous: true })).toEqual([]);
    expect(containerLogLines(p, 'nope')).toEqual([]);
  });

  it('prints lines a container declares for itself', () => {
    const p = pod({ 'sim.skiff.dev/log-lines': 'pod-wide', 'sim.skiff.dev/app.log-lines': 'mine' }, { containerStatuses: [running] });
    expect(containerLogLines(p, 'app').map(l => l.text)).toEqual(['sim: started container app (image "nginx:1.27")', 'mine']);
  });
});

describe('usage', () => {
  it('is what the pod declares, else a stable share of the requests', () => {
    const c = { name: 'app', image: 'x', resources: { requests: { cpu: '500m', memory: '256Mi' } } };
    expect(containerUsage(pod({ 'sim.skiff.dev/cpu-usage': '250m', 'sim.skiff.dev/app.memory-usage': '100Mi' }), c)).toEqual({ cpu: '250m', memory: '100Mi' });
    const u = containerUsage(pod({}), c);
    expect(containerUsage(pod({}), c)).toEqual(u);
    const milli = Number(u.cpu.replace('m', ''));
    expect(milli).toBeGreaterThanOrEqual(50);
    expect(milli).toBeLessThanOrEqual(300);
    const ki = Number(u.memory.replace('Ki', ''));
    expect(ki).toBeGreaterThanOrEqual(256 * 1024 * 0.1);
    expect(ki).toBeLessThanOrEqual(256 * 1024 * 0.6);
    // Without requests: a few millicores and some MiB.
    expect(containerUsage(pod({}), { name: 'app', image: 'x' })).toEqual({ cpu: expect.stringMatching(/^\dm$/), memory: expect.stringMatching(/^\d+Ki$/) });
  });
});
