// Reusable validators with Kubernetes' field paths and messages: names, labels, selectors, ports,
// quantities, containers and pod specs. Kind-specific checks live in the group files.
import { field, type FieldError } from '../errors.ts';
import { deepEqual, entries, items, sortedMap, type Obj } from './objects.ts';
import { compareQuantities, formatQuantity, parseQuantity, QUANTITY_FORMAT_ERROR, type Quantity } from './quantity.ts';

export type Errors = FieldError[];

// ---- string formats: each returns the messages apimachinery's Is* functions return ----

/** apimachinery's RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`. */
function regexError(msg: string, format: string, ...examples: string[]): string {
  const shown = examples.map(e => `'${e}', `).join(' or ');
  return `${msg} (${examples.length ? `e.g. ${shown}` : ''}regex used for validation is '${format}')`;
}
const maxLength = (n: number) => `must be no more than ${n} characters`;

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_FMT})?`;
const CONFIG_KEY_FMT = '[-._a-zA-Z0-9]+';
const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const LABEL_RE = whole(LABEL_FMT), SUBDOMAIN_RE = whole(SUBDOMAIN_FMT), DNS1035_RE = whole(DNS1035_FMT);
const QUALIFIED_RE = whole(QUALIFIED_FMT), LABEL_VALUE_RE = whole(LABEL_VALUE_FMT), CONFIG_KEY_RE = whole(CONFIG_KEY_FMT);

export function dns1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLength(63));
  if (!LABEL_RE.test(v)) {
    errs.push(SUBDOMAIN_RE.test(v) ? 'must not contain dots'
      : regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function dns1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLength(253));
  if (!SUBDOMAIN_RE.test(v)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

export function dns1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLength(63));
  if (!DNS1035_RE.test(v)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

const QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** A label key or other "qualified name": an optional DNS subdomain prefix and '/', then a name. */
export function qualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  if (parts.length > 2) {
    return [`a valid label key ${regexError(QUALIFIED_MSG, QUALIFIED_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(parts[0]).map(m => `prefix part ${m}`));
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLength(63)}`);
  if (!QUALIFIED_RE.test(name)) errs.push(`name part ${regexError(QUALIFIED_MSG, QUALIFIED_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function labelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLength(63));
  if (!LABEL_VALUE_RE.test(v)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** An IANA_SVC_NAME: the name of a port. */
export function portName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push(maxLength(15));
  if (!/^[-a-z0-9]+$/.test(v)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(v)) errs.push('must contain at least one letter (a-z)');
  if (v.includes('--')) errs.push('must not contain consecutive hyphens');
  if (v.startsWith('-') || v.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export const inclusiveRange = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

export const portNumber = (n: unknown): string[] =>
  (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 65535 ? [] : [inclusiveRange(1, 65535)]);

export function configMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLength(253));
  if (!CONFIG_KEY_RE.test(v)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** Environment variable names (RelaxedEnvironmentVariableValidation, on since 1.34). */
export function envVarName(v: string): string[] {
  if (v === '') return ['environment variable name must be non-empty'];
  return /^[\x20-\x3c\x3e-\x7e]+$/.test(v) ? [] : ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

export function ipAddress(v: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(v)) return true;
  if (!v.includes(':') || !/^[0-9a-fA-F:.]+$/.test(v)) return false;
  const halves = v.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const parts = halves.flatMap(groups);
  const last = parts[parts.length - 1] ?? '';
  const tailV4 = last.includes('.');
  if (tailV4 && !v4.test(last)) return false;
  const hex = tailV4 ? parts.slice(0, -1) : parts;
  if (!hex.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + (tailV4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** The canonical text of an IP (RFC 5952 for IPv6), or undefined when it is not one. */
export function canonicalIP(v: string): string | undefined {
  if (!ipAddress(v)) return undefined;
  if (!v.includes(':')) return v;
  const [head, tail] = v.includes('::') ? v.split('::') : [v, undefined];
  const hexGroups = (s: string | undefined) => (s ? s.split(':') : []).flatMap(g => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a, b, c, d] = g.split('.').map(Number);
    return [a * 256 + b, c * 256 + d];
  });
  const front = hexGroups(head), back = hexGroups(tail);
  const groups = [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = (gs: number[]) => gs.map(g => g.toString(16)).join(':');
  return best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
}

export function cidr(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits) || !ipAddress(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

// ---- field helpers: a value at a path, checked; each returns the errors to add ----

/** Turns format messages into Invalid errors for one value. */
export const invalidEach = (path: string, value: unknown, messages: string[]): Errors =>
  messages.map(m => field.invalid(path, value, m));

/** A name-like string checked with a format function; empty is Required. */
export function requiredName(v: unknown, path: string, check: (s: string) => string[]): Errors {
  if (v === undefined || v === null || v === '') return [field.required(path, '')];
  return invalidEach(path, v, check(String(v)));
}

/** An optional string that must pass `check` when set. */
export const optionalName = (v: unknown, path: string, check: (s: string) => string[]): Errors =>
  (v === undefined || v === null || v === '' ? [] : invalidEach(path, v, check(String(v))));

/** A value that must be one of `allowed` when set (NotSupported lists them in the given order). */
export const oneOf = (v: unknown, allowed: string[], path: string): Errors =>
  (v === undefined || v === null || allowed.includes(v as string) ? [] : [field.notSupported(path, v, allowed)]);

/** A value that must be set and one of `allowed`. */
export const requiredOneOf = (v: unknown, allowed: string[], path: string): Errors =>
  (v === undefined || v === null || v === '' ? [field.required(path, '')] : oneOf(v, allowed, path));

/** ValidateNonnegativeField. */
export const nonNegative = (v: unknown, path: string): Errors =>
  (typeof v === 'number' && v < 0 ? [field.invalid(path, v, 'must be greater than or equal to 0')] : []);

export const positive = (v: unknown, path: string): Errors =>
  (typeof v === 'number' && v <= 0 ? [field.invalid(path, v, 'must be greater than 0')] : []);

export const required = (v: unknown, path: string, detail = ''): Errors =>
  (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) ? [field.required(path, detail)] : []);

/** ValidateImmutableField: the update may not change the value. */
export const immutable = (now: unknown, before: unknown, path: string): Errors =>
  (deepEqual(now, before) ? [] : [field.invalid(path, shown(now), 'field is immutable')]);

/** Values in error messages as Go's encoding/json writes them (maps sorted by key). */
export function shown(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shown);
  if (v && typeof v === 'object') return sortedMap(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shown(x)])));
  return v;
}

/** Validates each item of an array with its indexed path. */
export const eachItem = (list: unknown, path: string, check: (item: any, path: string, index: number) => Errors): Errors =>
  items(list).flatMap((item, i) => check(item ?? {}, `${path}[${i}]`, i));

/** Reports Duplicate for the second and later occurrences of a key among items. */
export function duplicates(list: unknown, path: string, key: (item: any) => unknown, at: string): Errors {
  const seen = new Set<string>();
  const errs: Errors = [];
  items(list).forEach((item, i) => {
    const k = key(item);
    if (k === undefined || k === null || k === '') return;
    const id = JSON.stringify(k);
    if (seen.has(id)) errs.push(field.duplicate(`${path}[${i}]${at}`, k));
    seen.add(id);
  });
  return errs;
}

// ---- labels, annotations-like maps and selectors ----

/** ValidateLabels: keys are qualified names, values label values; errors point at the map. */
export function validateLabels(labels: unknown, path: string): Errors {
  return entries(labels).flatMap(([k, v]) => [
    ...invalidEach(path, k, qualifiedName(k)),
    ...invalidEach(path, v, labelValue(String(v ?? ''))),
  ]);
}

/** A metav1.LabelSelector's own validity. */
export function validateLabelSelector(selector: Obj | undefined | null, path: string): Errors {
  if (!selector) return [];
  return [
    ...validateLabels(selector.matchLabels, `${path}.matchLabels`),
    ...eachItem(selector.matchExpressions, `${path}.matchExpressions`, (req, p) => {
      const errs: Errors = [];
      const values = items(req.values);
      if (req.operator === 'In' || req.operator === 'NotIn') {
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      } else {
        errs.push(field.invalid(`${p}.operator`, req.operator, 'not a valid selector operator'));
      }
      errs.push(...invalidEach(`${p}.key`, req.key, qualifiedName(String(req.key ?? ''))));
      values.forEach((v, i) => errs.push(...invalidEach(`${p}.values[${i}]`, v, labelValue(String(v)))));
      return errs;
    }),
  ];
}

export const isEmptySelector = (selector: Obj | undefined | null): boolean =>
  entries(selector?.matchLabels).length === 0 && items(selector?.matchExpressions).length === 0;

/** Whether a LabelSelector selects a label set (an empty selector selects everything). */
export function selectorMatches(selector: Obj | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  const set = labels ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(set, k);
  for (const [k, v] of entries(selector?.matchLabels)) if (!has(k) || set[k] !== v) return false;
  for (const req of items(selector?.matchExpressions)) {
    const values = items(req.values);
    const ok = req.operator === 'In' ? has(req.key) && values.includes(set[req.key])
      : req.operator === 'NotIn' ? !has(req.key) || !values.includes(set[req.key])
        : req.operator === 'Exists' ? has(req.key)
          : req.operator === 'DoesNotExist' ? !has(req.key) : false;
    if (!ok) return false;
  }
  return true;
}

// ---- quantities and resource requirements ----

/** A quantity field: parseable and, unless negative values make sense, not negative. */
export function validateQuantity(v: unknown, path: string): { errors: Errors; quantity?: Quantity } {
  const quantity = parseQuantity(v);
  if (!quantity) return { errors: [field.invalid(path, v, QUANTITY_FORMAT_ERROR)] };
  if (quantity.nano < 0n) return { errors: [field.invalid(path, formatQuantity(quantity), 'must be greater than or equal to 0')], quantity };
  return { errors: [], quantity };
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNativeResource = (name: string) => !name.includes('/') || name.startsWith('kubernetes.io/');
/** Only native, non-hugepage resources may be requested below their limit. */
const overcommitAllowed = (name: string) => isNativeResource(name) && !isHugePages(name);

function validateResourceName(name: string, path: string): Errors {
  const errs = invalidEach(path, name, qualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) return [field.invalid(path, name, 'must be a standard resource for containers')];
  } else if (!isNativeResource(name) && name.startsWith('requests.')) {
    return [field.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return [];
}

/** ResourceRequirements of a container (or a pod): names, quantities, requests ≤ limits. */
export function validateResources(resources: Obj | undefined, path: string): Errors {
  if (!resources) return [];
  const errs: Errors = [];
  const limits = new Map<string, Quantity>();
  for (const [name, v] of entries(resources.limits)) {
    const p = `${path}.limits[${name}]`;
    errs.push(...validateResourceName(name, p));
    const { errors, quantity } = validateQuantity(v, p);
    errs.push(...errors);
    if (quantity) limits.set(name, quantity);
  }
  for (const [name, v] of entries(resources.requests)) {
    const p = `${path}.requests[${name}]`;
    errs.push(...validateResourceName(name, p));
    const { errors, quantity } = validateQuantity(v, p);
    errs.push(...errors);
    const limit = limits.get(name);
    if (!quantity) continue;
    if (limit) {
      const cmp = compareQuantities(quantity, limit);
      if (cmp !== 0 && !overcommitAllowed(name)) {
        errs.push(field.invalid(`${path}.requests`, formatQuantity(quantity), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      } else if (cmp > 0) {
        errs.push(field.invalid(`${path}.requests`, formatQuantity(quantity), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(field.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}

// ---- ports ----

/** An IntOrString port: a number in range or an IANA service name. */
export function validatePortNumOrName(v: unknown, path: string): Errors {
  if (typeof v === 'number') return invalidEach(path, v, portNumber(v));
  if (typeof v === 'string') return invalidEach(path, v, portName(v));
  return [field.invalid(path, v, inclusiveRange(1, 65535))];
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, path: string): Errors {
  return [
    ...eachItem(ports, path, (port, p) => [
      ...optionalName(port.name, `${p}.name`, portName),
      ...(port.containerPort === undefined || port.containerPort === 0
        ? [field.required(`${p}.containerPort`, '')]
        : invalidEach(`${p}.containerPort`, port.containerPort, portNumber(port.containerPort))),
      ...(port.hostPort ? invalidEach(`${p}.hostPort`, port.hostPort, portNumber(port.hostPort)) : []),
      ...requiredOneOf(port.protocol, PROTOCOLS, `${p}.protocol`),
    ]),
    ...duplicates(ports, path, port => port.name, '.name'),
  ];
}

// ---- containers ----

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateHandler(handler: Obj, kinds: string[], path: string): Errors {
  const set = kinds.filter(k => handler[k] !== undefined && handler[k] !== null);
  if (set.length === 0) return [field.required(path, 'must specify a handler type')];
  const errs = set.slice(1).map(k => field.forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'));
  const http = handler.httpGet;
  if (http) errs.push(...validatePortNumOrName(http.port, `${path}.httpGet.port`), ...oneOf(http.scheme, ['HTTP', 'HTTPS'], `${path}.httpGet.scheme`));
  if (handler.tcpSocket) errs.push(...validatePortNumOrName(handler.tcpSocket.port, `${path}.tcpSocket.port`));
  if (handler.grpc) errs.push(...invalidEach(`${path}.grpc.port`, handler.grpc.port, portNumber(handler.grpc.port)));
  if (handler.exec && items(handler.exec.command).length === 0) errs.push(field.required(`${path}.exec.command`, ''));
  return errs;
}

function validateProbe(probe: Obj | undefined, path: string, mustSucceedOnce: boolean): Errors {
  if (!probe) return [];
  const errs = validateHandler(probe, PROBE_HANDLERS, path);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(probe[k], `${path}.${k}`));
  }
  if (mustSucceedOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(field.invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateEnv(env: unknown, path: string): Errors {
  return eachItem(env, path, (e, p) => {
    const errs = e.name === undefined || e.name === '' ? [field.required(`${p}.name`, '')] : invalidEach(`${p}.name`, e.name, envVarName(e.name));
    if (e.valueFrom) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter(k => e.valueFrom[k]);
      if (e.value) errs.push(field.invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0) errs.push(field.invalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources.length > 1) errs.push(field.invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        if (e.valueFrom[ref]) errs.push(...required(e.valueFrom[ref].key, `${p}.valueFrom.${ref}.key`));
      }
      if (e.valueFrom.fieldRef) errs.push(...required(e.valueFrom.fieldRef.fieldPath, `${p}.valueFrom.fieldRef.fieldPath`));
    }
    return errs;
  });
}

function validateVolumeMounts(mounts: unknown, volumeNames: Set<string>, path: string): Errors {
  const errs = eachItem(mounts, path, (m, p) => [
    ...(m.name ? (volumeNames.has(m.name) ? [] : [field.notFound(`${p}.name`, m.name)]) : [field.required(`${p}.name`, '')]),
    ...required(m.mountPath, `${p}.mountPath`),
    ...oneOf(m.mountPropagation, ['Bidirectional', 'HostToContainer', 'None'], `${p}.mountPropagation`),
  ]);
  const paths = new Set<string>();
  items(mounts).forEach((m, i) => {
    if (!m?.mountPath) return;
    if (paths.has(m.mountPath)) errs.push(field.invalid(`${path}[${i}].mountPath`, m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
  });
  return errs;
}

type ContainerKind = 'container' | 'init' | 'ephemeral';

function validateContainer(c: Obj, path: string, kind: ContainerKind, volumeNames: Set<string>): Errors {
  const sidecar = kind === 'init' && c.restartPolicy === 'Always';
  const errs: Errors = [
    ...requiredName(c.name, `${path}.name`, dns1123Label),
    ...required(c.image, `${path}.image`),
    ...oneOf(c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'], `${path}.imagePullPolicy`),
    ...oneOf(c.terminationMessagePolicy, ['FallbackToLogsOnError', 'File'], `${path}.terminationMessagePolicy`),
    ...validateContainerPorts(c.ports, `${path}.ports`),
    ...validateEnv(c.env, `${path}.env`),
    ...validateVolumeMounts(c.volumeMounts, volumeNames, `${path}.volumeMounts`),
    ...validateResources(c.resources, `${path}.resources`),
  ];
  if (kind === 'init') errs.push(...oneOf(c.restartPolicy, ['Always'], `${path}.restartPolicy`));
  else if (kind === 'container' && c.restartPolicy !== undefined) errs.push(field.forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  const probes: [string, boolean][] = [['livenessProbe', true], ['readinessProbe', false], ['startupProbe', true]];
  for (const [probe, mustSucceedOnce] of probes) {
    if (c[probe] === undefined || c[probe] === null) continue;
    if (kind === 'ephemeral') errs.push(field.forbidden(`${path}.${probe}`, 'cannot be set for an Ephemeral Container'));
    else if (kind === 'init' && !sidecar) errs.push(field.forbidden(`${path}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
    else errs.push(...validateProbe(c[probe], `${path}.${probe}`, mustSucceedOnce));
  }
  for (const hook of ['postStart', 'preStop']) {
    if (c.lifecycle?.[hook]) errs.push(...validateHandler(c.lifecycle[hook], LIFECYCLE_HANDLERS, `${path}.lifecycle.${hook}`));
  }
  return errs;
}

// ---- volumes ----

const DEFAULT_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const modeOk = (m: unknown) => m === undefined || m === null || (Number.isInteger(m) && (m as number) >= 0 && (m as number) <= 0o777);

/** What each volume source must name. */
const VOLUME_REQUIRED_FIELDS: Record<string, string[]> = {
  secret: ['secretName'], configMap: ['name'], persistentVolumeClaim: ['claimName'], hostPath: ['path'],
  nfs: ['server', 'path'], csi: ['driver'], image: ['reference'],
};

function validateVolumes(volumes: unknown, path: string): Errors {
  const errs = eachItem(volumes, path, (v, p) => {
    const sources = Object.keys(v).filter(k => k !== 'name' && v[k] !== undefined && v[k] !== null);
    const out = requiredName(v.name, `${p}.name`, dns1123Label);
    if (sources.length === 0) out.push(field.required(p, 'must specify a volume type'));
    out.push(...sources.slice(1).map(s => field.forbidden(`${p}.${s}`, 'may not specify more than 1 volume type')));
    const [source] = sources;
    if (!source) return out;
    for (const f of VOLUME_REQUIRED_FIELDS[source] ?? []) out.push(...required(v[source][f], `${p}.${source}.${f}`));
    if (!modeOk(v[source].defaultMode)) out.push(field.invalid(`${p}.${source}.defaultMode`, v[source].defaultMode, DEFAULT_MODE_ERROR));
    return out;
  });
  return [...errs, ...duplicates(volumes, path, v => v.name, '.name')];
}

// ---- pod specs and templates ----

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateTolerations(tolerations: unknown, path: string): Errors {
  return eachItem(tolerations, path, (t, p) => {
    const errs = optionalName(t.key, `${p}.key`, qualifiedName);
    if (!t.key && t.operator !== 'Exists') errs.push(field.invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(field.invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (t.operator === 'Exists') {
      if (t.value) errs.push(field.invalid(`${p}.operator`, shown(t), "value must be empty when `operator` is 'Exists'"));
    } else if (t.operator === undefined || t.operator === '' || t.operator === 'Equal') {
      const msgs = labelValue(String(t.value ?? ''));
      if (msgs.length) errs.push(field.invalid(`${p}.operator`, t.value, msgs.join(';')));
    } else {
      errs.push(field.notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    errs.push(...oneOf(t.effect || undefined, TAINT_EFFECTS, `${p}.effect`));
    return errs;
  });
}

/** ValidatePodSpec: containers, volumes and the pod-level fields users set. */
export function validatePodSpec(spec: Obj | undefined, path: string): Errors {
  if (!spec) return [field.required(path, '')];
  const volumeNames = new Set(items(spec.volumes).map(v => v?.name).filter(Boolean));
  const errs: Errors = [...validateVolumes(spec.volumes, `${path}.volumes`)];

  if (items(spec.containers).length === 0) errs.push(field.required(`${path}.containers`, ''));
  errs.push(...eachItem(spec.containers, `${path}.containers`, (c, p) => validateContainer(c, p, 'container', volumeNames)));
  errs.push(...duplicates(spec.containers, `${path}.containers`, c => c.name, '.name'));
  // Init container names share the namespace of the regular ones.
  const regular = new Set(items(spec.containers).map(c => c?.name));
  errs.push(...eachItem(spec.initContainers, `${path}.initContainers`, (c, p) => [
    ...validateContainer(c, p, 'init', volumeNames),
    ...(c.name && regular.has(c.name) ? [field.duplicate(`${p}.name`, c.name)] : []),
  ]));
  errs.push(...duplicates(spec.initContainers, `${path}.initContainers`, c => c.name, '.name'));
  errs.push(...eachItem(spec.ephemeralContainers, `${path}.ephemeralContainers`, (c, p) => validateContainer(c, p, 'ephemeral', volumeNames)));

  errs.push(...requiredOneOf(spec.restartPolicy, RESTART_POLICIES, `${path}.restartPolicy`));
  errs.push(...requiredOneOf(spec.dnsPolicy, DNS_POLICIES, `${path}.dnsPolicy`));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) {
    errs.push(field.required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null
    && !(spec.activeDeadlineSeconds >= 1 && spec.activeDeadlineSeconds <= 2147483647)) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, inclusiveRange(1, 2147483647)));
  }
  errs.push(...nonNegative(spec.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...optionalName(spec.serviceAccountName, `${path}.serviceAccountName`, dns1123Subdomain));
  errs.push(...optionalName(spec.nodeName, `${path}.nodeName`, dns1123Subdomain));
  errs.push(...optionalName(spec.hostname, `${path}.hostname`, dns1123Label));
  errs.push(...optionalName(spec.subdomain, `${path}.subdomain`, dns1123Label));
  errs.push(...optionalName(spec.priorityClassName, `${path}.priorityClassName`, dns1123Subdomain));
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errs.push(...validateResources(spec.resources, `${path}.resources`));
  return errs;
}

/** ValidatePodTemplateSpec: template labels and the pod spec inside. */
export function validatePodTemplate(template: Obj | undefined, path: string): Errors {
  if (!template) return [field.required(path, '')];
  const errs = [
    ...validateLabels(template.metadata?.labels, `${path}.metadata.labels`),
    ...validatePodSpec(template.spec, `${path}.spec`),
  ];
  if (items(template.spec?.ephemeralContainers).length > 0) {
    errs.push(field.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

/**
 * The template of a controller that keeps pods running (ReplicaSet, Deployment, StatefulSet,
 * DaemonSet, ReplicationController): labels match the selector, restartPolicy Always, no deadline.
 */
export function validateControllerTemplate(template: Obj | undefined, matches: boolean, path: string, owner: string): Errors {
  if (!template) return [field.required(path, '')];
  const errs: Errors = [];
  if (!matches) errs.push(field.invalid(`${path}.metadata.labels`, shown(template.metadata?.labels), '`selector` does not match template `labels`'));
  errs.push(...validatePodTemplate(template, path));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'Always') errs.push(field.notSupported(`${path}.spec.restartPolicy`, restartPolicy ?? '', ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null) {
    errs.push(field.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  return errs;
}

/** IntOrString "maxUnavailable"-style fields: a non-negative int or a percentage. */
export function validateIntOrPercent(v: unknown, path: string): Errors {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v) ? [] : [field.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  return nonNegative(v, path);
}

/** The value of an IntOrString for comparisons: 25 for "25%" and for 25. */
export const intOrPercentValue = (v: unknown): number => (typeof v === 'string' ? parseInt(v, 10) : typeof v === 'number' ? v : 0);

export const notMoreThan100Percent = (v: unknown, path: string): Errors =>
  (typeof v === 'string' && v.endsWith('%') && intOrPercentValue(v) > 100 ? [field.invalid(path, v, 'must not be greater than 100%')] : []);

// ---- metadata-level helpers strategies need ----

/** Immutable `data`/`binaryData`/`immutable` of ConfigMaps and Secrets once `immutable: true`. */
export function validateImmutableData(obj: Obj, old: Obj, keys: string[]): Errors {
  if (old.immutable !== true) return [];
  const errs: Errors = [];
  if (obj.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const k of keys) if (!deepEqual(obj[k], old[k])) errs.push(field.forbidden(k, 'field is immutable when `immutable` is set'));
  return errs;
}
