// Table columns of the core ("") group, as kube-apiserver's printers define them.
import type {
  ComponentStatus, ConfigMap, Container, Endpoints, Event, Namespace, Node, PersistentVolume,
  PersistentVolumeClaim, Pod, PodTemplate, ReplicationController, ResourceQuota, Secret, Service,
} from 'kubernetes-types/core/v1';
import type { Column, KubeObject } from '../registry/types.ts';
import { ageColumn, col, defaultColumns, nameColumn, templateColumns, wide } from './columns.ts';
import {
  formatLabels, humanDuration, joinHostPort, listWithMore, orNone, parseTime, servicePorts, since,
} from './format.ts';

// Field documentation of core/v1 used as column descriptions.
const DOC = {
  podIP: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  nodeName: 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
  nominatedNodeName: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  readinessGates: 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  rcReplicas: 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
  rcStatusReplicas: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
  rcReadyReplicas: 'The number of ready replicas for this replication controller.',
  rcSelector: 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  serviceType: 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  clusterIP: 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  externalIPs: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.',
  ports: 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  serviceSelector: 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/',
  subsets: 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  kubeletVersion: 'Kubelet Version reported by the node.',
  addresses: "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  osImage: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
  kernelVersion: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
  containerRuntimeVersion: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
  lastTimestamp: 'The time at which the most recent occurrence of this event was recorded.',
  eventType: 'Type of this event (Normal, Warning), new types could be added in the future',
  eventReason: "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  involvedObject: 'The object that this event is about.',
  fieldPath: 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  source: 'The component reporting this event. Should be a short machine understandable string.',
  message: 'A human-readable description of the status of this operation.',
  firstTimestamp: 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
  count: 'The number of times this event has occurred.',
  secretType: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
  secretData: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
  configMapData: "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  pvCapacity: "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
  pvAccessModes: 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
  reclaimPolicy: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
  pvPhase: 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
  claimRef: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
  pvReason: 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
  pvVolumeMode: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.',
  pvcPhase: 'phase represents the current phase of PersistentVolumeClaim.',
  volumeName: 'volumeName is the binding reference to the PersistentVolume backing this claim.',
  pvcCapacity: 'capacity represents the actual resources of the underlying volume.',
  pvcAccessModes: 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
  pvcVolumeMode: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.',
};

// ---- pods ----

/** What kubectl shows in READY, STATUS and RESTARTS, derived from the pod's status together. */
interface PodSummary { ready: string; status: string; restarts: string }

const isSidecar = (c: Container | undefined) => c?.restartPolicy === 'Always';
const later = (a: number | undefined, b: number | undefined) => (a === undefined || (b !== undefined && b > a) ? b : a);

function terminationReason(t: { reason?: string; signal?: number; exitCode?: number }): string {
  if (t.reason) return t.reason;
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode ?? 0}`;
}

function summarizePod(pod: Pod, now: number): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const initContainers = spec?.initContainers ?? [];
  const initSpecs = new Map(initContainers.map((c) => [c.name, c]));

  let reason = status.reason || status.phase || '';
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  // Sidecars (restartable init containers) count as containers of the running pod.
  const total = (spec?.containers ?? []).length + initContainers.filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;

  // Init containers run in order: the first one not done tells how far initialisation got.
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const finished = parseTime(c.lastState?.terminated?.finishedAt);
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, finished);
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const { terminated, waiting } = c.state ?? {};
    if (terminated && !terminated.exitCode) continue;
    if (sidecar && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = `Init:${terminationReason(terminated)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initContainers.length}`;
    initializing = true;
    break;
  }

  const initialized = conditions.find((c) => c.type === 'Initialized')?.status === 'True';
  if (!initializing || initialized) {
    // Once initialised, only sidecar restarts still count among the init containers'.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    let errorReason = '';
    const statuses = status.containerStatuses ?? [];
    // In reverse, so that the first container's state is the one shown.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, parseTime(c.lastState?.terminated?.finishedAt));
      const { waiting, terminated, running } = c.state ?? {};
      if (waiting?.reason) {
        reason = waiting.reason;
      } else if (terminated) {
        reason = terminationReason(terminated);
        if (terminated.exitCode) errorReason = reason;
      } else if (c.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod with a completed container but others still running is not "Completed".
    if (reason === 'Completed') {
      const podReady = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      if (hasRunning && podReady) reason = 'Running';
      else if (errorReason) reason = errorReason;
      else if (hasRunning) reason = 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }

  return {
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts),
  };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

const pods: Column[] = [
  nameColumn,
  col<Pod>('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.', (p, now) => summarizePod(p, now).ready),
  col<Pod>('Status', 'string', 'The aggregate status of the containers in this pod.', (p, now) => summarizePod(p, now).status),
  col<Pod>('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.', (p, now) => summarizePod(p, now).restarts),
  ageColumn,
  // podIP wins over podIPs when they disagree, as the v1 conversion decides.
  wide(col<Pod>('IP', 'string', DOC.podIP, (p) => orNone(p.status?.podIP || p.status?.podIPs?.[0]?.ip))),
  wide(col<Pod>('Node', 'string', DOC.nodeName, (p) => orNone(p.spec?.nodeName))),
  wide(col<Pod>('Nominated Node', 'string', DOC.nominatedNodeName, (p) => orNone(p.status?.nominatedNodeName))),
  wide(col<Pod>('Readiness Gates', 'string', DOC.readinessGates, readinessGates)),
];

const podTemplates: Column[] = [
  nameColumn,
  ...templateColumns<PodTemplate>((t) => t.template?.spec?.containers),
  col<PodTemplate>('Pod Labels', 'string', 'The labels for the pod template.', (t) => formatLabels(t.template?.metadata?.labels)),
];

const replicationControllers: Column[] = [
  nameColumn,
  col<ReplicationController>('Desired', 'integer', DOC.rcReplicas, (rc) => rc.spec?.replicas ?? 1),
  col<ReplicationController>('Current', 'integer', DOC.rcStatusReplicas, (rc) => rc.status?.replicas ?? 0),
  col<ReplicationController>('Ready', 'integer', DOC.rcReadyReplicas, (rc) => rc.status?.readyReplicas ?? 0),
  ageColumn,
  ...templateColumns<ReplicationController>((rc) => rc.spec?.template?.spec?.containers).map(wide),
  wide(col<ReplicationController>('Selector', 'string', DOC.rcSelector, (rc) => formatLabels(rc.spec?.selector))),
];

// ---- services and endpoints ----

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return orNone(externalIPs.join(','));
    case 'LoadBalancer': {
      const ingress = new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean));
      const addresses = [...[...ingress].sort(), ...externalIPs];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const services: Column[] = [
  nameColumn,
  col<Service>('Type', 'string', DOC.serviceType, (s) => s.spec?.type ?? 'ClusterIP'),
  col<Service>('Cluster-IP', 'string', DOC.clusterIP, (s) => orNone(s.spec?.clusterIPs?.[0] || s.spec?.clusterIP)),
  col<Service>('External-IP', 'string', DOC.externalIPs, externalIP),
  col<Service>('Port(s)', 'string', DOC.ports, (s) => servicePorts(s.spec?.ports)),
  ageColumn,
  wide(col<Service>('Selector', 'string', DOC.serviceSelector, (s) => formatLabels(s.spec?.selector))),
];

/** Up to three `ip:port` endpoints and how many more there are. */
function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    // Headless services may have no ports: the bare addresses are listed.
    const targets = subset.ports?.length ? subset.ports.map((p) => p.port) : [undefined];
    for (const port of targets) {
      total += addresses.length;
      for (const a of addresses) {
        if (shown.length === max) break;
        shown.push(port === undefined ? a.ip : joinHostPort(a.ip, port));
      }
    }
  }
  return listWithMore(shown, total, '');
}

const endpoints: Column[] = [
  nameColumn,
  col<Endpoints>('Endpoints', 'string', DOC.subsets, formatEndpoints),
  ageColumn,
];

// ---- nodes ----

function nodeStatus(node: Node): string {
  // The last Ready condition wins, as in a map keyed by type.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` label keys and the legacy `kubernetes.io/role` value. */
function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return orNone([...roles].sort().join(','));
}

const nodeAddress = (type: string) => (node: Node) =>
  orNone(node.status?.addresses?.find((a) => a.type === type)?.address);

const nodes: Column[] = [
  nameColumn,
  col<Node>('Status', 'string', 'The status of the node', nodeStatus),
  col<Node>('Roles', 'string', 'The roles of the node', nodeRoles),
  ageColumn,
  col<Node>('Version', 'string', DOC.kubeletVersion, (n) => n.status?.nodeInfo?.kubeletVersion ?? ''),
  wide(col<Node>('Internal-IP', 'string', DOC.addresses, nodeAddress('InternalIP'))),
  wide(col<Node>('External-IP', 'string', DOC.addresses, nodeAddress('ExternalIP'))),
  wide(col<Node>('OS-Image', 'string', DOC.osImage, (n) => n.status?.nodeInfo?.osImage || '<unknown>')),
  wide(col<Node>('Kernel-Version', 'string', DOC.kernelVersion, (n) => n.status?.nodeInfo?.kernelVersion || '<unknown>')),
  wide(col<Node>('Container-Runtime', 'string', DOC.containerRuntimeVersion, (n) => n.status?.nodeInfo?.containerRuntimeVersion || '<unknown>')),
];

// ---- events ----

/** The fields the event columns read, named as in core/v1; events.k8s.io/v1 maps onto them. */
export interface EventView {
  name?: string;
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingController?: string;
  reportingInstance?: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
}

function coreEventView(obj: KubeObject): EventView {
  const e = obj as Event;
  return { ...e, name: e.metadata?.name, reportingController: e.reportingComponent };
}

/** First seen: firstTimestamp, or eventTime for events recorded through the new API. */
function firstSeen(e: EventView, now: number): string {
  return e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
}

function lastSeen(e: EventView, now: number): string {
  if (e.series) return since(e.series.lastObservedTime, now);
  return e.lastTimestamp ? since(e.lastTimestamp, now) : firstSeen(e, now);
}

function eventObject(e: EventView): string {
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  return e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
}

function eventSource(e: EventView): string {
  const component = e.source?.component || e.reportingController || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** The event table; `view` reads the served shape of an event (core/v1 or events.k8s.io/v1). */
export function eventColumns(view: (obj: KubeObject) => EventView): Column[] {
  const eventCol = (name: string, type: Column['type'], description: string, cell: (e: EventView, now: number) => string | number) =>
    col(name, type, description, (obj, now) => cell(view(obj), now));
  return [
    eventCol('Last Seen', 'string', DOC.lastTimestamp, lastSeen),
    eventCol('Type', 'string', DOC.eventType, (e) => e.type ?? ''),
    eventCol('Reason', 'string', DOC.eventReason, (e) => e.reason ?? ''),
    eventCol('Object', 'string', DOC.involvedObject, eventObject),
    wide(eventCol('Subobject', 'string', DOC.fieldPath, (e) => e.involvedObject?.fieldPath ?? '')),
    wide(eventCol('Source', 'string', DOC.source, eventSource)),
    eventCol('Message', 'string', DOC.message, (e) => (e.message ?? '').trim()),
    wide(eventCol('First Seen', 'string', DOC.firstTimestamp, firstSeen)),
    // Singleton events written through events.k8s.io carry no count: they happened once.
    wide(eventCol('Count', 'string', DOC.count, (e) => (e.series ? (e.series.count ?? 0) : e.count || 1))),
    { ...wide(nameColumn), cell: (obj) => view(obj).name ?? '' },
  ];
}

// ---- configuration and accounts ----

const namespaces: Column[] = [
  nameColumn,
  col<Namespace>('Status', 'string', 'The status of the namespace', (ns) => ns.status?.phase ?? 'Active'),
  ageColumn,
];

const secrets: Column[] = [
  nameColumn,
  col<Secret>('Type', 'string', DOC.secretType, (s) => s.type ?? 'Opaque'),
  col<Secret>('Data', 'string', DOC.secretData, (s) => Object.keys(s.data ?? {}).length),
  ageColumn,
];

const configMaps: Column[] = [
  nameColumn,
  col<ConfigMap>('Data', 'string', DOC.configMapData, (cm) => Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length),
  ageColumn,
];

// ---- storage ----

/** Access modes abbreviated in a fixed order (RWO, ROX, RWX, RWOP). */
function accessModes(modes: string[] | undefined): string {
  const abbreviations: [string, string][] = [
    ['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP'],
  ];
  return abbreviations.filter(([mode]) => modes?.includes(mode)).map(([, short]) => short).join(',');
}

// The beta annotation still overrides spec.storageClassName when present.
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

const persistentVolumes: Column[] = [
  nameColumn,
  col<PersistentVolume>('Capacity', 'string', DOC.pvCapacity, (pv) => String(pv.spec?.capacity?.storage ?? '0')),
  col<PersistentVolume>('Access Modes', 'string', DOC.pvAccessModes, (pv) => accessModes(pv.spec?.accessModes)),
  col<PersistentVolume>('Reclaim Policy', 'string', DOC.reclaimPolicy, (pv) => pv.spec?.persistentVolumeReclaimPolicy ?? ''),
  col<PersistentVolume>('Status', 'string', DOC.pvPhase, (pv) => (pv.metadata?.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? '')),
  col<PersistentVolume>('Claim', 'string', DOC.claimRef, (pv) => (pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '')),
  col<PersistentVolume>('StorageClass', 'string', 'StorageClass of the pv', (pv) => pv.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? ''),
  col<PersistentVolume>('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv', (pv) => pv.spec?.volumeAttributesClassName ?? '<unset>'),
  col<PersistentVolume>('Reason', 'string', DOC.pvReason, (pv) => pv.status?.reason ?? ''),
  ageColumn,
  wide(col<PersistentVolume>('VolumeMode', 'string', DOC.pvVolumeMode, (pv) => pv.spec?.volumeMode ?? '<unset>')),
];

// Capacity and access modes are the bound volume's, so they show only once bound.
const boundTo = (pvc: PersistentVolumeClaim) => Boolean(pvc.spec?.volumeName);

const persistentVolumeClaims: Column[] = [
  nameColumn,
  col<PersistentVolumeClaim>('Status', 'string', DOC.pvcPhase, (pvc) => (pvc.metadata?.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? '')),
  col<PersistentVolumeClaim>('Volume', 'string', DOC.volumeName, (pvc) => pvc.spec?.volumeName ?? ''),
  col<PersistentVolumeClaim>('Capacity', 'string', DOC.pvcCapacity, (pvc) => (boundTo(pvc) ? String(pvc.status?.capacity?.storage ?? '0') : '')),
  col<PersistentVolumeClaim>('Access Modes', 'string', DOC.pvcAccessModes, (pvc) => (boundTo(pvc) ? accessModes(pvc.status?.accessModes) : '')),
  col<PersistentVolumeClaim>('StorageClass', 'string', 'StorageClass of the pvc', (pvc) => pvc.metadata?.annotations?.[BETA_STORAGE_CLASS] ?? pvc.spec?.storageClassName ?? ''),
  col<PersistentVolumeClaim>('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc', (pvc) => pvc.spec?.volumeAttributesClassName ?? '<unset>'),
  ageColumn,
  wide(col<PersistentVolumeClaim>('VolumeMode', 'string', DOC.pvcVolumeMode, (pvc) => pvc.spec?.volumeMode ?? '<unset>')),
];

// ---- cluster state ----

const healthy = (cs: ComponentStatus) => cs.conditions?.find((c) => c.type === 'Healthy');

const componentStatuses: Column[] = [
  nameColumn,
  col<ComponentStatus>('Status', 'string', 'Status of the component conditions', (cs) => {
    const c = healthy(cs);
    return c ? (c.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
  }),
  col<ComponentStatus>('Message', 'string', 'Message of the component conditions', (cs) => healthy(cs)?.message ?? ''),
  col<ComponentStatus>('Error', 'string', 'Error of the component conditions', (cs) => healthy(cs)?.error ?? ''),
];

/** `resource: used/hard` for each quota entry, sorted by name; `limits.*` go in the Limit column. */
function quotaUsage(quota: ResourceQuota, limits: boolean): string {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((name) => (name.split('.').length > 1 && name.split('.')[0] === 'limits') === limits)
    .map((name) => `${name}: ${used[name] ?? '0'}/${hard[name]}`)
    .join(', ');
}

const resourceQuotas: Column[] = [
  nameColumn,
  col<ResourceQuota>('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.', (q) => quotaUsage(q, false)),
  col<ResourceQuota>('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.', (q) => quotaUsage(q, true)),
  ageColumn,
];

export const coreColumns: Record<string, Column[]> = {
  pods,
  podtemplates: podTemplates,
  replicationcontrollers: replicationControllers,
  services,
  endpoints,
  nodes,
  events: eventColumns(coreEventView),
  namespaces,
  secrets,
  configmaps: configMaps,
  serviceaccounts: [nameColumn, ageColumn],
  persistentvolumes: persistentVolumes,
  persistentvolumeclaims: persistentVolumeClaims,
  componentstatuses: componentStatuses,
  resourcequotas: resourceQuotas,
  // kube-apiserver has no printer for these: they get the generic table.
  limitranges: defaultColumns,
};
