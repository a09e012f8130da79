// Table columns of networking.k8s.io, as kube-apiserver's printers define them.
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { IPAddress, ServiceCIDR } from 'kubernetes-types/networking/v1alpha1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { formatLabelSelector } from './format.ts';

const DOC = {
  podSelector: 'podSelector selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any pods selected by this field. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is NOT optional and follows standard label selector semantics. An empty podSelector matches all pods in this namespace.',
  cidrs: 'CIDRs defines the IP blocks in CIDR notation (e.g. "192.168.0.0/24" or "2001:db8::/64") from which to assign service cluster IPs. Max of two CIDRs is allowed, one of each IP family. This field is immutable.',
  parentRef: 'ParentRef references the resource that an IPAddress is attached to. An IPAddress must reference a parent object.',
};

/** The first three rule hosts, `*` when no rule names one. */
function ingressHosts(ing: Ingress): string {
  const rules = ing.spec?.rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** Load-balancer addresses (IP, else hostname), sorted and deduplicated. */
function ingressAddress(ing: Ingress): string {
  const addresses = new Set((ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean));
  return [...addresses].sort().join(',');
}

const ingresses: Column[] = [
  nameColumn,
  col<Ingress>('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration', (i) => i.spec?.ingressClassName ?? '<none>'),
  col<Ingress>('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule', ingressHosts),
  col<Ingress>('Address', 'string', 'Address is a list containing ingress points for the load-balancer', ingressAddress),
  // Ingress controllers listen on 80, and on 443 too once TLS is configured.
  col<Ingress>('Ports', 'string', 'Ports of TLS configurations that open', (i) => (i.spec?.tls?.length ? '80, 443' : '80')),
  ageColumn,
];

/** The parameters reference as `Kind.apiGroup/name`, `<none>` when unset. */
function ingressClassParameters(ic: IngressClass): string {
  const p = ic.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}`;
}

const ingressClasses: Column[] = [
  nameColumn,
  col<IngressClass>('Controller', 'string', 'Controller that is responsible for handling this class', (ic) => ic.spec?.controller ?? ''),
  col<IngressClass>('Parameters', 'string', 'A reference to a resource with additional parameters', ingressClassParameters),
  ageColumn,
];

const networkPolicies: Column[] = [
  nameColumn,
  col<NetworkPolicy>('Pod-Selector', 'string', DOC.podSelector, (np) => formatLabelSelector(np.spec?.podSelector ?? {})),
  ageColumn,
];

/** The owner as `resource.group[/namespace]/name` in lower case (`services/default/kubernetes`). */
function ipAddressParent(ip: IPAddress): string {
  const ref = ip.spec?.parentRef;
  if (!ref) return '<none>';
  const groupResource = (ref.group ? `${ref.resource}.${ref.group}` : ref.resource).toLowerCase();
  return `${groupResource}${ref.namespace ? `/${ref.namespace}` : ''}/${ref.name}`;
}

const serviceCIDRs: Column[] = [
  nameColumn,
  col<ServiceCIDR>('CIDRs', 'string', DOC.cidrs, (s) => (s.spec?.cidrs ?? []).join(',')),
  ageColumn,
];

export const networkingColumns: Record<string, Column[]> = {
  'ingresses.networking.k8s.io': ingresses,
  'ingressclasses.networking.k8s.io': ingressClasses,
  'networkpolicies.networking.k8s.io': networkPolicies,
  // kube-apiserver defines no Age column here (its row carries an age cell that kubectl drops).
  'ipaddresses.networking.k8s.io': [nameColumn, col<IPAddress>('ParentRef', 'string', DOC.parentRef, ipAddressParent)],
  'servicecidrs.networking.k8s.io': serviceCIDRs,
};
