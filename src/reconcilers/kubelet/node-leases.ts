// Node heartbeats: each simulated node renews its Lease in kube-node-lease every 10 s, as a kubelet does
// (renewInterval = leaseDuration 40 s / 4). The lease last written is kept, so a renewal is one write,
// without a read first; a conflict (someone else wrote it) costs one read more.
import type { ControllerContext } from '../runtime.ts';
import type { KubeObject } from '../../api/registry/types.ts';
import { StatusError } from '../../api/errors.ts';
import { rfc3339Micro } from '../../util/time.ts';
import { DueQueue } from './queue.ts';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_S = 40;
export const RENEW_INTERVAL_MS = 10_000;
/**
 * Renewals due this soon are done now too: the leases of nodes started at different moments are renewed
 * together, in a few passes per interval rather than one pass per node. Their duration leaves room for it.
 */
const EARLY_MS = 1000;
/** Renewals written at once: enough to fill the store's write batches. */
const CONCURRENCY = 64;
const MANAGER = 'kubelet';

export interface HeartbeatingNode { name: string; uid: string }

export class NodeLeases {
  private readonly due = new DueQueue();
  private readonly nodes = new Map<string, HeartbeatingNode>();
  /** The resourceVersion of the lease as last written, by node: the next renewal is a compare-and-swap on it. */
  private readonly written = new Map<string, string>();

  /** Starts (at once) or keeps renewing this node's lease. */
  keep(node: HeartbeatingNode, now: number) {
    const known = this.nodes.get(node.name);
    this.nodes.set(node.name, node);
    if (!known || known.uid !== node.uid || !this.due.has(node.name)) this.due.set(node.name, now);
  }

  /** Stops renewing (the node paused its heartbeats, is no longer simulated, or is gone). */
  drop(name: string) {
    this.nodes.delete(name);
    this.written.delete(name);
    this.due.delete(name);
  }

  /** When the next renewals should be done. */
  next(): number | undefined {
    const next = this.due.next();
    return next === undefined ? undefined : next - EARLY_MS;
  }

  /** Renews every lease that is due; what the deadline cuts off stays due. */
  async renewDue(ctx: ControllerContext): Promise<void> {
    const now = ctx.clock.now();
    const names = this.due.takeDue(now + EARLY_MS);
    for (let i = 0; i < names.length; i += CONCURRENCY) {
      if (ctx.clock.now() > ctx.deadline) {
        for (const name of names.slice(i)) this.due.set(name, now);
        return;
      }
      await Promise.all(names.slice(i, i + CONCURRENCY).map(async name => {
        const node = this.nodes.get(name);
        if (!node) return;
        const renewed = await this.renew(ctx, node, now);
        // A lease that could not be written (no kube-node-lease yet) is tried again a little later.
        this.due.set(name, now + (renewed ? RENEW_INTERVAL_MS : 1000));
      }));
    }
  }

  private async renew(ctx: ControllerContext, node: HeartbeatingNode, now: number): Promise<boolean> {
    const def = ctx.api.catalog.find('coordination.k8s.io', 'v1', 'leases')!;
    const target = { def, namespace: LEASE_NAMESPACE, name: node.name };
    const lease = (resourceVersion: string | undefined): KubeObject => ({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: {
        name: node.name, namespace: LEASE_NAMESPACE, ...(resourceVersion ? { resourceVersion } : {}),
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }],
      },
      spec: { holderIdentity: node.name, leaseDurationSeconds: LEASE_DURATION_S, renewTime: rfc3339Micro(now) },
    });
    let rv = this.written.get(node.name);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const r = rv
          ? await ctx.api.update(ctx.scope, target, lease(rv), { fieldManager: MANAGER })
          : await ctx.api.create(ctx.scope, { def, namespace: LEASE_NAMESPACE }, lease(undefined), { fieldManager: MANAGER });
        this.written.set(node.name, r.object.metadata!.resourceVersion);
        return true;
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        if (e.code === 404 && rv) { rv = undefined; continue; } // the lease is gone: create it
        if (e.code === 404) return false; // no kube-node-lease namespace
        if (e.code !== 409) throw e;
        // Written by someone else since (or already there): renew on top of the current one.
        rv = await ctx.api.get(ctx.scope, target).then(l => l.metadata?.resourceVersion, () => undefined);
      }
    }
    return false;
  }
}
