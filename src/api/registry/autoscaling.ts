// The autoscaling group: HorizontalPodAutoscalers, stored as v2 and also served as v1. v1 cannot
// express most of v2, so (as Kubernetes does) the rest travels in annotations of the v1 object.
import { field } from '../errors.ts';
import { apiVersion } from './define.ts';
import { child, clone, entries, items, setDefault, type Obj } from './objects.ts';
import { parseQuantity } from './quantity.ts';
import type { KubeObject, ResourceDef, Strategy, VersionConversion } from './types.ts';
import { oneOf, requiredName, validateLabelSelector, type Errors } from './validation.ts';

export const HPA_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
};

const DEFAULT_CPU_UTILIZATION = 80;

// ---- v2 defaults ----

const SCALE_UP_DEFAULT = {
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
/** The scale-down window is left unset: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies. */
const SCALE_DOWN_DEFAULT = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** Fills the unset parts of a scaling rule from the default one. */
function scalingRules(given: Obj | undefined, defaults: Obj): Obj {
  const rules = clone(defaults);
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) {
    if (given?.[key] !== undefined && given?.[key] !== null) rules[key] = given[key];
  }
  return rules;
}

const cpuUtilization = (percent: number) =>
  ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } });

function defaultHPA(hpa: Obj): void {
  const spec = child(hpa, 'spec');
  setDefault(spec, 'minReplicas', 1);
  if (items(spec.metrics).length === 0) spec.metrics = [cpuUtilization(DEFAULT_CPU_UTILIZATION)];
  if (spec.behavior) {
    spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, SCALE_UP_DEFAULT);
    spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, SCALE_DOWN_DEFAULT);
  }
}

// ---- v2 validation ----

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
/** The v2 field holding each metric type's source (and status). */
const SOURCE_FIELD: Record<string, string> = {
  Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external',
};

function validateTarget(target: Obj | undefined, path: string): Errors {
  const t = target ?? {};
  const errs: Errors = [];
  if (!t.type) errs.push(field.required(`${path}.type`, 'must specify a metric target type'));
  else if (!['Utilization', 'Value', 'AverageValue'].includes(t.type)) errs.push(field.invalid(`${path}.type`, t.type, 'must be either Utilization, Value, or AverageValue'));
  for (const key of ['value', 'averageValue']) {
    if (t[key] === undefined || t[key] === null) continue;
    const q = parseQuantity(t[key]);
    if (!q || q.nano <= 0n) errs.push(field.invalid(`${path}.${key}`, t[key], 'must be positive'));
  }
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1) errs.push(field.invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetric(metric: Obj, path: string): Errors {
  if (!metric.type) return [field.required(`${path}.type`, 'must specify a metric source type')];
  if (!METRIC_TYPES.includes(metric.type)) return [field.notSupported(`${path}.type`, metric.type, METRIC_TYPES)];
  const present = Object.values(SOURCE_FIELD).filter(k => metric[k]);
  const own = SOURCE_FIELD[metric.type];
  const errs: Errors = [];
  if (!metric[own]) errs.push(field.required(`${path}.${own}`, 'must populate information for the given metric source'));
  for (const other of present) if (other !== own) errs.push(field.forbidden(`${path}.${other}`, 'must populate the given metric source only'));
  const source = metric[own];
  if (!source) return errs;
  const p = `${path}.${own}`;
  if (own === 'resource' || own === 'containerResource') {
    errs.push(...(source.name ? [] : [field.required(`${p}.name`, 'must specify a resource name')]));
    if (own === 'containerResource') errs.push(...requiredName(source.container, `${p}.container`, () => []));
    errs.push(...validateTarget(source.target, `${p}.target`));
    if (source.target?.averageUtilization == null && source.target?.averageValue == null) {
      errs.push(field.required(`${p}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
    } else if (source.target?.averageUtilization != null && source.target?.averageValue != null) {
      errs.push(field.forbidden(`${p}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
    }
  } else {
    if (!source.metric?.name) errs.push(field.required(`${p}.metric.name`, 'must specify a metric name'));
    errs.push(...validateLabelSelector(source.metric?.selector, `${p}.metric.selector`));
    errs.push(...validateTarget(source.target, `${p}.target`));
    if (own === 'object') {
      if (!source.describedObject?.kind) errs.push(field.required(`${p}.describedObject.kind`, ''));
      if (!source.describedObject?.name) errs.push(field.required(`${p}.describedObject.name`, ''));
    }
  }
  return errs;
}

function validateScalingRules(rules: Obj | undefined, path: string): Errors {
  if (!rules) return [];
  const errs: Errors = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && (window < 0 || window > 3600)) {
    errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, window, window < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
  }
  errs.push(...oneOf(rules.selectPolicy, ['Disabled', 'Max', 'Min'], `${path}.selectPolicy`));
  const policies = items(rules.policies);
  if (policies.length === 0) errs.push(field.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((policy, i) => {
    const p = `${path}.policies[${i}]`;
    errs.push(...oneOf(policy?.type, ['Percent', 'Pods'], `${p}.type`));
    if (!(policy?.value > 0)) errs.push(field.invalid(`${p}.value`, policy?.value ?? 0, 'must be greater than zero'));
    if (!(policy?.periodSeconds > 0)) errs.push(field.invalid(`${p}.periodSeconds`, policy?.periodSeconds ?? 0, 'must be greater than zero'));
    else if (policy.periodSeconds > 1800) errs.push(field.invalid(`${p}.periodSeconds`, policy.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

function validateHPA(hpa: Obj): Errors {
  const spec = hpa.spec ?? {};
  const errs: Errors = [];
  if (!spec.scaleTargetRef?.kind) errs.push(field.required('spec.scaleTargetRef.kind', ''));
  if (!spec.scaleTargetRef?.name) errs.push(field.required('spec.scaleTargetRef.name', ''));
  if (typeof spec.minReplicas === 'number' && spec.minReplicas < 1) {
    errs.push(field.invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  }
  if (!(spec.maxReplicas >= 1)) errs.push(field.invalid('spec.maxReplicas', spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (typeof spec.minReplicas === 'number' && spec.maxReplicas < spec.minReplicas) {
    errs.push(field.invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  items(spec.metrics).forEach((m, i) => errs.push(...validateMetric(m ?? {}, `spec.metrics[${i}]`)));
  errs.push(...validateScalingRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'));
  errs.push(...validateScalingRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}

/** Used by both served versions: strategies see the stored (v2) form. */
const hpaStrategy: Strategy = {
  defaults: defaultHPA,
  // desiredReplicas is written by Go even when zero.
  prepareForCreate(hpa) { hpa.status = { desiredReplicas: 0 }; },
  validate: validateHPA,
};

// ---- v1 ↔ v2 ----

/** Per metric source: [v1 field, v2 path] for the spec (target) and the status (current) forms. */
const SPEC_FIELDS: Record<string, [string, string][]> = {
  object: [['target', 'describedObject'], ['metricName', 'metric.name'], ['targetValue', 'target.value'], ['selector', 'metric.selector'], ['averageValue', 'target.averageValue']],
  pods: [['metricName', 'metric.name'], ['targetAverageValue', 'target.averageValue'], ['selector', 'metric.selector']],
  resource: [['name', 'name'], ['targetAverageUtilization', 'target.averageUtilization'], ['targetAverageValue', 'target.averageValue']],
  containerResource: [['name', 'name'], ['targetAverageUtilization', 'target.averageUtilization'], ['targetAverageValue', 'target.averageValue'], ['container', 'container']],
  external: [['metricName', 'metric.name'], ['metricSelector', 'metric.selector'], ['targetValue', 'target.value'], ['targetAverageValue', 'target.averageValue']],
};
const STATUS_FIELDS: Record<string, [string, string][]> = {
  object: [['target', 'describedObject'], ['metricName', 'metric.name'], ['currentValue', 'current.value'], ['selector', 'metric.selector'], ['averageValue', 'current.averageValue']],
  pods: [['metricName', 'metric.name'], ['currentAverageValue', 'current.averageValue'], ['selector', 'metric.selector']],
  resource: [['name', 'name'], ['currentAverageUtilization', 'current.averageUtilization'], ['currentAverageValue', 'current.averageValue']],
  containerResource: [['name', 'name'], ['currentAverageUtilization', 'current.averageUtilization'], ['currentAverageValue', 'current.averageValue'], ['container', 'container']],
  external: [['metricName', 'metric.name'], ['metricSelector', 'metric.selector'], ['currentValue', 'current.value'], ['currentAverageValue', 'current.averageValue']],
};
/** v1 quantities that are not pointers: written as "0" when v2 has none. */
const V1_PLAIN_QUANTITIES = new Set(['targetValue:object', 'targetAverageValue:pods', 'currentValue:object', 'currentAverageValue:pods',
  'currentAverageValue:resource', 'currentAverageValue:containerResource', 'currentValue:external']);

/** v2 target type implied by which v1 fields are set (as Kubernetes' converters decide it). */
function v2TargetType(source: string, v1: Obj): string {
  switch (source) {
    case 'object': return v1.averageValue == null ? 'Value' : 'AverageValue';
    case 'pods': return 'AverageValue';
    case 'external': return v1.targetValue == null ? 'AverageValue' : 'Value';
    default: return v1.targetAverageUtilization == null ? 'AverageValue' : 'Utilization';
  }
}

const getPath = (o: Obj | undefined, path: string) => path.split('.').reduce<any>((v, k) => v?.[k], o);
function setPath(o: Obj, path: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const keys = path.split('.');
  const last = keys.pop()!;
  keys.reduce((v, k) => child(v, k), o)[last] = value;
}

/** Converts one MetricSpec or MetricStatus; `fields` pick the form, `toV2` the direction. */
function convertMetric(metric: Obj, fields: Record<string, [string, string][]>, toV2: boolean, isSpec: boolean): Obj {
  const out: Obj = { type: metric.type };
  for (const [source, pairs] of Object.entries(fields)) {
    const from = metric[source];
    if (!from) continue;
    const to: Obj = {};
    for (const [v1Field, v2Path] of pairs) {
      if (toV2) setPath(to, v2Path, clone(from[v1Field]));
      else {
        const value = clone(getPath(from, v2Path)) ?? (V1_PLAIN_QUANTITIES.has(`${v1Field}:${source}`) ? '0' : undefined);
        if (value !== undefined) to[v1Field] = value;
      }
    }
    if (toV2 && isSpec) child(to, 'target').type = v2TargetType(source, from);
    out[source] = to;
  }
  return out;
}

const isCpuUtilization = (m: Obj) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization != null;

/** Behavior travels as Kubernetes writes it: its internal Go type, capitalised field names and nulls included. */
function behaviorToAnnotation(behavior: Obj): string {
  const rules = (r: Obj | undefined) => (r ? {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: r.policies ? r.policies.map((p: Obj) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })) : null,
    Tolerance: r.tolerance ?? null,
  } : null);
  return JSON.stringify({ ScaleUp: rules(behavior.scaleUp), ScaleDown: rules(behavior.scaleDown) });
}

/** Go's JSON decoding matches field names case-insensitively: accept either spelling, drop nulls. */
function behaviorFromAnnotation(value: unknown): Obj | undefined {
  const camel = (v: any): any => {
    if (Array.isArray(v)) return v.map(camel);
    if (!v || typeof v !== 'object') return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k[0].toLowerCase() + k.slice(1)] = camel(x);
    return out;
  };
  const behavior = camel(value);
  return behavior && Object.keys(behavior).length ? behavior : undefined;
}

function parseAnnotation(annotations: Obj, key: string): any {
  const raw = annotations[key];
  delete annotations[key];
  if (typeof raw !== 'string') return undefined;
  try { return JSON.parse(raw); } catch { return undefined; }
}

const ROUND_TRIP_KEYS = Object.values(HPA_ANNOTATIONS);

function withAnnotations(metadata: Obj | undefined, annotations: Obj): Obj {
  const out = { ...(metadata ?? {}) };
  if (Object.keys(annotations).length) out.annotations = annotations;
  else delete out.annotations;
  return out;
}

/** autoscaling/v1 → v2 (the stored form). */
export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const annotations = { ...(v1.metadata?.annotations ?? {}) };
  const otherMetrics = parseAnnotation(annotations, HPA_ANNOTATIONS.metrics);
  const currentMetrics = parseAnnotation(annotations, HPA_ANNOTATIONS.currentMetrics);
  const conditions = parseAnnotation(annotations, HPA_ANNOTATIONS.conditions);
  const behavior = behaviorFromAnnotation(parseAnnotation(annotations, HPA_ANNOTATIONS.behavior));
  const spec = v1.spec ?? {};
  const metrics = items(otherMetrics).map(m => convertMetric(m, SPEC_FIELDS, true, true));
  if (spec.targetCPUUtilizationPercentage != null) metrics.push(cpuUtilization(spec.targetCPUUtilizationPercentage));
  // v1's implicit default, made explicit now that all metrics are known.
  if (metrics.length === 0) metrics.push(cpuUtilization(DEFAULT_CPU_UTILIZATION));
  const out: KubeObject = {
    ...v1, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler',
    metadata: withAnnotations(v1.metadata, annotations),
    spec: { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior },
  };
  if (v1.status) {
    const s = v1.status;
    const current = Array.isArray(currentMetrics) ? currentMetrics.map(m => convertMetric(m, STATUS_FIELDS, true, false))
      : s.currentCPUUtilizationPercentage != null
        ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } }]
        : undefined;
    out.status = { observedGeneration: s.observedGeneration, lastScaleTime: s.lastScaleTime, currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas, currentMetrics: current, conditions: Array.isArray(conditions) ? conditions : undefined };
  }
  return dropUndefined(out);
}

/** v2 (stored) → autoscaling/v1, with what v1 cannot hold in the round-trip annotations. */
export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const annotations: Obj = Object.fromEntries(entries(v2.metadata?.annotations).filter(([k]) => !ROUND_TRIP_KEYS.includes(k)));
  const spec = v2.spec ?? {};
  const metrics = items(spec.metrics);
  const other = metrics.filter(m => !isCpuUtilization(m)).map(m => convertMetric(m, SPEC_FIELDS, false, true));
  if (other.length) annotations[HPA_ANNOTATIONS.metrics] = JSON.stringify(other);
  const currentMetrics = items(v2.status?.currentMetrics);
  if (currentMetrics.length) annotations[HPA_ANNOTATIONS.currentMetrics] = JSON.stringify(currentMetrics.map(m => convertMetric(m, STATUS_FIELDS, false, false)));
  if (spec.behavior) annotations[HPA_ANNOTATIONS.behavior] = behaviorToAnnotation(spec.behavior);
  if (items(v2.status?.conditions).length) annotations[HPA_ANNOTATIONS.conditions] = JSON.stringify(v2.status.conditions);

  const cpu = metrics.find(isCpuUtilization);
  const out: KubeObject = {
    ...v2, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler',
    metadata: withAnnotations(v2.metadata, annotations),
    spec: { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource.target.averageUtilization },
  };
  if (v2.status) {
    const s = v2.status;
    const cpuNow = currentMetrics.filter(m => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization != null).pop();
    out.status = { observedGeneration: s.observedGeneration, lastScaleTime: s.lastScaleTime, currentReplicas: s.currentReplicas ?? 0,
      desiredReplicas: s.desiredReplicas ?? 0, currentCPUUtilizationPercentage: cpuNow?.resource.current.averageUtilization };
  }
  return dropUndefined(out);
}

function dropUndefined(o: KubeObject): KubeObject {
  for (const part of [o, o.spec, o.status]) {
    if (!part) continue;
    for (const k of Object.keys(part)) if (part[k] === undefined) delete part[k];
  }
  return o;
}

export const hpaV1Conversion: VersionConversion = { toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 };

const v2 = apiVersion('autoscaling', 'v2');
const v1 = apiVersion('autoscaling', 'v1');
const hpa = { namespaced: true, shortNames: ['hpa'], categories: ['all'], hasStatus: true, generation: true, strategy: hpaStrategy };

/** v2 first: the group's preferred version, as discovery lists it. */
export const autoscalingResources: ResourceDef[] = [
  v2('horizontalpodautoscalers', 'HorizontalPodAutoscaler', hpa),
  v1('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { ...hpa, conversion: hpaV1Conversion }),
];
