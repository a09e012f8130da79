// The lifecycles of simulated nodes and their pods, as data for the engine (engine.ts): which objects each
// stage selects, how long after which timestamp it comes due, and what it changes (containers.ts,
// node-status.ts). Read top to bottom, a pod's stages tell its story; on a tie the earlier stage goes first.
import type { Node } from 'kubernetes-types/core/v1';
import type { Expression } from './fields.ts';
import type { Stage } from './engine.ts';
import { HEARTBEAT_ANNOTATION, SIMULATED_ANNOTATION } from './conventions.ts';
import {
  acceptPod, assignAddresses, backOff, backOffMs, containerViews, deletionStartMs, exitContainer, killing, markReady,
  nextInitStartMs, restartContainer, startContainer, startNextInit, stopContainer, stopDelayMs, stopSidecar,
  type ContainerView, type PodEnv,
} from './containers.ts';
import { initializeNode, reportStatus, STATUS_REPORT_MS, type NodeEnv } from './node-status.ts';
import type { SimPod } from './pod-status.ts';

const exists = (key: string): Expression => ({ key, operator: 'Exists' });
const absent = (key: string): Expression => ({ key, operator: 'DoesNotExist' });
const isIn = (key: string, ...values: string[]): Expression => ({ key, operator: 'In', values });
const notIn = (key: string, ...values: string[]): Expression => ({ key, operator: 'NotIn', values });

const deleting = exists('.metadata.deletionTimestamp');
const notDeleting = absent('.metadata.deletionTimestamp');
const running = exists('.status.state.running');
/** Per-container stages: one per container status, init containers first. */
const containers = (...selector: Expression[]) => ({ items: containerViews, id: (c: ContainerView) => c.name, selector });

type PodStage = Stage<SimPod, any, PodEnv>;

export const podStages: PodStage[] = [
  // ---- deletion: SIGTERM to every running container, each exits (or is killed at the end of the grace
  // period), then the kubelet deletes the pod for good. The deletion timestamp is the end of the grace period.
  {
    name: 'pod-delete',
    selector: [deleting, absent('.status.containerStatuses[*].state.running'), absent('.status.initContainerStatuses[*].state.running')],
    delay: { from: ['.metadata.deletionTimestamp'], ms: deletionStartMs },
    next: () => ({ delete: true }),
  },
  {
    name: 'container-killing', once: true,
    selector: [deleting], each: containers(running),
    delay: { from: ['.pod.metadata.deletionTimestamp'], ms: (c: ContainerView) => deletionStartMs(c.pod) },
    next: killing,
  },
  {
    name: 'container-stop',
    selector: [deleting], each: containers(running),
    delay: { from: ['.pod.metadata.deletionTimestamp'], ms: stopDelayMs },
    next: stopContainer,
  },

  // ---- start: the kubelet admits the pod, sets up its sandbox (addresses), runs the init containers one
  // by one, then starts the containers (pulling images as their pull policy says).
  {
    name: 'pod-accept',
    selector: [notDeleting, isIn('.status.phase', 'Pending'), absent('.status.hostIP')],
    delay: { from: ['.metadata.creationTimestamp', '.status.conditions[type=PodScheduled].lastTransitionTime'] },
    next: acceptPod,
  },
  {
    name: 'pod-sandbox',
    selector: [notDeleting, isIn('.status.phase', 'Pending'), exists('.status.hostIP'), absent('.status.podIP')],
    delay: { from: ['.status.startTime'], ms: 10, jitterMs: 10 },
    next: assignAddresses,
  },
  {
    name: 'init-container-start',
    selector: [notDeleting, exists('.status.podIP'), isIn('.status.initContainerStatuses[*].state.waiting.reason', 'PodInitializing')],
    delay: {
      from: [
        '.status.conditions[type=PodReadyToStartContainers].lastTransitionTime',
        '.status.initContainerStatuses[*].state.terminated.finishedAt', '.status.initContainerStatuses[*].state.running.startedAt',
      ],
      ms: nextInitStartMs, jitterMs: 30,
    },
    next: startNextInit,
  },
  {
    name: 'container-start',
    selector: [notDeleting, exists('.status.podIP'), isIn('.status.conditions[type=Initialized].status', 'True')],
    each: containers(isIn('.kind', 'container'), isIn('.status.state.waiting.reason', 'ContainerCreating', 'PodInitializing')),
    delay: {
      from: ['.pod.status.conditions[type=Initialized].lastTransitionTime', '.pod.status.conditions[type=PodReadyToStartContainers].lastTransitionTime'],
      ms: (c: ContainerView) => c.sim.startAfterMs, jitterMs: 30,
    },
    next: startContainer,
  },

  // ---- run: containers become ready, exit when they are asked to (or when their work is done), and are
  // restarted as the restart policy says, with the kubelet's back-off between crashes.
  {
    name: 'container-ready',
    selector: [notDeleting], each: containers(notIn('.kind', 'init'), running, isIn('.status.ready', 'false')),
    delay: { from: ['.status.state.running.startedAt'], ms: (c: ContainerView) => c.sim.readyAfterMs },
    next: markReady,
  },
  {
    name: 'container-exit',
    selector: [notDeleting], each: containers(running),
    delay: { from: ['.status.state.running.startedAt'], ms: (c: ContainerView) => c.sim.exitAfterMs },
    next: exitContainer,
  },
  {
    name: 'container-back-off',
    selector: [notDeleting], each: containers(isIn('.restarting', 'true'), exists('.status.state.terminated'), notIn('.status.restartCount', '0')),
    delay: { from: ['.status.state.terminated.finishedAt'] },
    next: backOff,
  },
  {
    name: 'container-restart',
    selector: [notDeleting], each: containers(isIn('.restarting', 'true')),
    delay: {
      from: ['.status.state.terminated.finishedAt', '.status.lastState.terminated.finishedAt'],
      ms: (c: ContainerView) => backOffMs(c.status.restartCount),
    },
    next: restartContainer,
  },
  {
    name: 'sidecar-stop',
    selector: [isIn('.status.phase', 'Succeeded', 'Failed')], each: containers(isIn('.kind', 'sidecar'), running),
    delay: { from: ['.pod.status.containerStatuses[*].state.terminated.finishedAt'] },
    next: stopSidecar,
  },
];

const simulated = isIn(`.metadata.annotations["${SIMULATED_ANNOTATION}"]`, 'true');
const heartbeating = notIn(`.metadata.annotations["${HEARTBEAT_ANNOTATION}"]`, 'paused');

export const nodeStages: Stage<Node, undefined, NodeEnv>[] = [
  {
    name: 'node-initialize',
    selector: [simulated, heartbeating, absent('.status.nodeInfo.kubeletVersion')],
    delay: { from: ['.metadata.creationTimestamp'] },
    next: initializeNode,
  },
  {
    name: 'node-status-report',
    selector: [simulated, heartbeating, exists('.status.nodeInfo.kubeletVersion')],
    delay: { from: ['.status.conditions[type=Ready].lastHeartbeatTime'], ms: STATUS_REPORT_MS },
    next: reportStatus,
  },
];
