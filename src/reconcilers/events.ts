// Records core/v1 Events about objects, as components do on a real cluster (what `kubectl describe` and
// `kubectl get events` show). Like client-go's event correlator, a process remembers the events it
// recorded, so the same event again bumps its count instead of adding a new one.
import type { Api, RequestScope } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';
import { rfc3339 } from '../util/time.ts';
import { storedObjectView } from '../api/subresources.ts';
import { cloneJson } from '../util/clone.ts';

export interface EventSource { component: string; host?: string }

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** For events about a part of the object, e.g. `spec.containers{nginx}`. */
  fieldPath?: string;
}

interface Recorded { namespace: string; name: string }

const MAX_REMEMBERED = 10_000;
const recordedByApi = new WeakMap<Api, Map<string, Recorded>>();
let sequence = 0;

/** Events are named `<object>.<hex nanoseconds>`, as Kubernetes names them: names sort by time. */
function eventName(obj: KubeObject, now: number): string {
  const nanos = BigInt(Math.floor(now)) * 1_000_000n + BigInt(sequence++ % 1_000_000);
  return `${obj.metadata?.name}.${nanos.toString(16)}`;
}

export async function recordEvent(api: Api, scope: RequestScope, obj: KubeObject, source: EventSource, e: EventRecord, now: number) {
  const events = api.catalog.find('', 'v1', 'events')!;
  let recorded = recordedByApi.get(api);
  if (!recorded) recordedByApi.set(api, recorded = new Map());
  const key = [scope.cluster, obj.metadata?.uid, source.component, source.host, e.type, e.reason, e.message, e.fieldPath].join('\u0000');
  const at = rfc3339(now);
  const seen = recorded.get(key);
  if (seen) {
    try {
      await api.modify(scope, { def: events, namespace: seen.namespace, name: seen.name }, storedObjectView, { fieldManager: source.component }, current => {
        const event = cloneJson(current.object);
        event.count = (event.count ?? 1) + 1;
        event.lastTimestamp = at;
        return event;
      });
      return;
    } catch (err) {
      // Deleted (events expire) or compacted away: record it anew.
      if (!(err instanceof StatusError && err.code === 404)) throw err;
      recorded.delete(key);
    }
  }
  const namespace = obj.metadata?.namespace || 'default';
  const name = eventName(obj, now);
  await api.create(scope, { def: events, namespace }, {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name, namespace },
    involvedObject: {
      // Cluster-scoped objects (nodes) have no namespace: the field is left out, as Go's omitempty does.
      kind: obj.kind, ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata?.name,
      uid: obj.metadata?.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata?.resourceVersion,
      ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
    },
    reason: e.reason, message: e.message, type: e.type,
    source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
    firstTimestamp: at, lastTimestamp: at, count: 1,
    eventTime: null, reportingComponent: source.component, reportingInstance: source.host ?? '',
  }, { fieldManager: source.component });
  if (recorded.size >= MAX_REMEMBERED) recorded.clear();
  recorded.set(key, { namespace, name });
}
