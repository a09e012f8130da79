// Table columns of events.k8s.io: the core event table (both versions share one storage and one
// printer), reading the events.k8s.io/v1 field names.
import type { Event } from 'kubernetes-types/events/v1';
import type { Column, KubeObject } from '../registry/types.ts';
import { eventColumns, type EventView } from './core.ts';

/** The core/v1 names of an events.k8s.io/v1 event's fields (its deprecated* fields are the core ones). */
function eventsV1View(obj: KubeObject): EventView {
  const e = obj as Event;
  return {
    name: e.metadata?.name,
    type: e.type,
    reason: e.reason,
    message: e.note,
    involvedObject: e.regarding,
    source: e.deprecatedSource,
    reportingController: e.reportingController,
    reportingInstance: e.reportingInstance,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    eventTime: e.eventTime,
    count: e.deprecatedCount,
    series: e.series,
  };
}

export const eventsColumns: Record<string, Column[]> = {
  'events.events.k8s.io': eventColumns(eventsV1View),
};
