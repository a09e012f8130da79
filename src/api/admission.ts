// Built-in admission: checks and allocations that need to read other objects.
import type { KubeObject, ResourceDef } from './registry/types.ts';
import type { Api, RequestScope } from './api.ts';
import { StatusError, field, forbidden, invalid, notFound, qualified } from './errors.ts';
import { addDefaultTolerations } from './admission/default-tolerations.ts';

/** Namespaces that exist in every cluster and cannot be deleted. */
export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

const SERVICE_CIDR = { base: ip4ToNumber('10.96.0.0'), size: 1 << 20 }; // 10.96.0.0/12
const NODE_PORTS = { min: 30000, max: 32767 };

export async function admitCreate(api: Api, scope: RequestScope, def: ResourceDef, obj: KubeObject) {
  if (def.namespaced) await requireLiveNamespace(api, scope, def, obj);
  if (def.group === '' && def.resource === 'services') await allocateServiceAddresses(api, scope, obj);
  if (def.group === '' && def.resource === 'pods') addDefaultTolerations(obj);
}

export async function admitDelete(api: Api, scope: RequestScope, def: ResourceDef, obj: KubeObject) {
  const name = obj.metadata?.name;
  // A namespace on its way out takes no new content from now on (in this process at once).
  if (def.group === '' && def.resource === 'namespaces') liveNamespaces.get(api)?.delete(`${scope.cluster}/${name}`);
  if (def.group === '' && def.resource === 'namespaces' && IMMORTAL_NAMESPACES.includes(name)) {
    throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      { name, group: '', kind: 'namespaces' });
  }
}

/** How long a namespace seen live is taken to still be (kube-apiserver reads it from a cache, too). */
const LIVE_NAMESPACE_TTL_MS = 1000;
const liveNamespaces = new WeakMap<Api, Map<string, number>>();

/** NamespaceLifecycle: content only goes into namespaces that exist and are not being deleted. */
async function requireLiveNamespace(api: Api, scope: RequestScope, def: ResourceDef, obj: KubeObject) {
  const namespace = obj.metadata?.namespace;
  let live = liveNamespaces.get(api);
  if (!live) liveNamespaces.set(api, live = new Map());
  const key = `${scope.cluster}/${namespace}`;
  const now = Date.now();
  if ((live.get(key) ?? 0) > now) return;
  const ns = await api.store.get({ cluster: scope.cluster, group: '', resource: 'namespaces', namespace: '', name: namespace });
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (ns.object.metadata?.deletionTimestamp || ns.object.status?.phase === 'Terminating') {
    const e = forbidden(`${qualified(def)} "${obj.metadata?.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
    throw new StatusError(e.code, e.reason, e.message, {
      name: obj.metadata?.name, group: def.group, kind: def.resource,
      causes: [{ reason: 'NamespaceTerminating' as any, message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    });
  }
  if (live.size > 10_000) live.clear();
  live.set(key, now + LIVE_NAMESPACE_TTL_MS);
}

/** Gives a Service its cluster IP and node ports, unless it names its own (or is headless / ExternalName). */
async function allocateServiceAddresses(api: Api, scope: RequestScope, svc: KubeObject) {
  const spec = (svc.spec ??= {});
  const services = api.catalog.find('', 'v1', 'services')!;
  const existing = (await api.list(scope, { def: services })).items as KubeObject[];
  const name = svc.metadata?.name ?? '';
  if (spec.type !== 'ExternalName') {
    const used = new Set(existing.flatMap(s => s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])));
    if (!spec.clusterIP) {
      spec.clusterIP = pickFree(used, () => numberToIp4(SERVICE_CIDR.base + 2 + Math.floor(Math.random() * (SERVICE_CIDR.size - 3))));
    } else if (spec.clusterIP !== 'None') {
      const n = ip4ToNumber(spec.clusterIP);
      if (Number.isNaN(n) || n < SERVICE_CIDR.base || n >= SERVICE_CIDR.base + SERVICE_CIDR.size) {
        throw invalid('Service', '', name, [field.invalid('spec.clusterIPs', [spec.clusterIP], 'failed to allocate IP ' + spec.clusterIP + ': the provided IP (' + spec.clusterIP + ') is not in the valid range. The range of valid IPs is 10.96.0.0/12')]);
      }
      if (used.has(spec.clusterIP)) {
        throw invalid('Service', '', name, [field.invalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`)]);
      }
    }
    spec.clusterIPs = [spec.clusterIP];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const used = new Set<number>(existing.flatMap(s => (s.spec?.ports ?? []).map((p: any) => p.nodePort).filter(Boolean)));
    for (const [i, port] of (spec.ports ?? []).entries()) {
      if (port.nodePort) {
        if (used.has(port.nodePort)) throw invalid('Service', '', name, [field.invalid(`spec.ports[${i}].nodePort`, port.nodePort, 'provided port is already allocated')]);
        if (port.nodePort < NODE_PORTS.min || port.nodePort > NODE_PORTS.max) {
          throw invalid('Service', '', name, [field.invalid(`spec.ports[${i}].nodePort`, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.min}-${NODE_PORTS.max}`)]);
        }
      } else {
        port.nodePort = pickFree(used, () => NODE_PORTS.min + Math.floor(Math.random() * (NODE_PORTS.max - NODE_PORTS.min + 1)));
      }
      used.add(port.nodePort);
    }
  }
}

function pickFree<T>(used: Set<T>, random: () => T): T {
  for (let i = 0; i < 1000; i++) {
    const candidate = random();
    if (!used.has(candidate)) return candidate;
  }
  throw new StatusError(500, 'InternalError', 'Internal error occurred: failed to allocate a free address: range is full');
}

function ip4ToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) return NaN;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function numberToIp4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
