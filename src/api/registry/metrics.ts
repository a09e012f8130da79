// The metrics.k8s.io group (v1beta1), as metrics-server serves it: PodMetrics and NodeMetrics, read-only
// and computed on every request (src/api/metrics.ts), never stored. There is no OpenAPI definition for
// them in the generated type table, so OpenAPI describes them as plain objects.
import { apiVersion, READ_ONLY } from './define.ts';
import type { Column, KubeObject, ResourceDef } from './types.ts';
import { nameColumn } from '../tables/columns.ts';
import { addQuantities, formatQuantity, parseQuantity, type Quantity } from './quantity.ts';

/** One usage quantity of the object (a pod's is the sum over its containers), canonical. */
function usageOf(obj: KubeObject, resource: string): string {
  const usages: Record<string, unknown>[] = obj.usage ? [obj.usage] : (obj.containers ?? []).map((c: KubeObject) => c.usage ?? {});
  let total: Quantity | undefined;
  for (const u of usages) {
    const q = parseQuantity(u[resource]);
    if (q) total = total ? addQuantities(total, q) : q;
  }
  return total ? formatQuantity(total) : '0';
}

/** metrics-server's table: the name, each usage, the window. */
const metricsColumns: Column[] = [
  nameColumn,
  { name: 'cpu', type: 'string', format: 'quantity', priority: 0, description: '', cell: o => usageOf(o, 'cpu') },
  { name: 'memory', type: 'string', format: 'quantity', priority: 0, description: '', cell: o => usageOf(o, 'memory') },
  { name: 'Window', type: 'string', format: 'duration', priority: 0, description: '', cell: o => o.window ?? '' },
];

const metrics = apiVersion('metrics.k8s.io', 'v1beta1');

export const metricsResources: ResourceDef[] = [
  metrics('nodes', 'NodeMetrics', {
    namespaced: false, verbs: READ_ONLY, columns: metricsColumns,
    definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics',
  }),
  metrics('pods', 'PodMetrics', {
    namespaced: true, verbs: READ_ONLY, columns: metricsColumns,
    definition: 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics',
  }),
];
