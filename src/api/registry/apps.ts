// The apps group (v1): Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions.
import { field } from '../errors.ts';
import { defaultPodTemplate, defaultPVCSpec } from './defaults.ts';
import { apiVersion, count, REPLICAS_SCALE } from './define.ts';
import { child, clone, deepEqual, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  immutable, intOrPercentValue, isEmptySelector, nonNegative, notMoreThan100Percent, oneOf, selectorMatches, shown,
  validateControllerTemplate, validateIntOrPercent, validateLabelSelector, type Errors,
} from './validation.ts';

/**
 * The selector/template pair every apps workload has: a selector (required, non-empty), template
 * labels it selects, and a template of pods that keep running.
 */
function validateSelectorAndTemplate(spec: Obj, owner: string, opts: { requireSelector: boolean }): Errors {
  const errs: Errors = [];
  const selector = spec.selector;
  if (!selector) {
    if (opts.requireSelector) errs.push(field.required('spec.selector', ''));
  } else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) {
      // ReplicaSets report "deployment" here, as Kubernetes does.
      const noun = owner === 'ReplicaSet' ? 'deployment' : owner.toLowerCase();
      errs.push(field.invalid('spec.selector', shown(selector), `empty selector is invalid for ${noun}`));
    }
  }
  // A missing selector selects nothing; an empty one everything (no label check then).
  const matches = selector ? isEmptySelector(selector) || selectorMatches(selector, spec.template?.metadata?.labels) : false;
  errs.push(...validateControllerTemplate(spec.template, matches, 'spec.template', owner));
  return errs;
}

/** apps/v1 selectors never change after creation. */
const selectorImmutable = (obj: Obj, old: Obj): Errors => immutable(obj.spec?.selector, old.spec?.selector, 'spec.selector');

// ---- Deployment ----

const deploymentStrategy: Strategy = {
  defaults(d) {
    const spec = child(d, 'spec');
    setDefault(spec, 'replicas', 1);
    const strategy = child(spec, 'strategy');
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', '25%');
      setDefault(rollingUpdate, 'maxSurge', '25%');
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    setDefault(spec, 'progressDeadlineSeconds', 600);
    defaultPodTemplate(spec.template);
  },
  validate(d) {
    const spec = d.spec ?? {};
    const errs = [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...validateSelectorAndTemplate(spec, 'Deployment', { requireSelector: true }),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ];
    const strategy = spec.strategy ?? {};
    if (strategy.type === 'Recreate') {
      if (strategy.rollingUpdate) errs.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    } else if (strategy.type === 'RollingUpdate') {
      const ru = strategy.rollingUpdate ?? {};
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
    } else {
      errs.push(field.notSupported('spec.strategy.type', strategy.type ?? '', ['Recreate', 'RollingUpdate']));
    }
    if (typeof spec.progressDeadlineSeconds === 'number') {
      errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
      if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
        errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
      }
    }
    return errs;
  },
  validateUpdate: selectorImmutable,
};

// ---- ReplicaSet ----

const replicaSetStrategy: Strategy = {
  defaults(rs) {
    const spec = child(rs, 'spec');
    setDefault(spec, 'replicas', 1);
    defaultPodTemplate(spec.template);
  },
  // Go writes the non-omitempty status counters of a fresh object.
  prepareForCreate(rs) { rs.status = { replicas: 0 }; },
  validate(rs) {
    const spec = rs.spec ?? {};
    return [
      ...nonNegative(spec.replicas, 'spec.replicas'),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...validateSelectorAndTemplate(spec, 'ReplicaSet', { requireSelector: true }),
    ];
  },
  validateUpdate: selectorImmutable,
};

// ---- StatefulSet ----

/** What a StatefulSet update may change; everything else in spec is fixed. */
const STATEFULSET_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
const STATEFULSET_UPDATE_FORBIDDEN = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
  + "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

const statefulSetStrategy: Strategy = {
  defaults(sts) {
    const spec = child(sts, 'spec');
    setDefault(spec, 'podManagementPolicy', 'OrderedReady');
    const update = child(spec, 'updateStrategy');
    if (!update.type) {
      update.type = 'RollingUpdate';
      child(update, 'rollingUpdate');
    }
    if (update.type === 'RollingUpdate' && update.rollingUpdate) {
      setDefault(update.rollingUpdate, 'partition', 0);
      // MaxUnavailableStatefulSet is beta (on) in 1.35.
      setDefault(update.rollingUpdate, 'maxUnavailable', 1);
    }
    const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
    setDefault(retention, 'whenDeleted', 'Retain');
    setDefault(retention, 'whenScaled', 'Retain');
    setDefault(spec, 'replicas', 1);
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultPodTemplate(spec.template);
    for (const claim of items(spec.volumeClaimTemplates)) {
      if (!claim) continue;
      defaultPVCSpec(child(claim, 'spec'));
      setDefault(child(claim, 'status'), 'phase', 'Pending');
    }
  },
  prepareForCreate(sts) { sts.status = { replicas: 0, availableReplicas: 0 }; },
  validate(sts) {
    const spec = sts.spec ?? {};
    const errs: Errors = [];
    const policy = spec.podManagementPolicy;
    if (!policy) errs.push(field.required('spec.podManagementPolicy', ''));
    else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(field.invalid('spec.podManagementPolicy', policy, "must be 'OrderedReady' or 'Parallel'"));
    const update = spec.updateStrategy ?? {};
    if (!update.type) errs.push(field.required('spec.updateStrategy', ''));
    else if (update.type === 'OnDelete') {
      if (update.rollingUpdate) errs.push(field.invalid('spec.updateStrategy.rollingUpdate', shown(update.rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (update.type === 'RollingUpdate') {
      errs.push(...nonNegative(update.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
      const maxUnavailable = update.rollingUpdate?.maxUnavailable;
      errs.push(...validateIntOrPercent(maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
      if (maxUnavailable !== undefined && intOrPercentValue(maxUnavailable) === 0) {
        errs.push(field.invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', maxUnavailable, 'must be greater than 0'));
      }
    } else {
      errs.push(field.invalid('spec.updateStrategy', shown(update), "must be 'RollingUpdate' or 'OnDelete'"));
    }
    const retention = spec.persistentVolumeClaimRetentionPolicy ?? {};
    errs.push(...oneOf(retention.whenDeleted, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'));
    errs.push(...oneOf(retention.whenScaled, ['Retain', 'Delete'], 'spec.persistentVolumeClaimRetentionPolicy.whenScaled'));
    errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
    errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
    errs.push(...nonNegative(spec.ordinals?.start, 'spec.ordinals.start'));
    errs.push(...validateSelectorAndTemplate(spec, 'StatefulSet', { requireSelector: true }));
    return errs;
  },
  validateUpdate(sts, old) {
    const now = clone(sts.spec ?? {}), before = old.spec ?? {};
    for (const k of STATEFULSET_MUTABLE) now[k] = before[k];
    return deepEqual(now, before) ? [] : [field.forbidden('spec', STATEFULSET_UPDATE_FORBIDDEN)];
  },
};

// ---- DaemonSet ----

const daemonSetStrategy: Strategy = {
  defaults(ds) {
    const spec = child(ds, 'spec');
    const update = child(spec, 'updateStrategy');
    setDefault(update, 'type', 'RollingUpdate');
    if (update.type === 'RollingUpdate') {
      const rollingUpdate = child(update, 'rollingUpdate');
      setDefault(rollingUpdate, 'maxUnavailable', 1);
      setDefault(rollingUpdate, 'maxSurge', 0);
    }
    setDefault(spec, 'revisionHistoryLimit', 10);
    defaultPodTemplate(spec.template);
  },
  prepareForCreate(ds) {
    ds.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  },
  validate(ds) {
    const spec = ds.spec ?? {};
    const errs = [
      ...validateSelectorAndTemplate(spec, 'DaemonSet', { requireSelector: false }),
      ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
      ...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
    ];
    const update = spec.updateStrategy ?? {};
    if (update.type === 'RollingUpdate') {
      const ru = update.rollingUpdate;
      if (!ru) errs.push(field.required('spec.updateStrategy.rollingUpdate', ''));
      else {
        errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
        errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge'));
        if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
          errs.push(field.invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
        }
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
      }
    } else if (update.type !== 'OnDelete') {
      errs.push(field.notSupported('spec.updateStrategy', shown(update), ['RollingUpdate', 'OnDelete']));
    }
    return errs;
  },
  validateUpdate: selectorImmutable,
};

// ---- ControllerRevision ----

const controllerRevisionStrategy: Strategy = {
  validate: cr => nonNegative(cr.revision, 'revision'),
  validateUpdate: (cr, old) => immutable(cr.data, old.data, 'data'),
};

const apps = apiVersion('apps', 'v1');
const workload = { namespaced: true, categories: ['all'], hasStatus: true, generation: true };

export const appsResources: ResourceDef[] = [
  apps('deployments', 'Deployment', { ...workload, shortNames: ['deploy'], scale: REPLICAS_SCALE, strategy: deploymentStrategy }),
  apps('replicasets', 'ReplicaSet', {
    ...workload, shortNames: ['rs'], scale: REPLICAS_SCALE,
    fieldSelectors: { 'status.replicas': rs => count(rs.status?.replicas) },
    strategy: replicaSetStrategy,
  }),
  apps('statefulsets', 'StatefulSet', { ...workload, shortNames: ['sts'], scale: REPLICAS_SCALE, strategy: statefulSetStrategy }),
  apps('daemonsets', 'DaemonSet', { ...workload, shortNames: ['ds'], strategy: daemonSetStrategy }),
  apps('controllerrevisions', 'ControllerRevision', { namespaced: true, strategy: controllerRevisionStrategy }),
];
