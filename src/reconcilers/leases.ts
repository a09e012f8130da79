// Leader leases per (cluster, controller): a coordination.k8s.io Lease in kube-system, so that concurrent
// passes (two processes, two isolates) do not do the same work. Correctness never depends on it:
// every write is compare-and-swap anyway.
import type { Api, RequestScope } from '../api/api.ts';
import type { Clock } from '../util/clock.ts';
import { StatusError } from '../api/errors.ts';
import { rfc3339Micro, parseTime } from '../util/time.ts';

const DURATION_S = 15;
/** Renew when less than this much of the lease is left; otherwise holding it costs no I/O. */
const RENEW_BEFORE_MS = 10_000;
const NAMESPACE = 'kube-system';

export class LeaseKeeper {
  /** When our lease (or someone else's) runs out, by `cluster/controller`. */
  private readonly known = new Map<string, { ours: boolean; until: number }>();

  constructor(private readonly api: Api, private readonly clock: Clock, readonly identity: string) {}

  /** Whether this runtime may run `controller` in the cluster now (acquiring or renewing the lease if due). */
  async hold(scope: RequestScope, controller: string): Promise<boolean> {
    const id = `${scope.cluster}/${controller}`;
    const now = this.clock.now();
    const known = this.known.get(id);
    if (known && (known.ours ? known.until - now > RENEW_BEFORE_MS : known.until > now)) return known.ours;
    const leases = this.api.catalog.find('coordination.k8s.io', 'v1', 'leases')!;
    const name = `skiff-${controller}`;
    const target = { def: leases, namespace: NAMESPACE, name };
    try {
      const current = await this.api.get(scope, target).catch(e => {
        if (e instanceof StatusError && e.code === 404) return undefined;
        throw e;
      });
      const spec = current?.spec ?? {};
      const renewed = parseTime(spec.renewTime) ?? 0;
      const expired = renewed + (spec.leaseDurationSeconds ?? DURATION_S) * 1000 <= now;
      if (current && spec.holderIdentity && spec.holderIdentity !== this.identity && !expired) {
        this.known.set(id, { ours: false, until: renewed + (spec.leaseDurationSeconds ?? DURATION_S) * 1000 });
        return false;
      }
      const stamp = rfc3339Micro(now);
      const taking = !current || spec.holderIdentity !== this.identity;
      const lease = {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name, namespace: NAMESPACE, ...(current ? { resourceVersion: current.metadata?.resourceVersion } : {}) },
        spec: {
          holderIdentity: this.identity, leaseDurationSeconds: DURATION_S,
          acquireTime: taking ? stamp : spec.acquireTime ?? stamp, renewTime: stamp,
          leaseTransitions: (spec.leaseTransitions ?? 0) + (taking && current ? 1 : 0),
        },
      };
      if (current) await this.api.update(scope, target, lease, { fieldManager: 'skiff-controller-manager' });
      else await this.api.create(scope, { def: leases, namespace: NAMESPACE }, lease, { fieldManager: 'skiff-controller-manager' });
      this.known.set(id, { ours: true, until: now + DURATION_S * 1000 });
      return true;
    } catch (e) {
      // Another runtime took or renewed it at the same moment: it does the work this time.
      if (e instanceof StatusError && e.code === 409) { this.known.delete(id); return false; }
      // No kube-system yet (a cluster being created): run without a lease rather than not at all.
      if (e instanceof StatusError && e.code === 404) return true;
      throw e;
    }
  }
}
