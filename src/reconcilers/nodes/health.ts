// Node health as the node lifecycle controller judges it: when a node last showed signs of life (its Lease
// in kube-node-lease, its Ready condition's heartbeat, its creation), and the conditions it gets once
// that is longer ago than the grace period.
import type { KubeObject } from '../../api/registry/types.ts';
import { parseTime, rfc3339 } from '../../util/time.ts';

export interface HealthOptions {
  /** How long a node that has posted status may stay silent (--node-monitor-grace-period, 50s since 1.32). */
  monitorGracePeriodMs: number;
  /** How long a node that never posted status gets (--node-startup-grace-period). */
  startupGracePeriodMs: number;
}

export const DEFAULT_HEALTH: HealthOptions = { monitorGracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

/** The conditions a kubelet posts, which the controller turns Unknown when the kubelet goes silent. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const readyCondition = (node: KubeObject) => (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');

/** The moment (clock ms) the node counts as silent unless it shows a sign of life before. */
export function silentAt(node: KubeObject, lease: KubeObject | undefined, opts: HealthOptions): number {
  const ready = readyCondition(node);
  const heartbeat = Math.max(
    parseTime(lease?.spec?.renewTime) ?? -Infinity,
    parseTime(ready?.lastHeartbeatTime) ?? -Infinity,
    parseTime(node.metadata?.creationTimestamp) ?? -Infinity,
  );
  return heartbeat + (ready ? opts.monitorGracePeriodMs : opts.startupGracePeriodMs);
}

/**
 * The node's conditions with every kubelet condition Unknown, as upstream writes them for a silent node;
 * undefined when they already are (nothing to write).
 */
export function unknownConditions(node: KubeObject, now: number): any[] | undefined {
  const conditions: any[] = structuredClone(node.status?.conditions ?? []);
  let changed = false;
  for (const type of KUBELET_CONDITIONS) {
    const c = conditions.find(x => x.type === type);
    if (c?.status === 'Unknown') continue;
    changed = true;
    if (c) {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) });
    } else {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: rfc3339(now),
      });
    }
  }
  return changed ? conditions : undefined;
}
