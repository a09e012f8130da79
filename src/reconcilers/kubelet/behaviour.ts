// What one simulated container does, resolved from the pod's annotations (conventions.ts) and spec:
// how long it takes to start, whether and when it exits and with what code, when it is ready, how long it
// takes to stop. The stages read these as their delays.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { POD_SETTINGS, parseDuration, podSetting } from './conventions.ts';

/** init: runs to completion before the next; sidecar: an init container with restartPolicy Always. */
export type ContainerKind = 'init' | 'sidecar' | 'container';

export interface Behaviour {
  /** Image pull, create and start (stage jitter comes on top). */
  startAfterMs: number;
  /** From start until the container exits by itself; undefined: it runs until stopped. */
  exitAfterMs?: number;
  exitCode: number;
  /** From start until ready; undefined: never. */
  readyAfterMs?: number;
  /** From SIGTERM until it exits; past the grace period it is killed. */
  stopAfterMs: number;
}

/** Kept small so that a pod is Running well within a second of being bound. */
export const DEFAULT_START_MS = 20;
/** An init container's work. */
export const DEFAULT_INIT_RUN_MS = 100;
/** A container of a pod that is not restarted forever (a Job's): it does its work and exits 0. */
export const DEFAULT_RUN_TO_COMPLETION_MS = 1000;

export function behaviourOf(pod: Pod, spec: Container, kind: ContainerKind): Behaviour {
  const name = spec.name;
  // Pod-wide exit and readiness settings are for the regular containers; init containers and sidecars
  // follow them only when named.
  const own = kind !== 'container';
  const setting = (s: Parameters<typeof podSetting>[2], ownOnly = false) => podSetting(pod, name, s, ownOnly);
  const crashAfter = parseDuration(setting(POD_SETTINGS.crashAfter, own));
  const exitAfter = crashAfter ?? parseDuration(setting(POD_SETTINGS.exitAfter, own)) ?? defaultRunMs(pod, kind);
  const code = setting(POD_SETTINGS.exitCode, own);
  const exitCode = code !== undefined && /^\d+$/.test(code) ? Number(code) : crashAfter !== undefined ? 1 : 0;
  const neverReady = setting(POD_SETTINGS.neverReady, own) === 'true';
  const probeDelay = spec.readinessProbe ? (spec.readinessProbe.initialDelaySeconds ?? 0) * 1000 : 0;
  return {
    startAfterMs: parseDuration(setting(POD_SETTINGS.startAfter)) ?? DEFAULT_START_MS,
    exitAfterMs: exitAfter,
    exitCode,
    readyAfterMs: neverReady ? undefined : parseDuration(setting(POD_SETTINGS.readyAfter, own)) ?? probeDelay,
    stopAfterMs: parseDuration(setting(POD_SETTINGS.stopAfter)) ?? 0,
  };
}

function defaultRunMs(pod: Pod, kind: ContainerKind): number | undefined {
  if (kind === 'init') return DEFAULT_INIT_RUN_MS;
  if (kind === 'container' && (pod.spec?.restartPolicy ?? 'Always') !== 'Always') return DEFAULT_RUN_TO_COMPLETION_MS;
  return undefined;
}
