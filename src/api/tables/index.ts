// The Table columns kube-apiserver serves for the built-in kinds, keyed by qualified resource
// (`pods`, `deployments.apps`, `events.events.k8s.io`). Kinds absent here get `defaultColumns`.
import type { Column } from '../registry/types.ts';
import { admissionregistrationColumns } from './admissionregistration.ts';
import { apiextensionsColumns } from './apiextensions.ts';
import { apiregistrationColumns } from './apiregistration.ts';
import { appsColumns } from './apps.ts';
import { autoscalingColumns } from './autoscaling.ts';
import { batchColumns } from './batch.ts';
import { certificatesColumns } from './certificates.ts';
import { coordinationColumns } from './coordination.ts';
import { coreColumns } from './core.ts';
import { discoveryColumns } from './discovery.ts';
import { eventsColumns } from './events.ts';
import { flowcontrolColumns } from './flowcontrol.ts';
import { networkingColumns } from './networking.ts';
import { nodeColumns } from './node.ts';
import { policyColumns } from './policy.ts';
import { rbacColumns } from './rbac.ts';
import { resourceColumns } from './resource.ts';
import { schedulingColumns } from './scheduling.ts';
import { skiffColumns } from './skiff.ts';
import { storageColumns } from './storage.ts';

export const columnsByResource: Record<string, Column[]> = {
  ...coreColumns,
  ...appsColumns,
  ...batchColumns,
  ...autoscalingColumns,
  ...policyColumns,
  ...networkingColumns,
  ...discoveryColumns,
  ...coordinationColumns,
  ...rbacColumns,
  ...storageColumns,
  ...schedulingColumns,
  ...eventsColumns,
  ...nodeColumns,
  ...admissionregistrationColumns,
  ...apiextensionsColumns,
  ...certificatesColumns,
  ...flowcontrolColumns,
  ...resourceColumns,
  ...apiregistrationColumns,
  ...skiffColumns,
};

export { defaultColumns } from './columns.ts';
export { humanDuration } from './format.ts';
