// Table columns of the autoscaling group. kube-apiserver prints HPAs from the internal (v2-like)
// object whichever version is served, so the columns read the autoscaling/v2 shape and map a v1
// object onto it first.
import type { HorizontalPodAutoscaler as HPAv1 } from 'kubernetes-types/autoscaling/v1';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Column, KubeObject } from '../registry/types.ts';
import { ageColumn, col, nameColumn, reading } from './columns.ts';
import { quantity } from './format.ts';

const DOC = {
  scaleTargetRef: 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
  metrics: 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.',
  minReplicas: 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.',
  maxReplicas: 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
  currentReplicas: 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
};

/** One metric as `current/target`: `cpu: 45%/80%`, `100m/200m (avg)`, `<unknown>` before it is measured. */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const target = (spec.type === 'External' ? spec.external : spec.object)?.target;
      const measured = spec.type === 'External' ? status?.external : status?.object;
      if (target?.averageValue != null) {
        const average = measured?.current?.averageValue;
        return `${average != null ? quantity(average) : unknown}/${quantity(target.averageValue)} (avg)`;
      }
      return `${measured ? quantity(measured.current?.value) : unknown}/${quantity(target?.value)}`;
    }
    case 'Pods': {
      const current = status?.pods ? quantity(status.pods.current?.averageValue) : unknown;
      return `${current}/${quantity(spec.pods?.target?.averageValue)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const measured = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = source?.name ?? '';
      if (source?.target?.averageValue != null) {
        const current = measured ? quantity(measured.current?.averageValue) : unknown;
        return `${name}: ${current}/${quantity(source.target.averageValue)}`;
      }
      const utilization = measured?.current?.averageUtilization;
      const current = utilization != null ? `${utilization}%` : unknown;
      const target = source?.target?.averageUtilization != null ? `${source.target.averageUtilization}%` : '<auto>';
      return `${name}: ${current}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The first two metrics (status matched by position) and how many more there are. */
function formatMetrics(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const max = 2;
  const list = specs.slice(0, max).map((spec, i) => formatMetric(spec, statuses[i]));
  const text = list.join(', ');
  return specs.length > max ? `${text} + ${specs.length - max} more...` : text;
}

/** An autoscaling/v1 object in the v2 shape: its CPU target becomes a Resource metric. */
function fromV1(obj: KubeObject): KubeObject {
  if (obj.apiVersion !== 'autoscaling/v1') return obj;
  const hpa = obj as HPAv1;
  // Stored HPAs without a target are defaulted to 80% average CPU utilization.
  const target = hpa.spec?.targetCPUUtilizationPercentage ?? 80;
  const current = hpa.status?.currentCPUUtilizationPercentage;
  const v2: HorizontalPodAutoscaler = {
    ...hpa,
    apiVersion: 'autoscaling/v2',
    spec: {
      scaleTargetRef: hpa.spec?.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: hpa.spec?.minReplicas,
      maxReplicas: hpa.spec?.maxReplicas ?? 0,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }],
    },
    status: {
      currentReplicas: hpa.status?.currentReplicas,
      desiredReplicas: hpa.status?.desiredReplicas ?? 0,
      currentMetrics: current == null ? [] : [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }],
    },
  };
  return v2 as KubeObject;
}

const horizontalPodAutoscalers: Column[] = reading([
  nameColumn,
  col<HorizontalPodAutoscaler>('Reference', 'string', DOC.scaleTargetRef, (h) => `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`),
  col<HorizontalPodAutoscaler>('Targets', 'string', DOC.metrics, formatMetrics),
  col<HorizontalPodAutoscaler>('MinPods', 'string', DOC.minReplicas, (h) => (h.spec?.minReplicas != null ? String(h.spec.minReplicas) : '<unset>')),
  col<HorizontalPodAutoscaler>('MaxPods', 'string', DOC.maxReplicas, (h) => h.spec?.maxReplicas ?? 0),
  col<HorizontalPodAutoscaler>('Replicas', 'string', DOC.currentReplicas, (h) => h.status?.currentReplicas ?? 0),
  ageColumn,
], fromV1);

export const autoscalingColumns: Record<string, Column[]> = {
  'horizontalpodautoscalers.autoscaling': horizontalPodAutoscalers,
};
