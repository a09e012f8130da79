// Table columns of the apps group, as kube-apiserver's printers define them.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Column } from '../registry/types.ts';
import { ageColumn, col, nameColumn, templateColumns, wide } from './columns.ts';
import { formatLabelSelector, formatLabels, selectorString } from './format.ts';

const DOC = {
  updatedReplicas: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  availableReplicas: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
  deploymentSelector: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
  rsReplicas: 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsStatusReplicas: 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  rsReadyReplicas: 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.',
  rsSelector: "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  desiredNumberScheduled: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
  currentNumberScheduled: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
  numberReady: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
  updatedNumberScheduled: 'The total number of nodes that are running updated daemon pod',
  numberAvailable: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
  nodeSelector: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
  dsSelector: "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  revision: 'Revision indicates the revision of the state represented by Data.',
};

const READY_DOC = 'Number of the pod with ready state';

// spec.replicas is defaulted to 1 in apps/v1; absent only on objects that skipped defaulting.
const desired = (o: { spec?: { replicas?: number } }) => o.spec?.replicas ?? 1;

const deployments: Column[] = [
  nameColumn,
  col<Deployment>('Ready', 'string', READY_DOC, (d) => `${d.status?.readyReplicas ?? 0}/${desired(d)}`),
  col<Deployment>('Up-to-date', 'string', DOC.updatedReplicas, (d) => d.status?.updatedReplicas ?? 0),
  col<Deployment>('Available', 'string', DOC.availableReplicas, (d) => d.status?.availableReplicas ?? 0),
  ageColumn,
  ...templateColumns<Deployment>((d) => d.spec?.template?.spec?.containers).map(wide),
  wide(col<Deployment>('Selector', 'string', DOC.deploymentSelector, (d) => {
    try {
      return selectorString(d.spec?.selector);
    } catch {
      return '<invalid>';
    }
  })),
];

const replicaSets: Column[] = [
  nameColumn,
  col<ReplicaSet>('Desired', 'integer', DOC.rsReplicas, desired),
  col<ReplicaSet>('Current', 'integer', DOC.rsStatusReplicas, (rs) => rs.status?.replicas ?? 0),
  col<ReplicaSet>('Ready', 'integer', DOC.rsReadyReplicas, (rs) => rs.status?.readyReplicas ?? 0),
  ageColumn,
  ...templateColumns<ReplicaSet>((rs) => rs.spec?.template?.spec?.containers).map(wide),
  wide(col<ReplicaSet>('Selector', 'string', DOC.rsSelector, (rs) => formatLabelSelector(rs.spec?.selector))),
];

const statefulSets: Column[] = [
  nameColumn,
  col<StatefulSet>('Ready', 'string', READY_DOC, (s) => `${s.status?.readyReplicas ?? 0}/${desired(s)}`),
  ageColumn,
  ...templateColumns<StatefulSet>((s) => s.spec?.template?.spec?.containers).map(wide),
];

const daemonSets: Column[] = [
  nameColumn,
  col<DaemonSet>('Desired', 'integer', DOC.desiredNumberScheduled, (ds) => ds.status?.desiredNumberScheduled ?? 0),
  col<DaemonSet>('Current', 'integer', DOC.currentNumberScheduled, (ds) => ds.status?.currentNumberScheduled ?? 0),
  col<DaemonSet>('Ready', 'integer', DOC.numberReady, (ds) => ds.status?.numberReady ?? 0),
  col<DaemonSet>('Up-to-date', 'integer', DOC.updatedNumberScheduled, (ds) => ds.status?.updatedNumberScheduled ?? 0),
  col<DaemonSet>('Available', 'integer', DOC.numberAvailable, (ds) => ds.status?.numberAvailable ?? 0),
  col<DaemonSet>('Node Selector', 'string', DOC.nodeSelector, (ds) => formatLabels(ds.spec?.template?.spec?.nodeSelector)),
  ageColumn,
  ...templateColumns<DaemonSet>((ds) => ds.spec?.template?.spec?.containers).map(wide),
  wide(col<DaemonSet>('Selector', 'string', DOC.dsSelector, (ds) => formatLabelSelector(ds.spec?.selector))),
];

/** The controlling owner as `kind.group/name` in lower case (`statefulset.apps/web`), or `<none>`. */
function controllerOf(cr: ControllerRevision): string {
  const owner = cr.metadata?.ownerReferences?.find((ref) => ref.controller);
  if (!owner) return '<none>';
  const apiVersion = owner.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const groupKind = group ? `${owner.kind}.${group}` : owner.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${owner.name}` : owner.name;
}

const controllerRevisions: Column[] = [
  nameColumn,
  col<ControllerRevision>('Controller', 'string', 'Controller of the object', controllerOf),
  col<ControllerRevision>('Revision', 'string', DOC.revision, (cr) => cr.revision ?? 0),
  ageColumn,
];

export const appsColumns: Record<string, Column[]> = {
  'deployments.apps': deployments,
  'replicasets.apps': replicaSets,
  'statefulsets.apps': statefulSets,
  'daemonsets.apps': daemonSets,
  'controllerrevisions.apps': controllerRevisions,
};
