// The scheduler as a reconciler (kube-scheduler, DESIGN §1): each pass snapshots the cluster from the
// shared informers, runs a scheduling cycle for every pending pod that is due, binds the pods that found a
// node (many bindings in flight at once) and reports the others as Unschedulable — once per distinct
// message, not on every pass.
import { perClusterController, writesTo, type Controller, type ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { bind } from '../../api/subresources.ts';
import { turnTaker } from '../../util/turns.ts';
import { rfc3339 } from '../../util/time.ts';
import { ClusterSnapshot } from './snapshot.ts';
import { newSchedulingState, schedulePod, type SchedulingState } from './schedule.ts';
import { SchedulingQueue } from './queue.ts';
import { DEFAULT_PROFILE, DEFAULT_SCHEDULER } from './profile.ts';
import { InFlight } from './in-flight.ts';

const NAME = 'scheduler';
const FIELD_MANAGER = 'kube-scheduler';
const SOURCE = { component: DEFAULT_SCHEDULER };
/** Bindings (and status writes) outstanding at once. */
const MAX_IN_FLIGHT = 128;

interface ClusterMemory { queue: SchedulingQueue; state: SchedulingState }

/** Pods this scheduler is responsible for: unassigned, ours, not finished, deleted or gated. */
function isPending(pod: KubeObject): boolean {
  const spec = pod.spec ?? {};
  if (spec.nodeName || pod.metadata?.deletionTimestamp) return false;
  if ((spec.schedulerName ?? DEFAULT_SCHEDULER) !== DEFAULT_SCHEDULER) return false;
  if (spec.schedulingGates?.length) return false;
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

const scheduledCondition = (pod: KubeObject) => (pod.status?.conditions ?? []).find((c: any) => c.type === 'PodScheduled');

/** Whether a terminal API answer means the pod moved on (deleted, bound elsewhere, changed): the next pass sees. */
const movedOn = (e: unknown) => e instanceof StatusError && (e.code === 404 || e.code === 409);

export function scheduler(): Controller {
  return perClusterController(NAME, (): ClusterMemory => ({ queue: new SchedulingQueue(DEFAULT_PROFILE), state: newSchedulingState() }), schedulingPass,
    writesTo('pods', 'nodes', 'namespaces'));
}

async function schedulingPass(ctx: ControllerContext, { queue, state }: ClusterMemory) {
  const pods = await ctx.informers.get('', 'v1', 'pods', NAME);
  const nodes = await ctx.informers.get('', 'v1', 'nodes', NAME);
  const namespaces = await ctx.informers.get('', 'v1', 'namespaces', NAME);
  const events = queue.observe(nodes, pods, namespaces);
  const allPods = pods.informer.list();
  const due = queue.due(allPods.filter(isPending), events, pods.changed, ctx.clock.now());
  if (!due.length) return retryLater(queue, ctx);

  const snapshot = new ClusterSnapshot(nodes.informer.list(), allPods, namespaces.informer.list());
  const writes = new InFlight(MAX_IN_FLIGHT);
  // A pod that fits nowhere is checked against every node: many of them must not hold up the API.
  const takeTurn = turnTaker();
  let outOfTime = false;
  for (const pod of due) {
    if (ctx.clock.now() > ctx.deadline) { outOfTime = true; break; }
    await takeTurn();
    const decision = schedulePod(snapshot, pod, state);
    if (decision.node !== undefined) {
      const node = decision.node;
      const placed = snapshot.assume(pod, node);
      queue.forget(pod);
      await writes.run(async () => {
        try {
          await bindToNode(ctx, pod, node);
        } catch (e) {
          // The pod does not hold the node after all; it is tried again if it is still pending.
          snapshot.forget(placed);
          if (movedOn(e)) return;
          throw e;
        }
        await ctx.event(pod, SOURCE, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${pod.metadata!.namespace}/${pod.metadata!.name} to ${node}` });
      });
    } else {
      queue.unschedulable(pod, decision.rejectedBy, ctx.clock.now());
      const message = decision.message;
      const current = scheduledCondition(pod);
      if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) continue;
      await writes.run(async () => {
        try {
          await reportUnschedulable(ctx, pod, message, current);
        } catch (e) {
          // Changed meanwhile: tried afresh next pass, so the report is not lost.
          queue.forget(pod);
          if (!movedOn(e)) throw e;
        }
      });
    }
  }
  await writes.drain();
  if (writes.error) throw writes.error;
  return outOfTime ? { requeueAfterMs: 0 } : retryLater(queue, ctx);
}

function retryLater(queue: SchedulingQueue, ctx: ControllerContext) {
  const ms = queue.nextRetryIn(ctx.clock.now());
  return ms === undefined ? undefined : { requeueAfterMs: ms };
}

async function bindToNode(ctx: ControllerContext, pod: KubeObject, node: string) {
  const { namespace, name } = pod.metadata!;
  await bind(ctx.api, ctx.scope, namespace, name, {
    apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata?.uid }, target: { kind: 'Node', name: node },
  }, { fieldManager: FIELD_MANAGER }, Number(pod.metadata?.resourceVersion));
}

async function reportUnschedulable(ctx: ControllerContext, pod: KubeObject, message: string, current: any) {
  const { namespace, name, resourceVersion } = pod.metadata!;
  const pods = ctx.api.catalog.find('', 'v1', 'pods')!;
  // The transition time moves only when the condition's status does.
  const lastTransitionTime = current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(ctx.clock.now());
  // Conditional on the version decided on: a pod bound or changed meanwhile is not marked unschedulable.
  await ctx.api.patch(ctx.scope, { def: pods, namespace, name, subresource: 'status' }, 'strategic', {
    metadata: { resourceVersion },
    status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime }] },
  }, { fieldManager: FIELD_MANAGER });
  await ctx.event(pod, SOURCE, { type: 'Warning', reason: 'FailedScheduling', message });
}
