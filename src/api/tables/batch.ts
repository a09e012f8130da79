// Table columns of the batch group, as kube-apiserver's printers define them.
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn, templateColumns, wide } from './columns.ts';
import { boolPtr, formatLabelSelector, humanDuration, parseTime, since } from './format.ts';

const DOC = {
  succeeded: 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.',
  selector: 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  schedule: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
  timeZone: 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
  suspend: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
  active: 'A list of pointers to currently running jobs.',
  lastScheduleTime: 'Information when was the last time the job was successfully scheduled.',
};

/** Whether the job's first condition of this type is True. */
function hasCondition(job: Job, type: string): boolean {
  return job.status?.conditions?.find((c) => c.type === type)?.status === 'True';
}

/** The job's state, terminal conditions first; Running when nothing else applies. */
function jobStatus(job: Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

/** `succeeded/completions`; a job without completions needs one success, run `of parallelism` wide. */
function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions != null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** How long the job ran: until completion, or until now while it runs; empty before it starts. */
function jobDuration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

const jobs: Column[] = [
  nameColumn,
  col<Job>('Status', 'string', 'Status of the job.', jobStatus),
  col<Job>('Completions', 'string', DOC.succeeded, completions),
  col<Job>('Duration', 'string', 'Time required to complete the job.', jobDuration),
  ageColumn,
  ...templateColumns<Job>((j) => j.spec?.template?.spec?.containers).map(wide),
  wide(col<Job>('Selector', 'string', DOC.selector, (j) => formatLabelSelector(j.spec?.selector))),
];

const cronJobs: Column[] = [
  nameColumn,
  col<CronJob>('Schedule', 'string', DOC.schedule, (cj) => cj.spec?.schedule ?? ''),
  col<CronJob>('Timezone', 'string', DOC.timeZone, (cj) => cj.spec?.timeZone ?? '<none>'),
  col<CronJob>('Suspend', 'boolean', DOC.suspend, (cj) => boolPtr(cj.spec?.suspend)),
  col<CronJob>('Active', 'integer', DOC.active, (cj) => cj.status?.active?.length ?? 0),
  col<CronJob>('Last Schedule', 'string', DOC.lastScheduleTime, (cj, now) =>
    cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
  ),
  ageColumn,
  ...templateColumns<CronJob>((cj) => cj.spec?.jobTemplate?.spec?.template?.spec?.containers).map(wide),
  wide(col<CronJob>('Selector', 'string', DOC.selector, (cj) => formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector))),
];

export const batchColumns: Record<string, Column[]> = {
  'jobs.batch': jobs,
  'cronjobs.batch': cronJobs,
};
