// Scheme defaults shared by every kind that embeds a pod (core/v1 SetDefaults_PodSpec, _Container,
// _Probe, _Volume, ...): the Pod itself and the templates of workloads.
import { canonicalQuantity } from './quantity.ts';
import { child, entries, items, setDefault, setDefaultIfZero, type Obj } from './objects.ts';

/** `nginx` and `nginx:latest` are pulled Always, a pinned tag or digest IfNotPresent. */
export function pullPolicyFor(image: unknown): 'Always' | 'IfNotPresent' {
  if (typeof image !== 'string' || image === '') return 'IfNotPresent';
  const [name, digest] = image.split('@');
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : digest ? '' : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Quantities come back in canonical form ("1000m" → "1"), as the API server re-encodes them. */
export function canonicalizeResources(resources: Obj | undefined): void {
  if (!resources) return;
  for (const list of ['limits', 'requests']) {
    for (const [name, v] of entries(resources[list])) resources[list][name] = canonicalQuantity(v);
  }
}

/** fieldRef / resourceFieldRef selectors inside env vars and downward API items. */
function defaultFieldSelectors(holder: Obj | undefined): void {
  if (!holder) return;
  if (holder.fieldRef) setDefault(holder.fieldRef, 'apiVersion', 'v1');
  // The divisor is a non-pointer Quantity: it is always written, "0" when unset.
  if (holder.resourceFieldRef) setDefault(holder.resourceFieldRef, 'divisor', '0');
}

function defaultHandler(handler: Obj | undefined): void {
  if (!handler) return;
  if (handler.httpGet) {
    setDefault(handler.httpGet, 'path', '/');
    setDefault(handler.httpGet, 'scheme', 'HTTP');
  }
  if (handler.grpc) setDefault(handler.grpc, 'service', '');
}

function defaultProbe(probe: Obj | undefined): void {
  if (!probe) return;
  setDefaultIfZero(probe, 'timeoutSeconds', 1);
  setDefaultIfZero(probe, 'periodSeconds', 10);
  setDefaultIfZero(probe, 'successThreshold', 1);
  setDefaultIfZero(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(c: Obj): void {
  setDefault(c, 'imagePullPolicy', pullPolicyFor(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  // Go always writes the (empty) resources struct; clients diff against it.
  canonicalizeResources(child(c, 'resources'));
  for (const port of items(c.ports)) if (port) setDefault(port, 'protocol', 'TCP');
  for (const env of items(c.env)) defaultFieldSelectors(env?.valueFrom);
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

export function defaultPVCSpec(spec: Obj | undefined): void {
  if (spec) setDefault(spec, 'volumeMode', 'Filesystem');
}

const FILE_MODE_0644 = 420;

/** SetDefaults_Volume and the defaults of each volume source. */
function defaultVolume(v: Obj): void {
  if (Object.keys(v).every(k => k === 'name' || v[k] === undefined || v[k] === null)) v.emptyDir = {};
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    if (v[source]) setDefault(v[source], 'defaultMode', FILE_MODE_0644);
  }
  for (const item of items(v.downwardAPI?.items)) defaultFieldSelectors(item);
  for (const source of items(v.projected?.sources)) {
    if (source?.serviceAccountToken) setDefault(source.serviceAccountToken, 'expirationSeconds', 3600);
    for (const item of items(source?.downwardAPI?.items)) defaultFieldSelectors(item);
  }
  if (v.hostPath) setDefault(v.hostPath, 'type', '');
  if (v.iscsi) setDefault(v.iscsi, 'iscsiInterface', 'default');
  defaultPVCSpec(v.ephemeral?.volumeClaimTemplate?.spec);
}

/** SetDefaults_PodSpec: what every pod spec gets, in a Pod or in a template. */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  // v1 keeps the deprecated serviceAccount alias in step with serviceAccountName (conversion does this).
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of items(spec[list])) if (c) defaultContainer(c);
  }
  for (const v of items(spec.volumes)) if (v) defaultVolume(v);
  canonicalizeResources(spec.resources);
}

/** Defaults of the PodTemplateSpec embedded in workloads (only when a template is given). */
export function defaultPodTemplate(template: Obj | undefined): void {
  if (template) defaultPodSpec(child(template, 'spec'));
}

/** SetDefaults_Pod: what only a Pod gets on top of its spec defaults. */
export function defaultPod(pod: Obj): void {
  const spec = child(pod, 'spec');
  defaultPodSpec(spec);
  setDefault(spec, 'enableServiceLinks', true);
  // Requests default to limits, per container, for a Pod (not for templates).
  for (const c of [...items(spec.containers), ...items(spec.initContainers)]) {
    const limits = c?.resources?.limits;
    if (!limits || typeof limits !== 'object' || Object.keys(limits).length === 0) continue;
    const requests = child(c.resources, 'requests');
    for (const [name, q] of entries(limits)) if (!(name in requests)) requests[name] = q;
  }
  // Pod-level resources (beta, on): requests default to the pod-level limits.
  const podLimits = spec.resources?.limits;
  if (podLimits && Object.keys(podLimits).length) {
    const requests = child(spec.resources, 'requests');
    for (const [name, q] of entries(podLimits)) if (!(name in requests)) requests[name] = q;
  }
  if (spec.hostNetwork === true) {
    for (const c of [...items(spec.containers), ...items(spec.initContainers)]) {
      for (const port of items(c?.ports)) if (port && !port.hostPort) port.hostPort = port.containerPort;
    }
  }
}
