// The networking.k8s.io group (v1): Ingresses, IngressClasses, NetworkPolicies, IPAddresses, ServiceCIDRs.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, deepEqual, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  canonicalIP, cidr, dns1035Label, dns1123Subdomain, eachItem, immutable, invalidEach, ipAddress, oneOf, optionalName,
  portName, portNumber, PROTOCOLS, required, requiredName, shown, validateLabelSelector, validatePortNumOrName, type Errors,
} from './validation.ts';

const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

// ---- Ingress ----

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

const WILDCARD_MESSAGE = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** A host of a rule or a TLS entry: a DNS name, possibly with a leading wildcard label. */
function hostErrors(host: string): string[] {
  if (!host.includes('*')) return dns1123Subdomain(host);
  const errs = host.length > 253 ? ['must be no more than 253 characters'] : [];
  if (!host.startsWith('*.') || dns1123Subdomain(host.slice(2)).length) errs.push(WILDCARD_MESSAGE);
  return errs;
}

function validateBackend(backend: Obj | undefined, path: string): Errors {
  if (!backend) return [];
  if (backend.resource && backend.service) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (backend.resource) {
    return [...required(backend.resource.kind, `${path}.resource.kind`), ...required(backend.resource.name, `${path}.resource.name`)];
  }
  if (!backend.service) return [field.invalid(path, '', 'resource or service backend is required')];
  const service = backend.service;
  const errs = requiredName(service.name, `${path}.service.name`, dns1035Label);
  const port = service.port ?? {};
  if (port.name && port.number) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
  else if (port.name) errs.push(...invalidEach(`${path}.service.port.name`, port.name, portName(port.name)));
  else if (port.number) errs.push(...invalidEach(`${path}.service.port.number`, port.number, portNumber(port.number)));
  else errs.push(field.required(path, 'port name or number is required'));
  return errs;
}

function validateIngressPath(p: Obj, path: string): Errors {
  if (!p.pathType) return [field.required(`${path}.pathType`, 'pathType must be specified')];
  const errs: Errors = [];
  const value = p.path ?? '';
  if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
    for (const seq of INVALID_PATH_SEQUENCES) if (value.includes(seq)) errs.push(field.invalid(`${path}.path`, value, `must not contain '${seq}'`));
    for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errs.push(field.invalid(`${path}.path`, value, `cannot end with '${suffix}'`));
  } else if (p.pathType === 'ImplementationSpecific') {
    if (value && !value.startsWith('/')) errs.push(field.invalid(`${path}.path`, value, 'must be an absolute path'));
  } else {
    errs.push(field.notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
  }
  return [...errs, ...validateBackend(p.backend ?? {}, `${path}.backend`)];
}

const ingressStrategy: Strategy = {
  prepareForCreate(ing) { ing.status = { loadBalancer: {} }; },
  validate(ing) {
    const spec = ing.spec ?? {};
    const errs: Errors = [];
    if (items(spec.rules).length === 0 && !spec.defaultBackend) {
      errs.push(field.invalid('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'));
    }
    errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
    errs.push(...eachItem(spec.rules, 'spec.rules', (rule, p) => {
      const out: Errors = [];
      if (rule.host) {
        if (ipAddress(rule.host)) out.push(field.invalid(`${p}.host`, rule.host, 'must be a DNS name, not an IP address'));
        else out.push(...invalidEach(`${p}.host`, rule.host, hostErrors(rule.host)));
      }
      if (rule.http) {
        if (items(rule.http.paths).length === 0) out.push(field.required(`${p}.http.paths`, ''));
        out.push(...eachItem(rule.http.paths, `${p}.http.paths`, validateIngressPath));
      }
      return out;
    }));
    errs.push(...eachItem(spec.tls, 'spec.tls', (tls, p) =>
      eachItem(tls.hosts, `${p}.hosts`, (host, hp) => invalidEach(hp, host, hostErrors(String(host))))));
    errs.push(...optionalName(spec.ingressClassName, 'spec.ingressClassName', dns1123Subdomain));
    return errs;
  },
};

const ingressClassStrategy: Strategy = {
  defaults(ic) {
    if (ic.spec?.parameters) setDefault(ic.spec.parameters, 'scope', 'Cluster');
  },
  validate(ic) {
    const spec = ic.spec ?? {};
    const errs: Errors = [];
    const controller = spec.controller ?? '';
    if (!controller) errs.push(field.required('spec.controller', ''));
    else {
      const [host, rest] = [controller.slice(0, controller.indexOf('/')), controller.slice(controller.indexOf('/') + 1)];
      if (!controller.includes('/') || !host || !rest) errs.push(field.invalid('spec.controller', controller, 'must be a domain-prefixed path (such as "acme.io/foo")'));
      else errs.push(...invalidEach('spec.controller', host, dns1123Subdomain(host)));
      if (controller.length > 250) errs.push(field.tooLong('spec.controller', 250));
    }
    const params = spec.parameters;
    if (params) {
      errs.push(...required(params.kind, 'spec.parameters.kind'), ...required(params.name, 'spec.parameters.name'));
      errs.push(...oneOf(params.scope, ['Cluster', 'Namespace'], 'spec.parameters.scope'));
      if (params.scope === 'Namespace' && !params.namespace) errs.push(field.required('spec.parameters.namespace', '`parameters.scope` is set to \'Namespace\''));
      if (params.scope === 'Cluster' && params.namespace) errs.push(field.forbidden('spec.parameters.namespace', '`parameters.scope` is set to \'Cluster\''));
    }
    return errs;
  },
  validateUpdate: (ic, old) => immutable(ic.spec?.controller, old.spec?.controller, 'spec.controller'),
};

// ---- NetworkPolicy ----

function validatePeers(peers: unknown, path: string): Errors {
  return eachItem(peers, path, (peer, p) => {
    const set = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(k => peer[k]);
    if (set.length === 0) return [field.required(p, 'must specify a peer')];
    if (peer.ipBlock && set.length > 1) return [field.forbidden(p, 'may not specify both ipBlock and another peer')];
    const errs = [...validateLabelSelector(peer.podSelector, `${p}.podSelector`), ...validateLabelSelector(peer.namespaceSelector, `${p}.namespaceSelector`)];
    if (peer.ipBlock) {
      if (!peer.ipBlock.cidr) errs.push(field.required(`${p}.ipBlock.cidr`, ''));
      else if (!cidr(peer.ipBlock.cidr)) errs.push(field.invalid(`${p}.ipBlock.cidr`, peer.ipBlock.cidr, CIDR_MESSAGE));
      errs.push(...eachItem(peer.ipBlock.except, `${p}.ipBlock.except`, (e, ep) => (cidr(String(e)) ? [] : [field.invalid(ep, e, CIDR_MESSAGE)])));
    }
    return errs;
  });
}

function validatePolicyPorts(ports: unknown, path: string): Errors {
  return eachItem(ports, path, (port, p) => {
    const errs = oneOf(port.protocol, PROTOCOLS, `${p}.protocol`);
    if (port.port !== undefined && port.port !== null) errs.push(...validatePortNumOrName(port.port, `${p}.port`));
    if (port.endPort !== undefined && port.endPort !== null) {
      if (typeof port.port !== 'number') errs.push(field.required(`${p}.port`, 'must be specified when endPort is specified'));
      else if (port.endPort < port.port) errs.push(field.invalid(`${p}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      errs.push(...invalidEach(`${p}.endPort`, port.endPort, portNumber(port.endPort)));
    }
    return errs;
  });
}

const networkPolicyStrategy: Strategy = {
  defaults(np) {
    const spec = child(np, 'spec');
    if (items(spec.policyTypes).length === 0) spec.policyTypes = items(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
    for (const rule of [...items(spec.ingress), ...items(spec.egress)]) {
      for (const port of items(rule?.ports)) if (port) setDefault(port, 'protocol', 'TCP');
    }
  },
  validate(np) {
    const spec = np.spec ?? {};
    const errs = [
      ...validateLabelSelector(spec.podSelector, 'spec.podSelector'),
      ...eachItem(spec.ingress, 'spec.ingress', (rule, p) => [...validatePolicyPorts(rule.ports, `${p}.ports`), ...validatePeers(rule.from, `${p}.from`)]),
      ...eachItem(spec.egress, 'spec.egress', (rule, p) => [...validatePolicyPorts(rule.ports, `${p}.ports`), ...validatePeers(rule.to, `${p}.to`)]),
      ...eachItem(spec.policyTypes, 'spec.policyTypes', (t, p) => oneOf(t, ['Ingress', 'Egress'], p)),
    ];
    if (items(spec.policyTypes).length > 2) errs.push(field.invalid('spec.policyTypes', spec.policyTypes, 'may not specify more than two policyTypes'));
    return errs;
  },
};

// ---- IPAddress and ServiceCIDR ----

const ipAddressStrategy: Strategy = {
  validate(ip) {
    const name = ip.metadata?.name ?? '';
    const errs: Errors = [];
    const canonical = canonicalIP(name);
    if (!canonical) errs.push(field.invalid('metadata.name', name, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    else if (canonical !== name) errs.push(field.invalid('metadata.name', name, `must be in canonical form (${JSON.stringify(canonical)})`));
    const ref = ip.spec?.parentRef;
    if (!ref) errs.push(field.required('spec.parentRef', ''));
    else errs.push(...required(ref.resource, 'spec.parentRef.resource'), ...required(ref.name, 'spec.parentRef.name'));
    return errs;
  },
  validateUpdate: (ip, old) => immutable(ip.spec?.parentRef, old.spec?.parentRef, 'spec.parentRef'),
};

const family = (c: string) => (c.includes(':') ? 'IPv6' : 'IPv4');

const serviceCIDRStrategy: Strategy = {
  prepareForCreate(sc) { sc.status = {}; },
  validate(sc) {
    const cidrs = items(sc.spec?.cidrs);
    if (cidrs.length === 0) return [field.required('spec.cidrs', 'at least one CIDR required')];
    if (cidrs.length > 2) return [field.tooMany('spec.cidrs', cidrs.length, 2)];
    const errs = eachItem(cidrs, 'spec.cidrs', (c, p) => (cidr(String(c)) ? [] : [field.invalid(p, c, CIDR_MESSAGE)]));
    if (!errs.length && cidrs.length === 2 && family(cidrs[0]) === family(cidrs[1])) {
      errs.push(field.invalid('spec.cidrs[1]', cidrs[1], 'may not have more than one CIDR for each IP family'));
    }
    return errs;
  },
  validateUpdate(sc, old) {
    const now = items(sc.spec?.cidrs), before = items(old.spec?.cidrs);
    // A single-stack range may grow a second family; nothing else changes.
    if (before.length === 1 && now.length === 2 && now[0] === before[0]) return [];
    return deepEqual(now, before) ? [] : [field.invalid('spec.cidrs', shown(now), 'field is immutable')];
  },
};

const networking = apiVersion('networking.k8s.io', 'v1');

export const networkingResources: ResourceDef[] = [
  networking('ingresses', 'Ingress', { namespaced: true, shortNames: ['ing'], hasStatus: true, generation: true, strategy: ingressStrategy }),
  networking('ingressclasses', 'IngressClass', { namespaced: false, generation: true, strategy: ingressClassStrategy }),
  networking('networkpolicies', 'NetworkPolicy', { namespaced: true, shortNames: ['netpol'], generation: true, strategy: networkPolicyStrategy }),
  // An IPAddress is named by its address (IPv6 has ':'): the strategy checks it is a canonical IP.
  networking('ipaddresses', 'IPAddress', {
    namespaced: false, shortNames: ['ip'], nameRule: 'path-segment', strategy: ipAddressStrategy,
  }),
  networking('servicecidrs', 'ServiceCIDR', { namespaced: false, hasStatus: true, strategy: serviceCIDRStrategy }),
];
