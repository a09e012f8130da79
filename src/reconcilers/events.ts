// Records core/v1 Events about objects, as components do on a real cluster (what `kubectl describe` and
// `kubectl get events` show). The same event again bumps its count instead of adding a new one.
import type { Api, RequestScope } from '../api/api.ts';
import type { KubeObject } from '../api/registry/types.ts';
import { StatusError } from '../api/errors.ts';
import { rfc3339 } from '../util/time.ts';

export interface EventSource { component: string; host?: string }

export interface EventRecord {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** For events about a part of the object, e.g. `spec.containers{nginx}`. */
  fieldPath?: string;
}

/** A stable name per (object, source, reason, message): repeats land on the same Event. */
function eventName(obj: KubeObject, source: EventSource, e: EventRecord): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (const ch of [obj.metadata?.uid, source.component, source.host, e.reason, e.message, e.fieldPath].join('\u0000')) {
    const c = ch.charCodeAt(0);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `${obj.metadata?.name}.${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}

export async function recordEvent(api: Api, scope: RequestScope, obj: KubeObject, source: EventSource, e: EventRecord, now: number) {
  const events = api.catalog.find('', 'v1', 'events')!;
  const namespace = obj.metadata?.namespace || 'default';
  const name = eventName(obj, source, e);
  const at = rfc3339(now);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const existing = await api.get(scope, { def: events, namespace, name }).catch(err => {
        if (err instanceof StatusError && err.code === 404) return undefined;
        throw err;
      });
      if (existing) {
        // The resourceVersion makes the count a compare-and-swap: two recorders never lose a count.
        await api.patch(scope, { def: events, namespace, name }, 'merge', {
          metadata: { resourceVersion: existing.metadata?.resourceVersion }, count: (existing.count ?? 1) + 1, lastTimestamp: at,
        });
      } else {
        await api.create(scope, { def: events, namespace }, {
          apiVersion: 'v1', kind: 'Event',
          metadata: { name, namespace },
          involvedObject: {
            // Cluster-scoped objects (nodes) have no namespace: the field is left out, as Go's omitempty does.
            kind: obj.kind, ...(obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}), name: obj.metadata?.name, uid: obj.metadata?.uid,
            apiVersion: obj.apiVersion, resourceVersion: obj.metadata?.resourceVersion,
            ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
          },
          reason: e.reason, message: e.message, type: e.type,
          source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
          firstTimestamp: at, lastTimestamp: at, count: 1,
          eventTime: null, reportingComponent: source.component, reportingInstance: source.host ?? '',
        });
      }
      return;
    } catch (err) {
      // Someone recorded the same event at the same moment: count again on top of theirs.
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
  }
}
