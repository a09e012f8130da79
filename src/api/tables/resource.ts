// Table columns of resource.k8s.io (dynamic resource allocation), as kube-apiserver's printers define them.
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

// resource.k8s.io/v1 is newer than kubernetes-types: the fields the columns read.
interface ResourceClaim {
  metadata?: { deletionTimestamp?: string };
  status?: { allocation?: unknown; reservedFor?: unknown[] };
}
interface ResourceSlice { spec?: { nodeName?: string; driver?: string; pool?: { name?: string } } }

const DOC = {
  nodeName: 'NodeName identifies the node which provides the resources in this pool. A field selector can be used to list only ResourceSlice objects belonging to a certain node.\n\nThis field can be used to limit access from nodes to ResourceSlices with the same node name. It also indicates to autoscalers that adding new nodes of the same type as some old node might also make new resources available.\n\nExactly one of NodeName, NodeSelector, AllNodes, and PerDeviceNodeSelection must be set. This field is immutable.',
  driver: 'Driver identifies the DRA driver providing the capacity information. A field selector can be used to list only ResourceSlice objects with a certain driver name.\n\nMust be a DNS subdomain and should end with a DNS domain owned by the vendor of the driver. It should use only lower case characters. This field is immutable.',
  pool: 'Name is used to identify the pool. For node-local devices, this is often the node name, but this is not required.\n\nIt must not be longer than 253 characters and must consist of one or more DNS sub-domains separated by slashes. This field is required.',
};

/** Comma-separated states: deleted, then pending or allocated (and reserved when in use). */
function claimState(claim: ResourceClaim): string {
  const states: string[] = [];
  const deleted = Boolean(claim.metadata?.deletionTimestamp);
  if (deleted) states.push('deleted');
  if (!claim.status?.allocation) {
    if (!deleted) states.push('pending');
  } else {
    states.push('allocated');
    if (claim.status.reservedFor?.length) states.push('reserved');
  }
  return states.join(',');
}

const resourceSlices: Column[] = [
  nameColumn,
  col<ResourceSlice>('Node', 'string', DOC.nodeName, (s) => s.spec?.nodeName ?? ''),
  col<ResourceSlice>('Driver', 'string', DOC.driver, (s) => s.spec?.driver ?? ''),
  col<ResourceSlice>('Pool', 'string', DOC.pool, (s) => s.spec?.pool?.name ?? ''),
  ageColumn,
];

export const resourceColumns: Record<string, Column[]> = {
  'deviceclasses.resource.k8s.io': [nameColumn, ageColumn],
  'resourceclaims.resource.k8s.io': [
    nameColumn,
    col<ResourceClaim>('State', 'string', 'A summary of the current state (allocated, pending, reserved, etc.).', claimState),
    ageColumn,
  ],
  'resourceclaimtemplates.resource.k8s.io': [nameColumn, ageColumn],
  'resourceslices.resource.k8s.io': resourceSlices,
};
