// The batch group (v1): Jobs and CronJobs.
import { field } from '../errors.ts';
import { cronScheduleError, knownTimeZone } from './cron.ts';
import { defaultPodTemplate } from './defaults.ts';
import { apiVersion, count } from './define.ts';
import { child, clone, entries, items, setDefault, type Obj } from './objects.ts';
import type { ResourceDef, Strategy } from './types.ts';
import {
  immutable, nonNegative, oneOf, selectorMatches, shown, validateLabels, validateLabelSelector, validatePodTemplate, type Errors,
} from './validation.ts';

/** Labels the API server puts on a Job's pods and selector (new names and their legacy twins). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
};

/** SetDefaults_Job's JobSpec part, which a CronJob's jobTemplate does not get. */
function defaultJob(job: Obj): void {
  const spec = child(job, 'spec');
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? 2147483647 : 6);
  copyTemplateLabels(job);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  for (const rule of items(spec.podFailurePolicy?.rules)) {
    for (const pattern of items(rule?.onPodConditions)) if (pattern) setDefault(pattern, 'status', 'True');
  }
  setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(spec.template);
}

/** A Job without labels of its own carries its pod template's labels. */
function copyTemplateLabels(job: Obj): void {
  const labels = job.spec?.template?.metadata?.labels;
  if (labels && typeof labels === 'object' && entries(job.metadata?.labels).length === 0) child(job, 'metadata').labels = clone(labels);
}

/** The selector Kubernetes generates from the Job's uid, and the pod labels that go with it. */
function generateSelector(job: Obj): void {
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  const labels = child(child(child(child(job, 'spec'), 'template'), 'metadata'), 'labels');
  for (const key of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName]) setDefault(labels, key, name);
  for (const key of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid]) setDefault(labels, key, uid);
  const matchLabels = child(child(job.spec, 'selector'), 'matchLabels');
  setDefault(matchLabels, JOB_LABELS.controllerUid, uid);
}

const isManualSelector = (job: Obj) => job.spec?.manualSelector === true;

/** A generated selector must still be the one generated (the labels the pods get, the uid in the selector). */
function validateGeneratedSelector(job: Obj): Errors {
  if (isManualSelector(job)) return [];
  const uid = job.metadata?.uid ?? '';
  const errs: Errors = uid ? [] : [field.required('metadata.uid', '')];
  const labels = job.spec?.template?.metadata?.labels ?? {};
  const expected: [string, string][] = [
    [JOB_LABELS.legacyControllerUid, uid], [JOB_LABELS.legacyJobName, job.metadata?.name ?? ''],
    [JOB_LABELS.controllerUid, uid], [JOB_LABELS.jobName, job.metadata?.name ?? ''],
  ];
  for (const [key, value] of expected) {
    const path = `spec.template.metadata.labels[${key}]`;
    if (!(key in labels)) errs.push(field.required(path, value));
    else if (labels[key] !== value) errs.push(field.invalid(path, shown(labels), `must be '${value}'`));
  }
  if (job.spec?.selector && !selectorMatches(job.spec.selector, { [JOB_LABELS.controllerUid]: uid })) {
    errs.push(field.invalid('spec.selector', shown(job.spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

/** validateJobSpec: what Jobs and CronJob job templates share. */
function validateJobSpec(spec: Obj, path: string): Errors {
  const errs = [
    ...nonNegative(spec.parallelism, `${path}.parallelism`),
    ...nonNegative(spec.completions, `${path}.completions`),
    ...nonNegative(spec.activeDeadlineSeconds, `${path}.activeDeadlineSeconds`),
    ...nonNegative(spec.backoffLimit, `${path}.backoffLimit`),
    ...nonNegative(spec.ttlSecondsAfterFinished, `${path}.ttlSecondsAfterFinished`),
    ...oneOf(spec.completionMode, ['NonIndexed', 'Indexed'], `${path}.completionMode`),
    ...validatePodTemplate(spec.template, `${path}.template`),
  ];
  if (spec.completionMode === 'Indexed' && spec.completions == null) {
    errs.push(field.required(`${path}.completions`, 'when completion mode is Indexed'));
  }
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errs.push(field.notSupported(`${path}.template.spec.restartPolicy`, restartPolicy ?? '', ['OnFailure', 'Never']));
  } else if (restartPolicy === 'OnFailure' && spec.podFailurePolicy) {
    errs.push(field.invalid(`${path}.template.spec.restartPolicy`, restartPolicy, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  if (spec.podFailurePolicy) errs.push(...oneOf(spec.podReplacementPolicy, ['Failed'], `${path}.podReplacementPolicy`));
  else errs.push(...oneOf(spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed'], `${path}.podReplacementPolicy`));
  return errs;
}

/** Fields of a running Job that never change (the template may change only while suspended and unstarted). */
const JOB_IMMUTABLE = ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy'];

const jobStrategy: Strategy = {
  defaults: defaultJob,
  prepareForCreate(job) {
    job.status = {};
    if (!isManualSelector(job)) generateSelector(job);
    // Kubernetes re-applies defaults on every read, which copies the generated labels up; store them.
    copyTemplateLabels(job);
  },
  validate(job) {
    const spec = job.spec ?? {};
    const errs = validateJobSpec(spec, 'spec');
    if (!spec.selector) errs.push(field.required('spec.selector', ''));
    else errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
    if (!spec.selector || !selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
      errs.push(field.invalid('spec.template.metadata.labels', shown(spec.template?.metadata?.labels), '`selector` does not match template `labels`'));
    }
    errs.push(...validateGeneratedSelector(job));
    return errs;
  },
  validateUpdate(job, old) {
    const spec = job.spec ?? {}, before = old.spec ?? {};
    const errs = immutable(spec.selector, before.selector, 'spec.selector');
    // Indexed Jobs may scale completions together with parallelism (elastic Indexed Jobs).
    const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism;
    if (!elastic) errs.push(...immutable(spec.completions, before.completions, 'spec.completions'));
    for (const k of JOB_IMMUTABLE) errs.push(...immutable(spec[k], before[k], `spec.${k}`));
    const mayChangeTemplate = before.suspend === true && !old.status?.startTime;
    if (!mayChangeTemplate) errs.push(...immutable(spec.template, before.template, 'spec.template'));
    return errs;
  },
};

// ---- CronJob ----

/** CronJob names leave room for the job name suffix within a DNS-1035 label (63 - 11). */
const CRONJOB_NAME_MAX = 52;

const cronJobStrategy: Strategy = {
  defaults(cj) {
    const spec = child(cj, 'spec');
    setDefault(spec, 'concurrencyPolicy', 'Allow');
    setDefault(spec, 'suspend', false);
    setDefault(spec, 'successfulJobsHistoryLimit', 3);
    setDefault(spec, 'failedJobsHistoryLimit', 1);
    defaultPodTemplate(spec.jobTemplate?.spec?.template);
  },
  prepareForCreate(cj) { cj.status = {}; },
  validate(cj) {
    const spec = cj.spec ?? {};
    const errs: Errors = [];
    const name = cj.metadata?.name ?? '';
    if (name.length > CRONJOB_NAME_MAX) errs.push(field.invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
    if (!spec.schedule) errs.push(field.required('spec.schedule', ''));
    else {
      const problem = cronScheduleError(spec.schedule);
      if (problem) errs.push(field.invalid('spec.schedule', spec.schedule, problem));
      if (String(spec.schedule).includes('TZ')) {
        errs.push(field.invalid('spec.schedule', spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
      }
    }
    if (spec.timeZone !== undefined && spec.timeZone !== null) {
      if (spec.timeZone === '') errs.push(field.invalid('spec.timeZone', spec.timeZone, 'timeZone must be nil or non-empty string'));
      else if (String(spec.timeZone).toLowerCase() === 'local') {
        errs.push(field.invalid('spec.timeZone', spec.timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
      } else if (!knownTimeZone(spec.timeZone)) {
        errs.push(field.invalid('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
      }
    }
    errs.push(...nonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
    if (!spec.concurrencyPolicy) errs.push(field.required('spec.concurrencyPolicy', ''));
    else errs.push(...oneOf(spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'], 'spec.concurrencyPolicy'));
    errs.push(...nonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
    errs.push(...nonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
    const jobSpec = spec.jobTemplate?.spec ?? {};
    errs.push(...validateLabels(spec.jobTemplate?.metadata?.labels, 'spec.jobTemplate.metadata.labels'));
    errs.push(...validateJobSpec(jobSpec, 'spec.jobTemplate.spec'));
    if (jobSpec.selector) errs.push(field.invalid('spec.jobTemplate.spec.selector', shown(jobSpec.selector), '`selector` will be auto-generated'));
    if (jobSpec.manualSelector === true) errs.push(field.notSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
    return errs;
  },
};

const batch = apiVersion('batch', 'v1');

export const batchResources: ResourceDef[] = [
  batch('jobs', 'Job', {
    namespaced: true, categories: ['all'], hasStatus: true, generation: true,
    fieldSelectors: { 'status.successful': j => count(j.status?.succeeded) },
    strategy: jobStrategy,
  }),
  batch('cronjobs', 'CronJob', {
    namespaced: true, shortNames: ['cj'], categories: ['all'], hasStatus: true, generation: true, strategy: cronJobStrategy,
  }),
];
