// Table columns of apiregistration.k8s.io (served by kube-aggregator inside kube-apiserver).
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

// apiregistration.k8s.io/v1 is not in kubernetes-types: the fields the columns read.
interface APIService {
  spec?: { service?: { namespace?: string; name?: string } };
  status?: { conditions?: { type: string; status: string; reason?: string }[] };
}

/** The Available condition: `True`, or its status with the reason (`False (MissingEndpoints)`). */
function available(svc: APIService): string {
  const condition = svc.status?.conditions?.find((c) => c.type === 'Available');
  if (!condition) return 'Unknown';
  if (condition.status !== 'True' && condition.reason) return `${condition.status} (${condition.reason})`;
  return condition.status;
}

const apiServices: Column[] = [
  nameColumn,
  col<APIService>('Service', 'string', 'The reference to the service that hosts this API endpoint.', (svc) =>
    svc.spec?.service ? `${svc.spec.service.namespace ?? ''}/${svc.spec.service.name ?? ''}` : 'Local',
  ),
  col<APIService>('Available', 'string', 'Whether this service is available.', available),
  ageColumn,
];

export const apiregistrationColumns: Record<string, Column[]> = {
  'apiservices.apiregistration.k8s.io': apiServices,
};
