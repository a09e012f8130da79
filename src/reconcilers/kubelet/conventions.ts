// What the simulated kubelet shares with the rest of Skiff: which nodes it runs, the annotations by which
// nodes and pods ask for a behaviour, and what a simulated container prints and uses. The logs and metrics
// routes compute from these, so what they serve matches the states the kubelet wrote.
import type { Container, ContainerStateRunning, ContainerStateTerminated, Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../api/registry/quantity.ts';
import { hashUnit } from './hash.ts';

export const SIM_PREFIX = 'sim.skiff.dev/';

// ---- nodes ----

/** `"true"` on a Node: the simulated kubelet runs it (NodePools set it on the nodes they make). */
export const SIMULATED_ANNOTATION = 'sim.skiff.dev/simulated';
/** `"paused"` on a simulated Node: its kubelet stops heartbeating and syncing pods, as if the machine went away. */
export const HEARTBEAT_ANNOTATION = 'sim.skiff.dev/heartbeat';
/** A JSON object of quantities (`{"cpu":"8","memory":"32Gi","pods":"110"}`): the node's capacity and allocatable. */
export const CAPACITY_ANNOTATION = 'sim.skiff.dev/capacity';
/** The node's InternalIP, when it should not be derived from its name. */
export const INTERNAL_IP_ANNOTATION = 'sim.skiff.dev/internal-ip';

type Annotated = { metadata?: { annotations?: Record<string, string> | null } };

export const isSimulatedNode = (node: Annotated | undefined): boolean => node?.metadata?.annotations?.[SIMULATED_ANNOTATION] === 'true';
export const isHeartbeatPaused = (node: Annotated | undefined): boolean => node?.metadata?.annotations?.[HEARTBEAT_ANNOTATION] === 'paused';

// ---- pods ----

/**
 * What a pod may ask of its simulated containers, as `sim.skiff.dev/<name>` (every container the setting
 * applies to) or `sim.skiff.dev/<container>.<name>` (that one container, init containers included).
 */
export const POD_SETTINGS = {
  /** Duration until the container exits by itself (default: never; 1s when the pod's restartPolicy is not Always). */
  exitAfter: 'exit-after',
  /** The exit code it exits with (default 0, or 1 with crash-after). */
  exitCode: 'exit-code',
  /** Like exit-after with exit code 1: under restartPolicy Always the container crash-loops. */
  crashAfter: 'crash-after',
  /** Duration from start until the container is ready (default 0, or the readinessProbe's initialDelaySeconds). */
  readyAfter: 'ready-after',
  /** `"true"`: the container never becomes ready. */
  neverReady: 'never-ready',
  /** Duration of image pull, create and start. */
  startAfter: 'start-after',
  /** Duration the container takes to exit after SIGTERM (default 0; past the grace period it is killed). */
  stopAfter: 'stop-after',
  /** The lines the container prints, one per line of the value. */
  logLines: 'log-lines',
  /** Duration between two printed lines (default: all at start). */
  logInterval: 'log-interval',
  /** The container's CPU usage as a quantity (default: a stable share of its request). */
  cpuUsage: 'cpu-usage',
  /** The container's memory usage as a quantity (default: a stable share of its request). */
  memoryUsage: 'memory-usage',
} as const;

export type PodSetting = typeof POD_SETTINGS[keyof typeof POD_SETTINGS];

/**
 * A setting's value for a container: the container's own annotation, else the pod's (unless `ownOnly`,
 * for settings a pod-wide annotation does not give to every kind of container).
 */
export function podSetting(pod: Annotated, container: string, setting: PodSetting, ownOnly = false): string | undefined {
  const a = pod.metadata?.annotations;
  if (!a) return undefined;
  return a[`${SIM_PREFIX}${container}.${setting}`] ?? (ownOnly ? undefined : a[`${SIM_PREFIX}${setting}`]);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1m30s", "500ms", "2h") in ms; a bare number counts seconds. Undefined when unreadable. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return Math.round(ms);
}

// ---- what a simulated container prints ----

export interface LogLine {
  /** When the line was written (ms); lines may lie in the future of a running container: they come due. */
  time: number;
  text: string;
}

const allContainers = (pod: Pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
const allStatuses = (pod: Pod) => [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];

/**
 * The log of one instance of a container (the current one, or with `previous` the one before the last
 * restart): a start line, the lines the pod declares, and an exit line once it has terminated. Lines the
 * instance would print after it terminated are not there.
 */
export function containerLogLines(pod: Pod, container: string, opts: { previous?: boolean } = {}): LogLine[] {
  const spec = allContainers(pod).find(c => c.name === container);
  const status = allStatuses(pod).find(s => s.name === container);
  const state = opts.previous ? status?.lastState : status?.state;
  const instance: ContainerStateRunning | ContainerStateTerminated | undefined = state?.running ?? state?.terminated;
  const start = Date.parse(instance?.startedAt ?? '');
  if (!spec || Number.isNaN(start)) return [];
  const end = state?.terminated ? Date.parse(state.terminated.finishedAt ?? '') : NaN;
  const interval = parseDuration(podSetting(pod, container, POD_SETTINGS.logInterval)) ?? 0;
  const declared = (podSetting(pod, container, POD_SETTINGS.logLines) ?? '').replace(/\n$/, '');
  const lines: LogLine[] = [{ time: start, text: `sim: started container ${container} (image "${spec.image ?? ''}")` }];
  if (declared) {
    // Lines printed at once still get distinct times, so --since-time and --timestamps keep their order.
    declared.split('\n').forEach((text, i) => lines.push({ time: start + (i + 1) * Math.max(interval, 1), text }));
  }
  if (Number.isNaN(end)) return lines;
  // finishedAt has whole seconds: the instance may have printed until the end of that second.
  const shown = lines.filter(l => l.time < end + 1000);
  shown.push({ time: Math.max(end, shown[shown.length - 1].time), text: `sim: container ${container} exited with code ${state!.terminated!.exitCode}` });
  return shown;
}

// ---- what a simulated container uses ----

/**
 * A running container's usage (cpu, memory quantities): what the pod declares, else a share of its
 * requests (or small defaults) that is stable for the container and different between containers.
 */
export function containerUsage(pod: Pod, container: Container): { cpu: string; memory: string } {
  const seed = `${pod.metadata?.uid ?? pod.metadata?.name}/${container.name}`;
  const share = 0.1 + 0.5 * hashUnit(`${seed}/usage`);
  const requested = (resource: string, fallback: number) => {
    const q = parseQuantity(container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource]);
    return q ? Number(q.nano) / 1e9 : fallback;
  };
  const cpu = podSetting(pod, container.name, POD_SETTINGS.cpuUsage)
    ?? `${Math.max(1, Math.round(requested('cpu', 0.01) * share * 1000))}m`;
  const memory = podSetting(pod, container.name, POD_SETTINGS.memoryUsage)
    ?? `${Math.max(1024, Math.round(requested('memory', 64 * 2 ** 20) * share / 1024))}Ki`;
  return { cpu, memory };
}
