// Table columns of flowcontrol.apiserver.k8s.io, as kube-apiserver's printers define them.
import type { FlowSchema, PriorityLevelConfiguration } from 'kubernetes-types/flowcontrol/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn } from './columns.ts';

const DOC = {
  priorityLevel: '`name` is the name of the priority level configuration being referenced Required.',
  matchingPrecedence: '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.',
  distinguisherMethod: '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.',
  type: '`type` indicates whether this priority level is subject to limitation on request execution.  A value of `"Exempt"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `"Limited"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server\'s limited capacity is made available exclusively to this priority level. Required.',
  nominalConcurrencyShares: '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats available at this priority level. This is used both for requests dispatched from this priority level as well as requests dispatched from other priority levels borrowing seats from this level. The server\'s concurrency limit (ServerCL) is divided among the Limited priority levels in proportion to their NCS values:\n\nNominalCL(i)  = ceil( ServerCL * NCS(i) / sum_ncs ) sum_ncs = sum[priority level k] NCS(k)\n\nBigger numbers mean a larger nominal concurrency limit, at the expense of every other priority level.\n\nIf not specified, this field defaults to a value of 30.\n\nSetting this field to zero supports the construction of a "jail" for this priority level that is used to hold some request(s)',
  queues: '`queues` is the number of queues for this priority level. The queues exist independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This field has a default value of 64.',
  handSize: '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.  When enqueuing a request at this priority level the request\'s flow identifier (a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand of the size specified here.  The request is put into one of the shortest queues in that hand. `handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy flows do not saturate most of the queues).  See the user-facing documentation for more extensive guidance on setting this field.  This field has a default value of 8.',
  queueLengthLimit: '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  This value must be positive.  If not specified, it will be defaulted to 50.',
};

const flowSchemas: Column[] = [
  nameColumn,
  col<FlowSchema>('PriorityLevel', 'string', DOC.priorityLevel, (fs) => fs.spec?.priorityLevelConfiguration?.name ?? ''),
  col<FlowSchema>('MatchingPrecedence', 'string', DOC.matchingPrecedence, (fs) => fs.spec?.matchingPrecedence ?? 0),
  col<FlowSchema>('DistinguisherMethod', 'string', DOC.distinguisherMethod, (fs) => fs.spec?.distinguisherMethod?.type ?? '<none>'),
  ageColumn,
  // The Dangling condition's status ("?" until the controller has judged the reference).
  col<FlowSchema>('MissingPL', 'string', 'references a broken or non-existent PriorityLevelConfiguration', (fs) =>
    fs.status?.conditions?.find((c) => c.type === 'Dangling')?.status ?? '?',
  ),
];

// Only Limited levels have shares and queues; Exempt ones show <none>.
const limited = (plc: PriorityLevelConfiguration) => plc.spec?.limited;
const queuing = (plc: PriorityLevelConfiguration) => limited(plc)?.limitResponse?.queuing;

const priorityLevelConfigurations: Column[] = [
  nameColumn,
  col<PriorityLevelConfiguration>('Type', 'string', DOC.type, (plc) => plc.spec?.type ?? ''),
  col<PriorityLevelConfiguration>('NominalConcurrencyShares', 'string', DOC.nominalConcurrencyShares, (plc) =>
    limited(plc) ? (limited(plc)!.nominalConcurrencyShares ?? 30) : '<none>',
  ),
  col<PriorityLevelConfiguration>('Queues', 'string', DOC.queues, (plc) => (queuing(plc) ? (queuing(plc)!.queues ?? 64) : '<none>')),
  col<PriorityLevelConfiguration>('HandSize', 'string', DOC.handSize, (plc) => (queuing(plc) ? (queuing(plc)!.handSize ?? 8) : '<none>')),
  col<PriorityLevelConfiguration>('QueueLengthLimit', 'string', DOC.queueLengthLimit, (plc) => (queuing(plc) ? (queuing(plc)!.queueLengthLimit ?? 50) : '<none>')),
  ageColumn,
];

export const flowcontrolColumns: Record<string, Column[]> = {
  'flowschemas.flowcontrol.apiserver.k8s.io': flowSchemas,
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io': priorityLevelConfigurations,
};
