// Table columns of discovery.k8s.io, as kube-apiserver's printers define them.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { listWithMore } from './format.ts';

const DOC = {
  addressType: 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  ports: 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  endpoints: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
};

const MAX_SHOWN = 3;

/** Up to three port numbers (a named port without number by name, `*` for all ports). */
function slicePorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  const shown = ports.slice(0, MAX_SHOWN).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
  return listWithMore(shown, ports.length);
}

/** Up to three addresses across all endpoints. */
function sliceEndpoints(slice: EndpointSlice): string {
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  return listWithMore(addresses.slice(0, MAX_SHOWN), addresses.length);
}

const endpointSlices: Column[] = [
  nameColumn,
  col<EndpointSlice>('AddressType', 'string', DOC.addressType, (s) => s.addressType ?? ''),
  col<EndpointSlice>('Ports', 'string', DOC.ports, slicePorts),
  col<EndpointSlice>('Endpoints', 'string', DOC.endpoints, sliceEndpoints),
  ageColumn,
];

export const discoveryColumns: Record<string, Column[]> = {
  'endpointslices.discovery.k8s.io': endpointSlices,
};
