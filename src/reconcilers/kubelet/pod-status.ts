// The parts of a pod's status a kubelet computes from its containers' states rather than sets (kubelet's
// getPhase and status/generate.go): the phase and the PodReadyToStartContainers, Initialized, Ready and
// ContainersReady conditions, readiness gates included. Recomputed after every stage and on every look.
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { jsonEqual } from '../../util/equal.ts';
import { rfc3339 } from '../../util/time.ts';

/** PodStatus as of 1.35, which kubernetes-types does not have yet. */
export type Status = PodStatus & { observedGeneration?: number; conditions?: (PodCondition & { observedGeneration?: number })[] };
export type SimPod = Pod & { status?: Status };

export const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export const isSidecar = (pod: Pod, name: string) =>
  (pod.spec?.initContainers ?? []).some(c => c.name === name && c.restartPolicy === 'Always');

/** Whether the pod starts a container of this kind again after it exited with this code. */
export function restartsAfter(pod: Pod, kind: 'init' | 'sidecar' | 'container', exitCode: number): boolean {
  if (pod.metadata?.deletionTimestamp || isTerminal(pod)) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (kind === 'sidecar') return true;
  if (kind === 'init') return policy !== 'Never' && exitCode !== 0;
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

/** Stopped for good, or stopped and waiting to be restarted. */
const hasRun = (s: ContainerStatus) => !!(s.state?.terminated || s.lastState?.terminated);
const succeeded = (s: ContainerStatus | undefined) => s?.state?.terminated?.exitCode === 0;

function phaseOf(pod: SimPod): string {
  const s = pod.status!;
  if (isTerminal(pod)) return s.phase!;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const inits = s.initContainerStatuses ?? [];
  for (const c of inits) {
    if (isSidecar(pod, c.name)) { if (!c.started) return 'Pending'; continue; }
    if (succeeded(c)) continue;
    const failed = (c.state?.terminated?.exitCode ?? c.lastState?.terminated?.exitCode ?? 0) !== 0 && !c.state?.running;
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0, stopped = 0, ok = 0, waiting = 0;
  for (const c of s.containerStatuses ?? []) {
    if (c.state?.running) running++;
    else if (hasRun(c)) { stopped++; if (succeeded(c)) ok++; } else waiting++;
  }
  if (waiting) return 'Pending';
  if (running) return 'Running';
  if (!stopped) return 'Pending';
  // Every container has stopped: a pod being deleted ends here; otherwise its restart policy decides.
  const allOk = ok === stopped;
  if (pod.metadata?.deletionTimestamp) return allOk ? 'Succeeded' : 'Failed';
  if (policy === 'Always') return 'Running';
  if (allOk) return 'Succeeded';
  return policy === 'OnFailure' ? 'Running' : 'Failed';
}

type Condition = { status: 'True' | 'False'; reason?: string; message?: string };

/** Go prints a []string as [a b]. */
const list = (names: string[]) => `[${names.join(' ')}]`;

function initialized(pod: SimPod, phase: string): Condition {
  const pending = (pod.status!.initContainerStatuses ?? [])
    .filter(c => (isSidecar(pod, c.name) ? !c.started : !succeeded(c)))
    .map(c => c.name);
  if (phase === 'Succeeded') return { status: 'True', reason: 'PodCompleted' };
  if (pending.length) return { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${list(pending)}` };
  return { status: 'True' };
}

function containersReady(pod: SimPod, phase: string): Condition {
  if (phase === 'Succeeded') return { status: 'False', reason: 'PodCompleted' };
  const sidecars = (pod.status!.initContainerStatuses ?? []).filter(c => isSidecar(pod, c.name));
  const unready = [...sidecars, ...(pod.status!.containerStatuses ?? [])].filter(c => !c.ready).map(c => c.name);
  if (unready.length) return { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${list(unready)}` };
  return { status: 'True' };
}

function ready(pod: SimPod, containers: Condition): Condition {
  if (containers.status !== 'True') return containers;
  const problems: string[] = [];
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = (pod.status!.conditions ?? []).find(x => x.type === gate.conditionType);
    if (!c) problems.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') problems.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  return problems.length ? { status: 'False', reason: 'ReadinessGatesNotReady', message: problems.join(', ') } : { status: 'True' };
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

/** The pod with its phase and kubelet conditions recomputed (the same object when nothing changes). */
export function derivePodStatus(pod: SimPod, at: number): SimPod {
  const s = pod.status;
  // Until the kubelet has accepted the pod, its status is the scheduler's.
  if (!s?.hostIP) return pod;
  const phase = phaseOf(pod);
  const containers = containersReady(pod, phase);
  const computed: Record<string, Condition> = {
    PodReadyToStartContainers: { status: s.podIP && phase !== 'Succeeded' && phase !== 'Failed' ? 'True' : 'False' },
    Initialized: initialized(pod, phase),
    Ready: ready(pod, containers),
    ContainersReady: containers,
  };
  const generation = pod.metadata?.generation;
  const old = s.conditions ?? [];
  const conditions = [
    ...KUBELET_CONDITIONS.map(type => {
      const c = computed[type];
      const before = old.find(x => x.type === type);
      // A condition keeps its transition time while its status stays.
      const since = before?.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : rfc3339(at);
      return {
        type, status: c.status, lastProbeTime: null, lastTransitionTime: since,
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
        ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}),
      } as unknown as NonNullable<Status["conditions"]>[number];
    }),
    ...old.filter(x => !KUBELET_CONDITIONS.includes(x.type)),
  ];
  if (phase === s.phase && jsonEqual(conditions, s.conditions) && s.observedGeneration === generation) return pod;
  return { ...pod, status: { ...s, phase, conditions, ...(generation !== undefined ? { observedGeneration: generation } : {}) } };
}
