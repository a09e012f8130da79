// The discovery.k8s.io group (v1): EndpointSlices.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { items, setDefault } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  canonicalIP, dns1123Label, dns1123Subdomain, eachItem, immutable, invalidEach, optionalName, portNumber, PROTOCOLS,
  requiredOneOf, oneOf, type Errors,
} from './validation.ts';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000, MAX_ADDRESSES = 100, MAX_PORTS = 100;

function addressErrors(type: string, address: string): string[] {
  if (type === 'FQDN') return dns1123Subdomain(address);
  const ip = canonicalIP(address);
  const ok = ip !== undefined && (type === 'IPv6') === address.includes(':');
  return ok ? [] : [`must be a valid ${type} address`];
}

const endpointSliceStrategy: Strategy = {
  defaults(slice) {
    for (const port of items(slice.ports)) {
      if (!port) continue;
      setDefault(port, 'name', '');
      setDefault(port, 'protocol', 'TCP');
    }
  },
  validate(slice) {
    const errs: Errors = requiredOneOf(slice.addressType, ADDRESS_TYPES, 'addressType');
    const endpoints = items(slice.endpoints), ports = items(slice.ports);
    if (endpoints.length > MAX_ENDPOINTS) errs.push(field.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
    if (ports.length > MAX_PORTS) errs.push(field.tooMany('ports', ports.length, MAX_PORTS));
    errs.push(...eachItem(endpoints, 'endpoints', (ep, p) => {
      const addresses = items(ep.addresses);
      const out: Errors = [];
      if (addresses.length === 0) out.push(field.required(`${p}.addresses`, 'must contain at least 1 address'));
      else if (addresses.length > MAX_ADDRESSES) out.push(field.tooMany(`${p}.addresses`, addresses.length, MAX_ADDRESSES));
      if (ADDRESS_TYPES.includes(slice.addressType)) {
        addresses.forEach((a, i) => out.push(...invalidEach(`${p}.addresses[${i}]`, a, addressErrors(slice.addressType, String(a)))));
      }
      out.push(...optionalName(ep.nodeName, `${p}.nodeName`, dns1123Subdomain));
      out.push(...optionalName(ep.hostname, `${p}.hostname`, dns1123Label));
      return out;
    }));
    errs.push(...eachItem(ports, 'ports', (port, p) => [
      ...optionalName(port.name, `${p}.name`, dns1123Label),
      ...oneOf(port.protocol, PROTOCOLS, `${p}.protocol`),
      ...(port.port === undefined || port.port === null ? [] : invalidEach(`${p}.port`, port.port, portNumber(port.port))),
    ]));
    return errs;
  },
  validateUpdate: (slice, old) => immutable(slice.addressType, old.addressType, 'addressType'),
};

const discovery = apiVersion('discovery.k8s.io', 'v1');

export const discoveryResources: ResourceDef[] = [
  discovery('endpointslices', 'EndpointSlice', { namespaced: true, generation: true, strategy: endpointSliceStrategy }),
];
