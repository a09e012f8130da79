// Which pending pods a pass tries, as kube-scheduler's queue decides: new pods always; a pod found
// unschedulable again only after a change that could help it — an event one of the plugins that rejected
// it listens for (queueing hints), or a change to the pod itself — or after five minutes regardless.
// Changes are read from the informers' changed keys and reduced to what scheduling looks at, so
// heartbeats and status updates do not wake unschedulable pods.
import type { KubeObject } from '../../api/registry/types.ts';
import type { ClusterEvent, Plugin } from './framework.ts';

/** podMaxInUnschedulablePodsDuration. */
export const RETRY_UNSCHEDULABLE_AFTER_MS = 5 * 60_000;

interface Waiting { uid: string; spec: string; rejectedBy: ReadonlySet<string>; since: number }

export const podKey = (pod: KubeObject) => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name}`;

const nodeFingerprint = (n: KubeObject) =>
  JSON.stringify([n.metadata?.labels, n.spec?.taints, n.spec?.unschedulable, n.status?.allocatable]);

/** What a placed pod shows other pods: where it is, its labels, whether it still holds its node. */
function placedFingerprint(p: KubeObject): string | undefined {
  const phase = p.status?.phase;
  if (!p.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return undefined;
  return JSON.stringify([p.spec.nodeName, p.metadata?.labels, !!p.metadata?.deletionTimestamp]);
}

const podSpecFingerprint = (p: KubeObject) => JSON.stringify([p.spec, p.metadata?.labels]);

export interface Lookup { get(namespace: string, name: string): KubeObject | undefined }

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

export class SchedulingQueue {
  private readonly waiting = new Map<string, Waiting>();
  private readonly nodes = new Map<string, string>();
  private readonly placed = new Map<string, string>();
  private readonly namespaces = new Map<string, string>();

  constructor(private readonly plugins: readonly Plugin[]) {}

  /** The events the changed keys amount to, remembering what each object looked like. */
  observe(
    nodes: { changed: Set<string>; informer: Lookup },
    pods: { changed: Set<string>; informer: Lookup },
    namespaces: { changed: Set<string>; informer: Lookup },
  ): Set<ClusterEvent> {
    const events = new Set<ClusterEvent>();
    for (const key of nodes.changed) {
      const node = nodes.informer.get(...splitKey(key));
      const before = this.nodes.get(key);
      if (!node) {
        if (before !== undefined) events.add('NodeDeleted');
        this.nodes.delete(key);
        continue;
      }
      const now = nodeFingerprint(node);
      if (before === undefined) events.add('NodeAdded');
      else if (before !== now) events.add('NodeUpdated');
      this.nodes.set(key, now);
    }
    for (const key of pods.changed) {
      const pod = pods.informer.get(...splitKey(key));
      const before = this.placed.get(key);
      const now = pod && placedFingerprint(pod);
      if (now === undefined) {
        if (before !== undefined) events.add('AssignedPodDeleted');
        this.placed.delete(key);
        continue;
      }
      if (before === undefined) events.add('AssignedPodAdded');
      else if (before !== now) events.add('AssignedPodUpdated');
      this.placed.set(key, now);
    }
    for (const key of namespaces.changed) {
      const ns = namespaces.informer.get(...splitKey(key));
      const now = JSON.stringify(ns?.metadata?.labels ?? null);
      if (this.namespaces.get(key) !== now) events.add('NamespaceUpdated');
      this.namespaces.set(key, now);
    }
    return events;
  }

  /** The pending pods to try in this pass, in queue order (higher priority first, then older first). */
  due(pending: readonly KubeObject[], events: ReadonlySet<ClusterEvent>, changedPods: ReadonlySet<string>, now: number): KubeObject[] {
    const pendingKeys = new Set<string>();
    const out: KubeObject[] = [];
    const helped = new Set(this.plugins.filter(p => p.retryOn.some(e => events.has(e))).map(p => p.name));
    for (const pod of pending) {
      const key = podKey(pod);
      pendingKeys.add(key);
      const w = this.waiting.get(key);
      if (!w || w.uid !== pod.metadata?.uid) { out.push(pod); continue; }
      const retry = now - w.since >= RETRY_UNSCHEDULABLE_AFTER_MS
        || [...w.rejectedBy].some(name => helped.has(name))
        // Rejected by nothing: there were no nodes at all.
        || (!w.rejectedBy.size && events.has('NodeAdded'))
        || (changedPods.has(key) && podSpecFingerprint(pod) !== w.spec);
      if (retry) out.push(pod);
    }
    for (const key of this.waiting.keys()) if (!pendingKeys.has(key)) this.waiting.delete(key);
    const priority = (p: KubeObject) => (typeof p.spec?.priority === 'number' ? p.spec.priority : 0);
    const created = (p: KubeObject) => String(p.metadata?.creationTimestamp ?? '');
    return out.sort((a, b) => priority(b) - priority(a) || (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0));
  }

  unschedulable(pod: KubeObject, rejectedBy: ReadonlySet<string>, now: number) {
    this.waiting.set(podKey(pod), { uid: pod.metadata?.uid, spec: podSpecFingerprint(pod), rejectedBy, since: now });
  }

  /** Drops what is known about the pod: if it is pending again, it is tried as a new one. */
  forget(pod: KubeObject) {
    this.waiting.delete(podKey(pod));
  }

  /** When the earliest unschedulable pod is due its periodic retry (ms from now), if any waits. */
  nextRetryIn(now: number): number | undefined {
    let soonest: number | undefined;
    for (const w of this.waiting.values()) soonest = Math.min(soonest ?? Infinity, w.since + RETRY_UNSCHEDULABLE_AFTER_MS - now);
    return soonest === undefined ? undefined : Math.max(0, soonest);
  }
}
