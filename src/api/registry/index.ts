// Every built-in resource the server serves, one entry per group/version/resource.
// Order matters: within a group the first version listed is the preferred one.
import { admissionRegistrationResources } from './admissionregistration.ts';
import { apiextensionsResources } from './apiextensions.ts';
import { appsResources } from './apps.ts';
import { authenticationResources } from './authentication.ts';
import { authorizationResources } from './authorization.ts';
import { autoscalingResources } from './autoscaling.ts';
import { batchResources } from './batch.ts';
import { certificatesResources } from './certificates.ts';
import { coordinationResources } from './coordination.ts';
import { coreResources } from './core.ts';
import { discoveryResources } from './discovery.ts';
import { eventsResources } from './events.ts';
import { metricsResources } from './metrics.ts';
import { networkingResources } from './networking.ts';
import { nodeResources } from './node.ts';
import { policyResources } from './policy.ts';
import { rbacResources } from './rbac.ts';
import { schedulingResources } from './scheduling.ts';
import { skiffResources } from './skiff.ts';
import { storageResources } from './storage.ts';
import type { ResourceDef } from './types.ts';

/** Groups in the order kube-apiserver's discovery lists them (core first). */
export const resources: ResourceDef[] = [
  ...coreResources,
  ...appsResources,
  ...eventsResources,
  ...authenticationResources,
  ...authorizationResources,
  ...autoscalingResources,
  ...batchResources,
  ...certificatesResources,
  ...networkingResources,
  ...policyResources,
  ...rbacResources,
  ...storageResources,
  ...admissionRegistrationResources,
  ...apiextensionsResources,
  ...schedulingResources,
  ...coordinationResources,
  ...nodeResources,
  ...discoveryResources,
  ...metricsResources,
  ...skiffResources,
];
