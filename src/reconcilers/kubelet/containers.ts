// What happens to a pod's containers at each stage, as a kubelet reports it: the status it writes (states,
// restart counts, container and image ids, addresses) and the events it records, with upstream's reasons
// and messages. Each function is one stage's change; stages.ts says when they happen.
import type { Container, ContainerStatus } from 'kubernetes-types/core/v1';
import type { EventRecord } from '../events.ts';
import type { Change } from './engine.ts';
import { rfc3339 } from '../../util/time.ts';
import { hashHex, hashUnit } from './hash.ts';
import { behaviourOf, type Behaviour, type ContainerKind } from './behaviour.ts';
import { isSidecar, restartsAfter, type SimPod, type Status } from './pod-status.ts';

/** What the pod stages see of the node a pod runs on. */
export interface PodEnv {
  hostIP: string;
  /** The pod's addresses from the node's podCIDR (reserved on first call); undefined: none to be had yet. */
  podIPs(): string[] | undefined;
  /** Images present on the node: the second pod of an image finds it "already present". */
  images: Set<string>;
}

/** A container as the per-container stages select it. */
export interface ContainerView {
  kind: ContainerKind;
  name: string;
  spec: Container;
  status: ContainerStatus;
  /** What the pod's annotations ask of it. */
  sim: Behaviour;
  /** It has stopped and the pod's restart policy starts it again. */
  restarting: boolean;
  /** The pod it belongs to, for stages that count from the pod's timestamps. */
  pod: SimPod;
}

/** Views by pod object: every stage of an evaluation looks at the same pod, so they are built once. */
const viewCache = new WeakMap<SimPod, ContainerView[]>();

export function containerViews(pod: SimPod): ContainerView[] {
  const cached = viewCache.get(pod);
  if (cached) return cached;
  const views: ContainerView[] = [];
  viewCache.set(pod, views);
  const add = (specs: Container[] | undefined, statuses: ContainerStatus[] | undefined, init: boolean) => {
    for (const status of statuses ?? []) {
      const spec = specs?.find(c => c.name === status.name);
      if (!spec) continue;
      const kind: ContainerKind = !init ? 'container' : spec.restartPolicy === 'Always' ? 'sidecar' : 'init';
      const exit = status.state?.terminated;
      const restarting = status.state?.waiting?.reason === 'CrashLoopBackOff' || (!!exit && restartsAfter(pod, kind, exit.exitCode));
      views.push({ kind, name: spec.name, spec, status, sim: behaviourOf(pod, spec, kind), restarting, pod });
    }
  };
  add(pod.spec?.initContainers, pod.status?.initContainerStatuses, true);
  add(pod.spec?.containers, pod.status?.containerStatuses, false);
  return views;
}

const fieldPath = (c: { kind: ContainerKind; name: string }) => `spec.${c.kind === 'container' ? 'containers' : 'initContainers'}{${c.name}}`;

/** upstream's format.Pod: name_namespace(uid). */
const podRef = (pod: SimPod) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

/** The pod with one container's status replaced. */
function withStatus(pod: SimPod, c: { kind: ContainerKind; name: string }, next: ContainerStatus): SimPod {
  const list = c.kind === 'container' ? 'containerStatuses' : 'initContainerStatuses';
  const statuses = (pod.status?.[list] ?? []).map(s => (s.name === c.name ? next : s));
  return { ...pod, status: { ...pod.status, [list]: statuses } };
}

// ---- the pod arrives ----

function waitingStatus(spec: Container, reason: string): ContainerStatus {
  return {
    name: spec.name, image: spec.image ?? '', imageID: '', ready: false, restartCount: 0, started: false,
    state: { waiting: { reason } }, lastState: {}, ...resourcesOf(spec),
  };
}

const resourcesOf = (spec: Container) =>
  spec.resources?.requests || spec.resources?.limits ? { resources: structuredClone(spec.resources) } : {};

/** The kubelet admits the pod: host address, start time, every container waiting. */
export function acceptPod(pod: SimPod, at: number, _item: unknown, env: PodEnv): Change<SimPod> {
  const inits = pod.spec?.initContainers ?? [];
  const status: Status = {
    ...pod.status, hostIP: env.hostIP, hostIPs: [{ ip: env.hostIP }], startTime: rfc3339(at),
    ...(inits.length ? { initContainerStatuses: inits.map(c => waitingStatus(c, 'PodInitializing')) } : {}),
    containerStatuses: (pod.spec?.containers ?? []).map(c => waitingStatus(c, inits.length ? 'PodInitializing' : 'ContainerCreating')),
  };
  // A pod created with spec.nodeName never saw a scheduler: the kubelet reports it scheduled.
  if (!status.conditions?.some(c => c.type === 'PodScheduled')) {
    status.conditions = [...status.conditions ?? [], { type: 'PodScheduled', status: 'True', lastProbeTime: null as any, lastTransitionTime: rfc3339(at) }];
  }
  // Host-network pods share the node's address; they need no sandbox network.
  if (pod.spec?.hostNetwork) Object.assign(status, { podIP: env.hostIP, podIPs: [{ ip: env.hostIP }] });
  return { object: { ...pod, status } };
}

/** The sandbox is up: the pod gets its addresses (none to be had yet: it waits). */
export function assignAddresses(pod: SimPod, _at: number, _item: unknown, env: PodEnv): Change<SimPod> | undefined {
  const ips = env.podIPs();
  if (!ips) return undefined;
  return { object: { ...pod, status: { ...pod.status, podIP: ips[0], podIPs: ips.map(ip => ({ ip })) } } };
}

// ---- containers start ----

/** An image reference as the runtime reports it: registry, repository and tag spelled out. */
export function normalizeImage(image: string): string {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? '' : image.slice(at);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const domain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let full = domain ? name : slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  if (!digest && !full.slice(full.lastIndexOf('/') + 1).includes(':')) full += ':latest';
  return full + digest;
}

function imageID(image: string): string {
  const full = normalizeImage(image);
  const at = full.indexOf('@');
  if (at >= 0) return full;
  const repo = full.slice(0, full.lastIndexOf(':'));
  return `${repo}@sha256:${hashHex(full, 64)}`;
}

/** Go's time.Duration.String() for whole milliseconds: 20ms, 1.302s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const h = Math.floor(ms / 3_600_000), m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${Number(((ms % 60_000) / 1000).toFixed(3))}s`;
  return h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s;
}

/** Pulling/Pulled (as the pull policy and the node's images have it), Created, Started. */
function startEvents(c: { kind: ContainerKind; name: string; spec: Container; sim: Behaviour }, env: PodEnv): EventRecord[] {
  const image = c.spec.image ?? '';
  const full = normalizeImage(image);
  const policy = c.spec.imagePullPolicy ?? 'IfNotPresent';
  const path = fieldPath(c);
  const events: EventRecord[] = [];
  if (policy === 'Always' || (policy === 'IfNotPresent' && !env.images.has(full))) {
    const took = goDuration(Math.max(1, c.sim.startAfterMs));
    const size = 5_000_000 + Math.floor(hashUnit(full) * 200_000_000);
    events.push(
      { type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath: path },
      { type: 'Normal', reason: 'Pulled', message: `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${size} bytes.`, fieldPath: path },
    );
    env.images.add(full);
  } else {
    events.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine and can be accessed by the pod`, fieldPath: path });
  }
  events.push(
    { type: 'Normal', reason: 'Created', message: 'Container created', fieldPath: path },
    { type: 'Normal', reason: 'Started', message: 'Container started', fieldPath: path },
  );
  return events;
}

function runningStatus(pod: SimPod, spec: Container, before: ContainerStatus, restartCount: number, at: number): ContainerStatus {
  return {
    name: spec.name, image: normalizeImage(spec.image ?? ''), imageID: imageID(spec.image ?? ''),
    containerID: `containerd://${hashHex(`${pod.metadata?.uid}/${spec.name}/${restartCount}`, 64)}`,
    ready: false, restartCount, started: true, state: { running: { startedAt: rfc3339(at) } },
    lastState: before.lastState ?? {}, ...resourcesOf(spec),
  };
}

/** The next init container starts once those before it completed (sidecars: started). */
export function startNextInit(pod: SimPod, at: number, _item: unknown, env: PodEnv): Change<SimPod> | undefined {
  for (const spec of pod.spec?.initContainers ?? []) {
    const status = pod.status?.initContainerStatuses?.find(s => s.name === spec.name);
    if (!status) return undefined;
    const sidecar = spec.restartPolicy === 'Always';
    if (sidecar ? status.started : status.state?.terminated?.exitCode === 0) continue;
    if (status.state?.waiting?.reason !== 'PodInitializing') return undefined; // running, or failed and backing off
    const c = { kind: (sidecar ? 'sidecar' : 'init') as ContainerKind, name: spec.name, spec, sim: behaviourOf(pod, spec, sidecar ? 'sidecar' : 'init') };
    return { object: withStatus(pod, c, runningStatus(pod, spec, status, 0, at)), events: startEvents(c, env) };
  }
  return undefined;
}

/** The init containers' delay: the start time of the one that starts next. */
export function nextInitStartMs(pod: SimPod): number | undefined {
  const next = (pod.status?.initContainerStatuses ?? []).find(s => s.state?.waiting?.reason === 'PodInitializing');
  const spec = pod.spec?.initContainers?.find(c => c.name === next?.name);
  return spec ? behaviourOf(pod, spec, isSidecar(pod, spec.name) ? 'sidecar' : 'init').startAfterMs : undefined;
}

/** A regular container starts for the first time. */
export function startContainer(pod: SimPod, at: number, c: ContainerView, env: PodEnv): Change<SimPod> {
  return { object: withStatus(pod, c, runningStatus(pod, c.spec, c.status, 0, at)), events: startEvents(c, env) };
}

// ---- containers run ----

export function markReady(pod: SimPod, _at: number, c: ContainerView): Change<SimPod> {
  return { object: withStatus(pod, c, { ...c.status, ready: true }) };
}

function terminated(c: ContainerView, exitCode: number, at: number): ContainerStatus {
  return {
    ...c.status, ready: false, started: false,
    state: {
      terminated: {
        exitCode, reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: c.status.state?.running?.startedAt, finishedAt: rfc3339(at), containerID: c.status.containerID,
      },
    },
  };
}

/** The container's process exits by itself (its work done, or a crash). */
export function exitContainer(pod: SimPod, at: number, c: ContainerView): Change<SimPod> {
  return { object: withStatus(pod, c, terminated(c, c.sim.exitCode, at)) };
}

/** kubelet's restart back-off (10s doubling to 5m): none before the first restart. */
export function backOffMs(restartCount: number): number {
  return restartCount === 0 ? 0 : Math.min(10_000 * 2 ** (restartCount - 1), 300_000);
}

/** A container that exited again waits out its back-off: CrashLoopBackOff. */
export function backOff(pod: SimPod, _at: number, c: ContainerView): Change<SimPod> {
  const message = `back-off ${goDuration(backOffMs(c.status.restartCount))} restarting failed container=${c.name} pod=${podRef(pod)}`;
  return {
    object: withStatus(pod, c, { ...c.status, state: { waiting: { reason: 'CrashLoopBackOff', message } }, lastState: { terminated: c.status.state!.terminated } }),
    events: [{ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${podRef(pod)}`, fieldPath: fieldPath(c) }],
  };
}

export function restartContainer(pod: SimPod, at: number, c: ContainerView, env: PodEnv): Change<SimPod> {
  const last = c.status.state?.terminated ? { terminated: c.status.state.terminated } : c.status.lastState ?? {};
  const next = runningStatus(pod, c.spec, { ...c.status, lastState: last }, c.status.restartCount + 1, at);
  return { object: withStatus(pod, c, next), events: startEvents(c, env) };
}

// ---- the pod goes ----

/** Deletion begins: the kubelet sends SIGTERM to each running container. */
export function killing(_pod: SimPod, _at: number, c: ContainerView): Change<SimPod> {
  return { events: [{ type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}`, fieldPath: fieldPath(c) }] };
}

/** Graceful stop: the container exits 0 when it stops within the grace period, else it is killed (137). */
export function stopContainer(pod: SimPod, at: number, c: ContainerView): Change<SimPod> {
  const graceMs = (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return { object: withStatus(pod, c, terminated(c, c.sim.stopAfterMs < graceMs ? 0 : 137, at)) };
}

/** Once the regular containers are done for good, the kubelet stops the sidecars. */
export function stopSidecar(pod: SimPod, at: number, c: ContainerView): Change<SimPod> {
  return { object: withStatus(pod, c, terminated(c, 0, at)) };
}

/** The delay of a graceful stop, from the deletion timestamp (which is the end of the grace period). */
export function stopDelayMs(c: ContainerView): number {
  const graceMs = (c.pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return Math.min(c.sim.stopAfterMs, graceMs) - graceMs;
}

export const deletionStartMs = (pod: SimPod) => -(pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
