// The pod garbage collector: pods bound to a node that no longer exists are deleted, once the node has
// been gone for a short quarantine (a node object can be recreated right after a delete).
import { perClusterController, writesTo, type Controller, type ControllerContext } from './runtime.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';
import { rfc3339 } from '../util/time.ts';

const NAME = 'pod-garbage-collector';
const QUARANTINE_MS = 40_000;

export function podGarbageCollector(): Controller {
  // Per pod key: when its node was first seen missing.
  return perClusterController(NAME, () => new Map<string, number>(), async (ctx: ControllerContext, since) => {
    const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
    const pods = await ctx.informers.get('', 'v1', 'pods', NAME);
    const now = ctx.clock.now();
    const nodeGone = [...nodes.changed].some(k => !nodes.informer.get('', k.slice(1)));
    // A node deletion can orphan any pod; otherwise only changed pods need a look.
    const candidates = nodeGone ? pods.informer.list() as KubeObject[]
      : [...pods.changed].map(k => pods.informer.get(...split(k)) as KubeObject | undefined).filter((p): p is KubeObject => !!p);
    for (const pod of candidates) {
      const nodeName = pod.spec?.nodeName;
      const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (nodeName && !nodes.informer.get('', nodeName)) {
        if (!since.has(key)) since.set(key, now);
      } else {
        since.delete(key);
      }
    }
    for (const [key, from] of since) {
      const pod = pods.informer.get(...split(key)) as KubeObject | undefined;
      if (!pod || nodes.informer.get('', pod.spec?.nodeName)) { since.delete(key); continue; }
      if (now - from < QUARANTINE_MS) continue;
      if (now > ctx.deadline) break;
      await collect(ctx, pod, now);
      since.delete(key);
    }
    if (!since.size) return undefined;
    const next = Math.min(...since.values()) + QUARANTINE_MS - now;
    return { requeueAfterMs: Math.max(next, 10) };
  }, writesTo('nodes', 'pods'));
}

function split(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Marks why the pod goes (as upstream's DisruptionTarget condition) and deletes it without a grace period. */
async function collect(ctx: ControllerContext, pod: KubeObject, now: number) {
  const pods = ctx.api.catalog.find('', 'v1', 'pods')!;
  const target = { def: pods, namespace: pod.metadata?.namespace, name: pod.metadata?.name };
  try {
    const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', lastTransitionTime: rfc3339(now),
      message: 'PodGC: node no longer exists',
    });
    await ctx.api.patch(ctx.scope, { ...target, subresource: 'status' }, 'merge', { status: { conditions } }, { fieldManager: NAME });
    await ctx.api.delete(ctx.scope, target, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
  } catch (e) {
    if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
  }
}
