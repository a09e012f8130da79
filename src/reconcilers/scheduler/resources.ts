// Resource amounts as kube-scheduler counts them: CPU in millicores, everything else in whole units
// (bytes for memory and storage), rounded up like resource.Quantity's MilliValue() and Value(); and a
// pod's effective requests (resourcehelper.PodRequests): containers summed, init containers as a
// maximum (sidecars added), pod-level requests when set, plus overhead.
import { parseQuantity } from '../../api/registry/quantity.ts';

export type Amounts = Map<string, number>;

/** Requests a container without one counts as in scoring (schedutil.DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const NANO_PER_MILLI = 1_000_000n;
const NANO_PER_UNIT = 1_000_000_000n;
const amountCache = new Map<string, number>();

const ceilDiv = (n: bigint, d: bigint) => (n <= 0n ? -((-n) / d) : (n + d - 1n) / d);

/** A quantity in the scheduler's unit for the resource (millicores for cpu); 0 when unparseable. */
export function amountOf(resource: string, quantity: unknown): number {
  const text = typeof quantity === 'number' ? String(quantity) : quantity;
  if (typeof text !== 'string') return 0;
  const cacheKey = resource === 'cpu' ? `m${text}` : text;
  let n = amountCache.get(cacheKey);
  if (n === undefined) {
    const q = parseQuantity(text);
    n = q ? Number(ceilDiv(q.nano, resource === 'cpu' ? NANO_PER_MILLI : NANO_PER_UNIT)) : 0;
    if (amountCache.size < 10_000) amountCache.set(cacheKey, n);
  }
  return n;
}

/** A ResourceList as amounts. */
export function amountsOf(list: Record<string, unknown> | undefined | null): Amounts {
  const out: Amounts = new Map();
  if (list && typeof list === 'object') for (const [name, q] of Object.entries(list)) out.set(name, amountOf(name, q));
  return out;
}

function add(into: Amounts, from: Amounts) {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function max(into: Amounts, from: Amounts) {
  for (const [k, v] of from) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

/** The container's requests, with defaults for the resources it leaves out (scoring's "non-zero" requests). */
function containerRequests(c: any, defaults: Amounts | undefined): Amounts {
  const requests = amountsOf(c?.resources?.requests);
  if (defaults) for (const [k, v] of defaults) if (!requests.has(k)) requests.set(k, v);
  return requests;
}

/**
 * What the pod asks of a node. With `defaults`, containers that leave cpu or memory out count as asking
 * for the default amounts (how scoring sees best-effort pods); without, they ask for nothing.
 */
export function podRequests(spec: any, defaults?: Amounts): Amounts {
  const requests: Amounts = new Map();
  for (const c of spec?.containers ?? []) add(requests, containerRequests(c, defaults));
  // Sidecars (restartable init containers) run alongside everything started after them; plain init
  // containers run one at a time, next to the sidecars started before them.
  const sidecars: Amounts = new Map();
  const initPeak: Amounts = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = containerRequests(c, defaults);
    if (c?.restartPolicy === 'Always') {
      add(requests, own);
      add(sidecars, own);
      max(initPeak, sidecars);
    } else {
      const during = new Map(own);
      add(during, sidecars);
      max(initPeak, during);
    }
  }
  max(requests, initPeak);
  // Pod-level requests (PodLevelResources) replace the container sum for the resources they name.
  const podLevel = amountsOf(spec?.resources?.requests);
  for (const name of ['cpu', 'memory']) if (podLevel.has(name)) requests.set(name, podLevel.get(name)!);
  add(requests, amountsOf(spec?.overhead));
  return requests;
}

export const NON_ZERO_DEFAULTS: Amounts = new Map([['cpu', DEFAULT_MILLI_CPU_REQUEST], ['memory', DEFAULT_MEMORY_REQUEST]]);
