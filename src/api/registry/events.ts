// Events in both shapes: core/v1 (the storage form) and events.k8s.io/v1, the conversion between
// them, their validation and field selectors.
import { field } from '../errors.ts';
import { apiVersion, text } from './define.ts';
import { deepEqual, type Obj } from './objects.ts';
import type { KubeObject, ResourceDef, Strategy, VersionConversion } from './types.ts';
import { immutable, invalidEach, qualifiedName, type Errors } from './validation.ts';

/** core/v1 field ↔ events.k8s.io/v1 field; every other field has the same name in both. */
const RENAMED: [core: string, events: string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
  ['reportingComponent', 'reportingController'],
];

function rename(obj: KubeObject, pairs: [from: string, to: string][], toApiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion: toApiVersion, kind: 'Event' };
  for (const [from, to] of pairs) {
    delete out[from];
    if (obj[from] !== undefined) out[to] = obj[from];
  }
  return out;
}

export const eventsV1ToCore = (e: KubeObject) => rename(e, RENAMED.map(([core, events]) => [events, core]), 'v1');
export const coreToEventsV1 = (e: KubeObject) => rename(e, RENAMED, 'events.k8s.io/v1');

export const eventConversion: VersionConversion = { toStorage: eventsV1ToCore, fromStorage: coreToEventsV1 };

/** Either shape, seen as core/v1: field selectors may be evaluated on the stored or the served form. */
const asCore = (e: KubeObject) => (e.apiVersion === 'events.k8s.io/v1' ? eventsV1ToCore(e) : e);

// ---- validation (ValidateEventCreate / ValidateEventUpdate) ----

const LIMIT = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };
const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';

/** What every event must pass, whichever API wrote it. `reportingField` names the controller field of the request's shape. */
function legacyValidate(e: Obj, reportingField: string): Errors {
  const errs: Errors = [];
  const ns = e.metadata?.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const mismatch = () => field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!isSet(e.eventTime)) {
    // Old-style events: the event lives in its object's namespace (or default for cluster objects).
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) errs.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    if (!isSet(e.reportingComponent)) errs.push(field.required(reportingField, ''));
    errs.push(...invalidEach(reportingField, e.reportingComponent ?? '', qualifiedName(e.reportingComponent ?? '')));
    for (const [key, path] of [['reportingInstance', 'reportingInstance'], ['action', 'action'], ['reason', 'reason']] as const) {
      if (!isSet(e[key])) errs.push(field.required(path, ''));
      else if (String(e[key]).length > LIMIT[key]) errs.push(field.invalid(path, '', `can have at most ${LIMIT[key]} characters`));
    }
    if (String(e.message ?? '').length > LIMIT.message) errs.push(field.invalid('message', '', `can have at most ${LIMIT.message} characters`));
  }
  return errs;
}

function validateSeries(e: Obj): Errors {
  if (!e.series) return [];
  const errs: Errors = [];
  if (!(e.series.count >= 2)) errs.push(field.invalid('series.count', '', 'should be at least 2'));
  if (!isSet(e.series.lastObservedTime)) errs.push(field.required('series.lastObservedTime', ''));
  return errs;
}

/** events.k8s.io/v1 writes are held to the new event model (in the core shape, with events.k8s.io paths). */
function strictValidate(e: Obj): Errors {
  const errs = validateSeries(e);
  if (!isSet(e.eventTime)) errs.push(field.required('eventTime', ''));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  const unset: [string, string][] = [['firstTimestamp', 'deprecatedFirstTimestamp'], ['lastTimestamp', 'deprecatedLastTimestamp'], ['count', 'deprecatedCount']];
  for (const [key, path] of unset) if (isSet(e[key]) && e[key] !== 0) errs.push(field.invalid(path, '', 'needs to be unset'));
  if (isSet(e.source?.component) || isSet(e.source?.host)) errs.push(field.invalid('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** Fields an events.k8s.io/v1 update may not change (core/v1 names, as Kubernetes reports them). */
const IMMUTABLE = ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type',
  'eventTime', 'action', 'related', 'reportingComponent', 'reportingInstance'];
const pathOf = (key: string) => (key === 'reportingComponent' ? 'reportingController' : key);

export const coreEventStrategy: Strategy = {
  validate: e => legacyValidate(e, 'reportingComponent'),
};

/** Strategies see the stored (core/v1) form, as Kubernetes strategies see the internal one; either shape is accepted. */
export const eventsV1Strategy: Strategy = {
  validate(e) {
    const core = asCore(e);
    return [...legacyValidate(core, 'reportingController'), ...strictValidate(core)];
  },
  validateUpdate(e, old) {
    const now = asCore(e), before = asCore(old);
    const errs = deepEqual(now.series, before.series) ? [] : validateSeries(now);
    for (const key of IMMUTABLE) errs.push(...immutable(now[key], before[key], pathOf(key)));
    return errs;
  },
};

// ---- field selectors (core/v1 names; events.k8s.io/v1 maps its own names onto them) ----

const involved = (key: string) => (e: KubeObject) => text(asCore(e).involvedObject?.[key]);
const INVOLVED_KEYS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];
/** The old `source` selector falls back to the reporting controller for new-style events. */
const source = (e: KubeObject) => text(asCore(e).source?.component || asCore(e).reportingComponent);

export const coreEventFieldSelectors: ResourceDef['fieldSelectors'] = {
  ...Object.fromEntries(INVOLVED_KEYS.map(k => [`involvedObject.${k}`, involved(k)])),
  reason: e => text(asCore(e).reason),
  reportingComponent: e => text(asCore(e).reportingComponent),
  source,
  type: e => text(asCore(e).type),
};

const eventsV1FieldSelectors: ResourceDef['fieldSelectors'] = {
  ...Object.fromEntries(INVOLVED_KEYS.map(k => [`regarding.${k}`, involved(k)])),
  reason: e => text(asCore(e).reason),
  reportingController: e => text(asCore(e).reportingComponent),
  source,
  type: e => text(asCore(e).type),
};

const eventsV1 = apiVersion('events.k8s.io', 'v1');

export const eventsResources: ResourceDef[] = [
  eventsV1('events', 'Event', {
    namespaced: true, shortNames: ['ev'],
    storage: { group: '', resource: 'events' }, conversion: eventConversion,
    fieldSelectors: eventsV1FieldSelectors, strategy: eventsV1Strategy,
  }),
];
