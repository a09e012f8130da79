// The core group (v1): registry entries and the strategies of its kinds.
import { field } from '../errors.ts';
import { defaultPod, defaultPodTemplate, defaultPVCSpec } from './defaults.ts';
import { apiVersion, count, CREATE_ONLY, flag, NO_DELETECOLLECTION, READ_ONLY, REPLICAS_SCALE, subresource, text } from './define.ts';
import { coreEventFieldSelectors, coreEventStrategy } from './events.ts';
import { child, clone, deepEqual, entries, items, setDefault, type Obj } from './objects.ts';
import { addQuantities, canonicalQuantity, compareQuantities, formatQuantity, parseQuantity, type Quantity } from './quantity.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  cidr, configMapKey, dns1035Label, dns1123Label, dns1123Subdomain, duplicates, eachItem, immutable, invalidEach, ipAddress,
  nonNegative, oneOf, optionalName, portNumber, PROTOCOLS, qualifiedName, required, requiredName, requiredOneOf,
  TAINT_EFFECTS, validateControllerTemplate, validateImmutableData, validateLabels, validateLabelSelector,
  validatePodSpec, validatePodTemplate, validatePortNumOrName, validateQuantity, type Errors,
} from './validation.ts';

const MAX_SECRET_SIZE = 1024 * 1024;
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---- Pod ----

/** The QoS class (GetPodQOS): from pod-level resources when set, else from all regular and init containers. */
export function qosClass(spec: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const podLevel = spec.resources && (entries(spec.resources.requests).length || entries(spec.resources.limits).length);
  const resourceSets = podLevel ? [spec.resources] : [...items(spec.containers), ...items(spec.initContainers)].map(c => c?.resources ?? {});
  const requests = new Map<string, Quantity>(), limits = new Map<string, Quantity>();
  const add = (into: Map<string, Quantity>, name: string, q: Quantity) => into.set(name, into.has(name) ? addQuantities(into.get(name)!, q) : q);
  let guaranteed = true;
  for (const r of resourceSets) {
    for (const [name, v] of entries(r.requests)) {
      const q = parseQuantity(v);
      if ((name === 'cpu' || name === 'memory') && q && q.nano > 0n) add(requests, name, q);
    }
    const limited = new Set<string>();
    for (const [name, v] of entries(r.limits)) {
      const q = parseQuantity(v);
      if ((name === 'cpu' || name === 'memory') && q && q.nano > 0n) { limited.add(name); add(limits, name, q); }
    }
    if (!limited.has('cpu') || !limited.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, q] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, q) !== 0) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,'
  + '`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),'
  + '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate: only images, the deadline, added tolerations and removed scheduling gates may change. */
function validatePodUpdate(pod: Obj, old: Obj): Errors {
  const spec = pod.spec ?? {}, before = old.spec ?? {};
  const errs: Errors = [];
  for (const list of ['containers', 'initContainers']) {
    if (items(spec[list]).length !== items(before[list]).length) {
      return [field.forbidden(`spec.${list}`, 'pod updates may not add or remove containers')];
    }
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    if (before.activeDeadlineSeconds != null && before.activeDeadlineSeconds < spec.activeDeadlineSeconds) {
      errs.push(field.invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
    }
  } else if (before.activeDeadlineSeconds != null) {
    errs.push(field.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Compare with everything that may change taken from the old spec.
  const munged = clone(spec);
  for (const list of ['containers', 'initContainers']) {
    items(munged[list]).forEach((c, i) => { if (c) c.image = before[list][i]?.image; });
  }
  munged.activeDeadlineSeconds = before.activeDeadlineSeconds;
  // Written through subresources (which share this validation): binding sets nodeName once; ephemeralcontainers.
  if (!before.nodeName) munged.nodeName = before.nodeName;
  munged.ephemeralContainers = before.ephemeralContainers;
  const oldTolerations = items(before.tolerations);
  if (oldTolerations.every(t => items(spec.tolerations).some(n => deepEqual(n, t)))) munged.tolerations = before.tolerations;
  if (before.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = before.terminationGracePeriodSeconds;
  // Gates may only be removed; while gated, node selection may be added to.
  const gates = items(spec.schedulingGates);
  if (gates.every(g => items(before.schedulingGates).some(o => deepEqual(o, g)))) munged.schedulingGates = before.schedulingGates;
  if (items(before.schedulingGates).length) {
    munged.nodeSelector = before.nodeSelector;
    munged.affinity = before.affinity;
  }
  if (!deepEqual(munged, before)) errs.push(field.forbidden('spec', POD_UPDATE_FORBIDDEN));
  return errs;
}

const podStrategy: Strategy = {
  defaults: defaultPod,
  prepareForCreate(pod) {
    const spec = pod.spec ?? {};
    pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
    if (items(spec.schedulingGates).length) {
      pod.status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: null,
        reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }];
    }
  },
  validate: pod => validatePodSpec(pod.spec, 'spec'),
  validateUpdate: validatePodUpdate,
  deletion: {
    // A pod that never reached a node, or has finished, has nothing to stop: it goes at once.
    gracePeriodSeconds(pod, requested) {
      if (!pod.spec?.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
      return Math.max(0, requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    },
  },
};

const podFieldSelectors: ResourceDef['fieldSelectors'] = {
  'spec.nodeName': p => text(p.spec?.nodeName),
  'spec.restartPolicy': p => text(p.spec?.restartPolicy),
  'spec.schedulerName': p => text(p.spec?.schedulerName),
  'spec.serviceAccountName': p => text(p.spec?.serviceAccountName),
  'spec.hostNetwork': p => flag(p.spec?.hostNetwork),
  'status.phase': p => text(p.status?.phase),
  'status.podIP': p => text(p.status?.podIPs?.[0]?.ip ?? p.status?.podIP),
  // Accepted as a selector but, as in Kubernetes, not part of the selectable set: always empty.
  'status.podIPs': () => '',
  'status.nominatedNodeName': p => text(p.status?.nominatedNodeName),
};

const bindingStrategy: Strategy = {
  validate(b) {
    const errs = required(b.target?.name, 'target.name');
    if (b.target?.kind && b.target.kind !== 'Node') errs.push(field.notSupported('target.kind', b.target.kind, ['Node', '<empty>']));
    return errs;
  },
};

// ---- Service ----

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const hasClusterIP = (s: Obj) => s.type !== 'ExternalName';
const isHeadless = (s: Obj) => s.clusterIP === 'None';

function defaultService(svc: Obj): void {
  const spec = child(svc, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const port of items(spec.ports)) {
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (external) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (external || spec.type === 'ClusterIP') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  for (const ingress of items(svc.status?.loadBalancer?.ingress)) if (ingress?.ip) setDefault(ingress, 'ipMode', 'VIP');
}

/** IP families follow the requested cluster IPs; a single-stack IPv4 cluster otherwise (allocation is the server's). */
function defaultIPFamilies(spec: Obj): void {
  if (!hasClusterIP(spec)) return;
  const selectorless = entries(spec.selector).length === 0;
  setDefault(spec, 'ipFamilyPolicy', isHeadless(spec) && selectorless ? 'RequireDualStack' : 'SingleStack');
  if (items(spec.ipFamilies).length === 0) {
    const given = items(spec.clusterIPs).filter(ip => ip && ip !== 'None').map(ip => (String(ip).includes(':') ? 'IPv6' : 'IPv4'));
    spec.ipFamilies = given.length ? given : ['IPv4'];
  }
}

const serviceStrategy: Strategy = {
  defaults: defaultService,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
    const spec = child(svc, 'spec');
    if (spec.clusterIP && items(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
    defaultIPFamilies(spec);
  },
  prepareForUpdate(svc, old) {
    const spec = child(svc, 'spec'), before = old.spec ?? {};
    // An update that leaves out allocated values keeps them (kubectl replace, PUT of an edited manifest).
    if (hasClusterIP(spec) && hasClusterIP(before)) {
      if (!spec.clusterIP && before.clusterIP) {
        spec.clusterIP = before.clusterIP;
        if (items(spec.clusterIPs).length === 0) spec.clusterIPs = clone(before.clusterIPs);
      }
      if (spec.clusterIP && items(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
      if (!spec.ipFamilyPolicy && before.ipFamilyPolicy) spec.ipFamilyPolicy = before.ipFamilyPolicy;
      if (items(spec.ipFamilies).length === 0 && before.ipFamilies) spec.ipFamilies = clone(before.ipFamilies);
      defaultIPFamilies(spec);
    }
    const keepsNodePorts = (s: Obj) => s.type === 'NodePort' || s.type === 'LoadBalancer';
    if (keepsNodePorts(spec) && keepsNodePorts(before)) {
      for (const port of items(spec.ports)) {
        const match = items(before.ports).find(o => o.port === port?.port && o.protocol === port?.protocol);
        if (port && !port.nodePort && match?.nodePort) port.nodePort = match.nodePort;
      }
      if (!spec.healthCheckNodePort && before.healthCheckNodePort && spec.externalTrafficPolicy === 'Local') spec.healthCheckNodePort = before.healthCheckNodePort;
    }
  },
  validate(svc) {
    const spec = svc.spec ?? {};
    const errs: Errors = [];
    // Service names are DNS-1035 labels: the generic 'label' rule lets a leading digit through.
    const name = String(svc.metadata?.name ?? '');
    if (name && dns1123Label(name).length === 0) errs.push(...invalidEach('metadata.name', name, dns1035Label(name)));
    const ports = items(spec.ports);
    if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(field.required('spec.ports', ''));
    if (spec.type === 'ExternalName') {
      if (items(spec.clusterIPs).length) errs.push(field.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (items(spec.ipFamilies).length) errs.push(field.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy) errs.push(field.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      errs.push(...requiredName(cname, 'spec.externalName', dns1123Subdomain));
    }
    errs.push(...eachItem(ports, 'spec.ports', (port, p) => [
      ...(ports.length > 1 && !port.name ? [field.required(`${p}.name`, '')] : optionalName(port.name, `${p}.name`, dns1123Label)),
      ...invalidEach(`${p}.port`, port.port ?? 0, portNumber(port.port)),
      ...requiredOneOf(port.protocol, PROTOCOLS, `${p}.protocol`),
      ...validatePortNumOrName(port.targetPort, `${p}.targetPort`),
      ...(spec.type === 'ClusterIP' && port.nodePort ? [field.forbidden(`${p}.nodePort`, "may not be used when `type` is 'ClusterIP'")] : []),
      ...(port.nodePort ? invalidEach(`${p}.nodePort`, port.nodePort, portNumber(port.nodePort)) : []),
    ]));
    errs.push(...duplicates(ports, 'spec.ports', port => port.name, '.name'));
    errs.push(...duplicates(ports, 'spec.ports', port => ({ port: port.port, protocol: port.protocol }), ''));
    errs.push(...validateLabels(spec.selector, 'spec.selector'));
    errs.push(...requiredOneOf(spec.sessionAffinity, ['ClientIP', 'None'], 'spec.sessionAffinity'));
    if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig) {
      errs.push(field.forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
    }
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (spec.sessionAffinity === 'ClientIP' && !(timeout > 0 && timeout <= 86400)) {
      errs.push(field.invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout ?? 0, 'must be greater than 0 and less than 86400'));
    }
    items(spec.clusterIPs).forEach((ip, i) => {
      if (ip !== 'None' && !ipAddress(String(ip))) errs.push(field.invalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    });
    if (spec.clusterIP && items(spec.clusterIPs).length && spec.clusterIPs[0] !== spec.clusterIP) {
      errs.push(field.invalid('spec.clusterIPs', spec.clusterIPs, 'first value must match `clusterIP`'));
    }
    errs.push(...eachItem(spec.ipFamilies, 'spec.ipFamilies', (f, p) => oneOf(f, ['IPv4', 'IPv6'], p)));
    errs.push(...oneOf(spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'spec.ipFamilyPolicy'));
    errs.push(...requiredOneOf(spec.type, SERVICE_TYPES, 'spec.type'));
    errs.push(...oneOf(spec.externalTrafficPolicy, ['Cluster', 'Local'], 'spec.externalTrafficPolicy'));
    errs.push(...oneOf(spec.internalTrafficPolicy, ['Cluster', 'Local'], 'spec.internalTrafficPolicy'));
    if (spec.externalTrafficPolicy && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
      errs.push(field.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
    }
    errs.push(...eachItem(spec.externalIPs, 'spec.externalIPs', (ip, p) => (ipAddress(String(ip)) ? [] : [field.invalid(p, ip, 'must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)')])));
    return errs;
  },
  validateUpdate(svc, old) {
    const spec = svc.spec ?? {}, before = old.spec ?? {};
    if (!hasClusterIP(spec) || !hasClusterIP(before) || !before.clusterIP) return [];
    const errs: Errors = [];
    if (spec.clusterIP !== before.clusterIP) errs.push(field.invalid('spec.clusterIPs[0]', items(spec.clusterIPs), 'may not change once set'));
    if (items(before.ipFamilies).length && items(spec.ipFamilies)[0] !== before.ipFamilies[0]) {
      errs.push(field.invalid('spec.ipFamilies[0]', items(spec.ipFamilies)[0] ?? '', 'may not change once set'));
    }
    return errs;
  },
};

// ---- Namespace ----

const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';

/** The namespace carries its own name as a label, always in step with metadata.name. */
function labelWithName(ns: Obj): void {
  const name = ns.metadata?.name;
  if (name) child(child(ns, 'metadata'), 'labels')[NAMESPACE_LABEL] = name;
}

const namespaceStrategy: Strategy = {
  deletion: {
    pendingFinalizers: ns => items(ns.spec?.finalizers),
    begin(ns) { ns.status = { ...ns.status, phase: 'Terminating' }; },
  },
  defaults(ns) {
    setDefault(child(ns, 'status'), 'phase', 'Active');
    labelWithName(ns);
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const spec = child(ns, 'spec');
    spec.finalizers = [...new Set([...items(spec.finalizers), 'kubernetes'])].sort();
    labelWithName(ns);
  },
  prepareForUpdate(ns, old) {
    // Finalizers change only through the finalize subresource.
    if (old.spec?.finalizers) child(ns, 'spec').finalizers = clone(old.spec.finalizers);
    else if (ns.spec) delete ns.spec.finalizers;
    labelWithName(ns);
  },
  validate: ns => eachItem(ns.spec?.finalizers, 'spec.finalizers', (f, p) => {
    const errs = invalidEach(p, f, qualifiedName(String(f)));
    if (!errs.length && !String(f).includes('/') && f !== 'kubernetes') {
      errs.push(field.invalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
    return errs;
  }),
};

// ---- ConfigMap and Secret ----

/** Base64 of the UTF-8 bytes of a string (stringData → data). */
function base64(textValue: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(textValue)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const decodedLength = (b64: unknown) => {
  const s = String(b64 ?? '');
  return Math.floor((s.length * 3) / 4) - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
};

const validateKeys = (map: unknown, path: string): Errors =>
  entries(map).flatMap(([k]) => invalidEach(`${path}[${k}]`, k, configMapKey(k)));

const configMapStrategy: Strategy = {
  validate(cm) {
    const errs = [...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData')];
    for (const [k] of entries(cm.binaryData)) {
      if (cm.data && k in cm.data) errs.push(field.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    }
    const size = entries(cm.data).reduce((n, [k, v]) => n + k.length + new TextEncoder().encode(String(v)).length, 0)
      + entries(cm.binaryData).reduce((n, [k, v]) => n + k.length + decodedLength(v), 0);
    if (size > MAX_SECRET_SIZE) errs.push(field.tooLong('', MAX_SECRET_SIZE));
    return errs;
  },
  validateUpdate: (cm, old) => validateImmutableData(cm, old, ['data', 'binaryData']),
};

/** Keys each typed secret must carry. */
const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

const secretStrategy: Strategy = {
  defaults(secret) {
    setDefault(secret, 'type', 'Opaque');
    // stringData is write-only: merged into data (winning over it) and never stored.
    if (secret.stringData && typeof secret.stringData === 'object') {
      const data = child(secret, 'data');
      for (const [k, v] of entries(secret.stringData)) data[k] = base64(String(v));
    }
    delete secret.stringData;
  },
  validate(secret) {
    const errs = validateKeys(secret.data, 'data');
    const size = entries(secret.data).reduce((n, [, v]) => n + decodedLength(v), 0);
    if (size > MAX_SECRET_SIZE) errs.push(field.tooLong('data', MAX_SECRET_SIZE));
    const data = secret.data ?? {};
    for (const key of SECRET_REQUIRED_KEYS[secret.type] ?? []) if (!data[key]) errs.push(field.required(`data[${key}]`, ''));
    if (secret.type === 'kubernetes.io/service-account-token' && !secret.metadata?.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(field.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
    }
    if (secret.type === 'kubernetes.io/basic-auth' && !data.username && !data.password) {
      errs.push(field.required('data[username]', ''), field.required('data[password]', ''));
    }
    return errs;
  },
  validateUpdate: (secret, old) => [
    ...immutable(secret.type, old.type, 'type'),
    ...validateImmutableData(secret, old, ['data']),
  ],
};

// ---- Node ----

const nodeStrategy: Strategy = {
  defaults(node) {
    if (node.status?.capacity && !node.status.allocatable) node.status.allocatable = clone(node.status.capacity);
  },
  validate(node) {
    const spec = node.spec ?? {};
    return [
      ...eachItem(spec.taints, 'spec.taints', (t, p) => [
        ...requiredName(t.key, `${p}.key`, qualifiedName),
        ...requiredOneOf(t.effect, TAINT_EFFECTS, `${p}.effect`),
      ]),
      ...duplicates(spec.taints, 'spec.taints', t => `${t.key}:${t.effect}`, ''),
      ...eachItem(spec.podCIDRs, 'spec.podCIDRs', (c, p) => (cidr(String(c)) ? [] : [field.invalid(p, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')])),
    ];
  },
  validateUpdate: (node, old) => (old.spec?.podCIDR ? immutable(node.spec?.podCIDR, old.spec.podCIDR, 'spec.podCIDR') : []),
};

// ---- PersistentVolume and PersistentVolumeClaim ----

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(modes: unknown, path: string): Errors {
  const list = items(modes);
  const errs = list.length === 0 ? [field.required(path, 'at least 1 access mode is required')] : [];
  for (const m of list) errs.push(...oneOf(m, ACCESS_MODES, path));
  if (list.includes('ReadWriteOncePod') && list.length > 1) errs.push(field.forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateStorageSize(v: unknown, path: string, what: 'required' | 'optional' = 'required'): Errors {
  if (v === undefined || v === null) return what === 'required' ? [field.required(path, '')] : [];
  const { errors, quantity } = validateQuantity(v, path);
  if (errors.length) return errors;
  return quantity && quantity.nano <= 0n ? [field.invalid(path, formatQuantity(quantity), 'must be greater than zero')] : [];
}

/** Fields of a PV spec that are not its volume source. */
const PV_SPEC_FIELDS = new Set(['accessModes', 'capacity', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName',
  'mountOptions', 'volumeMode', 'nodeAffinity', 'volumeAttributesClassName']);

const persistentVolumeStrategy: Strategy = {
  defaults(pv) {
    const spec = child(pv, 'spec');
    setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(spec, 'volumeMode', 'Filesystem');
    if (spec.hostPath) setDefault(spec.hostPath, 'type', '');
    setDefault(child(pv, 'status'), 'phase', 'Pending');
  },
  prepareForCreate(pv, ctx) {
    pv.status = { phase: 'Pending', lastPhaseTransitionTime: rfc3339(ctx.now) };
  },
  validate(pv) {
    const spec = pv.spec ?? {};
    const errs = validateAccessModes(spec.accessModes, 'spec.accessModes');
    if (entries(spec.capacity).length === 0) errs.push(field.required('spec.capacity', ''));
    for (const [name, v] of entries(spec.capacity)) {
      if (name !== 'storage') errs.push(field.notSupported('spec.capacity', name, ['storage']));
      else errs.push(...validateStorageSize(v, 'spec.capacity[storage]'));
    }
    const sources = Object.keys(spec).filter(k => !PV_SPEC_FIELDS.has(k) && spec[k] != null);
    if (sources.length === 0) errs.push(field.required('spec', 'must specify a volume type'));
    errs.push(...sources.slice(1).map(s => field.forbidden(`spec.${s}`, 'may not specify more than 1 volume type')));
    errs.push(...oneOf(spec.persistentVolumeReclaimPolicy, ['Delete', 'Recycle', 'Retain'], 'spec.persistentVolumeReclaimPolicy'));
    errs.push(...oneOf(spec.volumeMode, ['Block', 'Filesystem'], 'spec.volumeMode'));
    errs.push(...optionalName(spec.storageClassName, 'spec.storageClassName', dns1123Subdomain));
    return errs;
  },
  validateUpdate: (pv, old) => immutable(pv.spec?.volumeMode, old.spec?.volumeMode, 'spec.volumeMode'),
};

const PVC_MUTABLE_MESSAGE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

function validatePVCSpec(spec: Obj, path: string): Errors {
  return [
    ...validateAccessModes(spec.accessModes, `${path}.accessModes`),
    ...validateStorageSize(spec.resources?.requests?.storage, `${path}.resources[storage]`),
    ...oneOf(spec.volumeMode, ['Block', 'Filesystem'], `${path}.volumeMode`),
    ...validateLabelSelector(spec.selector, `${path}.selector`),
    ...optionalName(spec.storageClassName, `${path}.storageClassName`, dns1123Subdomain),
  ];
}

const persistentVolumeClaimStrategy: Strategy = {
  defaults(pvc) {
    defaultPVCSpec(child(pvc, 'spec'));
    setDefault(child(pvc, 'status'), 'phase', 'Pending');
    for (const list of ['limits', 'requests']) {
      for (const [k, v] of entries(pvc.spec.resources?.[list])) pvc.spec.resources[list][k] = canonicalQuantity(v);
    }
  },
  prepareForCreate(pvc) { pvc.status = { phase: 'Pending' }; },
  validate: pvc => validatePVCSpec(pvc.spec ?? {}, 'spec'),
  validateUpdate(pvc, old) {
    const spec = clone(pvc.spec ?? {}), before = old.spec ?? {};
    // Binding fills volumeName once; resizing changes requests; the attributes class may change.
    if (!before.volumeName) spec.volumeName = before.volumeName;
    if (spec.resources) spec.resources = { ...spec.resources, requests: before.resources?.requests };
    spec.volumeAttributesClassName = before.volumeAttributesClassName;
    return deepEqual(spec, before) ? [] : [field.forbidden('spec', PVC_MUTABLE_MESSAGE)];
  },
};

// ---- ReplicationController and PodTemplate ----

const replicationControllerStrategy: Strategy = {
  defaults(rc) {
    const spec = child(rc, 'spec');
    const labels = spec.template?.metadata?.labels;
    if (labels && typeof labels === 'object') {
      if (entries(spec.selector).length === 0) spec.selector = clone(labels);
      const meta = child(rc, 'metadata');
      if (entries(meta.labels).length === 0) meta.labels = clone(labels);
    }
    setDefault(spec, 'replicas', 1);
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(rc) { rc.status = { replicas: 0 }; },
  validate(rc) {
    const spec = rc.spec ?? {};
    const selector = spec.selector ?? {};
    const matches = Object.entries(selector).every(([k, v]) => spec.template?.metadata?.labels?.[k] === v);
    return [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...(entries(selector).length === 0 ? [field.required('spec.selector', '')] : validateLabels(selector, 'spec.selector')),
      ...validateControllerTemplate(spec.template, matches, 'spec.template', 'ReplicationController'),
    ];
  },
};

const podTemplateStrategy: Strategy = {
  defaults: pt => defaultPodTemplate(pt.template),
  validate: pt => validatePodTemplate(pt.template, 'template'),
};

// ---- Endpoints, ResourceQuota, LimitRange ----

const endpointsStrategy: Strategy = {
  defaults(ep) {
    for (const subset of items(ep.subsets)) for (const port of items(subset?.ports)) if (port) setDefault(port, 'protocol', 'TCP');
  },
  validate: ep => eachItem(ep.subsets, 'subsets', (subset, p) => [
    ...['addresses', 'notReadyAddresses'].flatMap(list => eachItem(subset[list], `${p}.${list}`, (a, ap) =>
      (ipAddress(String(a.ip ?? '')) ? [] : [field.invalid(`${ap}.ip`, a.ip ?? '', 'must be a valid IP address')]))),
    ...eachItem(subset.ports, `${p}.ports`, (port, pp) => [
      ...(items(subset.ports).length > 1 ? requiredName(port.name, `${pp}.name`, dns1123Label) : optionalName(port.name, `${pp}.name`, dns1123Label)),
      ...invalidEach(`${pp}.port`, port.port ?? 0, portNumber(port.port)),
      ...requiredOneOf(port.protocol, PROTOCOLS, `${pp}.protocol`),
    ]),
  ]),
};

const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass',
  'Terminating', 'VolumeAttributesClass'];

const resourceQuotaStrategy: Strategy = {
  prepareForCreate(quota) { quota.status = {}; },
  validate: quota => [
    ...entries(quota.spec?.hard).flatMap(([name, v]) => [
      ...invalidEach(`spec.hard[${name}]`, name, qualifiedName(name)),
      ...validateQuantity(v, `spec.hard[${name}]`).errors,
    ]),
    ...eachItem(quota.spec?.scopes, 'spec.scopes', (s, p) => oneOf(s, QUOTA_SCOPES, p)),
  ],
};

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

const limitRangeStrategy: Strategy = {
  defaults(lr) {
    // Container limits: default ← max, defaultRequest ← default, then ← min.
    for (const item of items(lr.spec?.limits)) {
      if (item?.type !== 'Container') continue;
      const def = child(item, 'default'), defReq = child(item, 'defaultRequest');
      for (const [k, v] of entries(item.max)) if (!(k in def)) def[k] = v;
      for (const [k, v] of entries(def)) if (!(k in defReq)) defReq[k] = v;
      for (const [k, v] of entries(item.min)) if (!(k in defReq)) defReq[k] = v;
    }
  },
  validate: lr => eachItem(lr.spec?.limits, 'spec.limits', (item, p) => [
    ...requiredOneOf(item.type, LIMIT_TYPES, `${p}.type`),
    ...['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].flatMap(list =>
      entries(item[list]).flatMap(([name, v]) => validateQuantity(v, `${p}.${list}[${name}]`).errors)),
  ]),
};

// ---- the entries ----

const v1 = apiVersion('', 'v1');
const podSubresources = [
  { name: 'binding', kind: 'Binding', verbs: CREATE_ONLY },
  { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: CREATE_ONLY },
  { name: 'log', kind: 'Pod', verbs: ['get' as const] },
  subresource.connect('exec', 'PodExecOptions'),
  subresource.connect('attach', 'PodAttachOptions'),
  subresource.connect('portforward', 'PodPortForwardOptions'),
  subresource.proxy('PodProxyOptions'),
  subresource.part('ephemeralcontainers', 'Pod'),
  subresource.part('resize', 'Pod'),
];

export const coreResources: ResourceDef[] = [
  v1('pods', 'Pod', {
    namespaced: true, shortNames: ['po'], categories: ['all'], hasStatus: true, generation: true,
    subresources: podSubresources, fieldSelectors: podFieldSelectors, strategy: podStrategy,
  }),
  v1('services', 'Service', {
    namespaced: true, shortNames: ['svc'], categories: ['all'], hasStatus: true, nameRule: 'label',
    subresources: [subresource.proxy('ServiceProxyOptions')],
    fieldSelectors: { 'spec.clusterIP': s => text(s.spec?.clusterIP), 'spec.type': s => text(s.spec?.type) },
    strategy: serviceStrategy,
  }),
  v1('endpoints', 'Endpoints', { namespaced: true, shortNames: ['ep'], strategy: endpointsStrategy }),
  v1('nodes', 'Node', {
    namespaced: false, shortNames: ['no'], hasStatus: true, statusOnCreate: true,
    subresources: [subresource.proxy('NodeProxyOptions')],
    fieldSelectors: { 'spec.unschedulable': n => flag(n.spec?.unschedulable) },
    strategy: nodeStrategy,
  }),
  v1('namespaces', 'Namespace', {
    namespaced: false, shortNames: ['ns'], verbs: NO_DELETECOLLECTION, hasStatus: true, nameRule: 'label',
    subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
    fieldSelectors: { 'status.phase': n => text(n.status?.phase) },
    strategy: namespaceStrategy,
  }),
  v1('configmaps', 'ConfigMap', { namespaced: true, shortNames: ['cm'], strategy: configMapStrategy }),
  v1('secrets', 'Secret', {
    namespaced: true, fieldSelectors: { type: s => text(s.type) }, strategy: secretStrategy,
  }),
  v1('serviceaccounts', 'ServiceAccount', {
    namespaced: true, shortNames: ['sa'],
    subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: CREATE_ONLY }],
  }),
  v1('events', 'Event', {
    namespaced: true, shortNames: ['ev'], fieldSelectors: coreEventFieldSelectors, strategy: coreEventStrategy,
  }),
  v1('persistentvolumes', 'PersistentVolume', {
    namespaced: false, shortNames: ['pv'], hasStatus: true, strategy: persistentVolumeStrategy,
  }),
  v1('persistentvolumeclaims', 'PersistentVolumeClaim', {
    namespaced: true, shortNames: ['pvc'], hasStatus: true, strategy: persistentVolumeClaimStrategy,
  }),
  v1('replicationcontrollers', 'ReplicationController', {
    namespaced: true, shortNames: ['rc'], categories: ['all'], hasStatus: true, generation: true, scale: REPLICAS_SCALE,
    fieldSelectors: { 'status.replicas': rc => count(rc.status?.replicas) },
    strategy: replicationControllerStrategy,
  }),
  v1('resourcequotas', 'ResourceQuota', {
    namespaced: true, shortNames: ['quota'], hasStatus: true, strategy: resourceQuotaStrategy,
  }),
  v1('limitranges', 'LimitRange', { namespaced: true, shortNames: ['limits'], strategy: limitRangeStrategy }),
  v1('podtemplates', 'PodTemplate', { namespaced: true, generation: true, strategy: podTemplateStrategy }),
  v1('componentstatuses', 'ComponentStatus', {
    namespaced: false, shortNames: ['cs'], verbs: READ_ONLY, deprecationWarning: 'v1 ComponentStatus is deprecated in v1.19+',
  }),
  v1('bindings', 'Binding', { namespaced: true, verbs: CREATE_ONLY, strategy: bindingStrategy }),
];

