// How a request sees and changes an object: the object itself, or one of its subresources.
// A view is read (GET, and the base a PATCH applies to), decoded (a PUT body or a patch result) and
// applied (the new stored object), so get/update/patch stay generic over all of them.
import type { KubeObject, ResourceDef, StrategyContext } from './registry/types.ts';
import type { Api, RequestScope, Target, WriteOptions, WriteResult } from './api.ts';
import { rfc3339 } from '../util/time.ts';
import { badRequest, conflict, field, invalid, notFound } from './errors.ts';
import { cloneJson } from '../util/clone.ts';

export interface View {
  read(served: KubeObject, def: ResourceDef): KubeObject;
  decode(api: Api, def: ResourceDef, body: KubeObject, opts: WriteOptions, warnings: string[], rawJson?: string, source?: 'body' | 'patch'): KubeObject;
  apply(old: KubeObject, input: KubeObject, def: ResourceDef, ctx: StrategyContext): KubeObject;
  /** The schema a strategic merge patch of this view follows. */
  definition(def: ResourceDef): string | undefined;
}

const objectView: View = {
  read: served => served,
  decode: (api, def, body, opts, warnings, rawJson, source) => api.decodeForWrite(def, body, opts, warnings, rawJson, source),
  apply(old, input, def, ctx) {
    const obj = input;
    def.strategy?.defaults?.(obj);
    // The status stanza belongs to the status subresource.
    if (def.hasStatus) {
      if (old.status === undefined) delete obj.status;
      else obj.status = cloneJson(old.status);
    }
    def.strategy?.prepareForUpdate?.(obj, old, ctx);
    return obj;
  },
  definition: def => def.definition,
};

/** Writes only the status; metadata and spec stay as stored. */
const statusView: View = {
  read: served => served,
  decode: objectView.decode,
  apply(old, input) {
    const obj = cloneJson(old);
    if (input.status === undefined) delete obj.status;
    else obj.status = input.status;
    return obj;
  },
  definition: def => def.definition,
};

/** `namespaces/{name}/finalize`: writes only spec.finalizers. */
const finalizeView: View = {
  read: served => served,
  decode: objectView.decode,
  apply(old, input) {
    const obj = cloneJson(old);
    obj.spec = { ...obj.spec, finalizers: input.spec?.finalizers ?? [] };
    if (!obj.spec.finalizers.length) delete obj.spec.finalizers;
    return obj;
  },
  definition: def => def.definition,
};

/** autoscaling/v1 Scale over the replicas of a workload. */
const scaleView: View = {
  read(served, def) {
    const scale = def.scale!;
    const meta = served.metadata ?? {};
    const selector = scale.labelSelectorPath ? getPath(served, scale.labelSelectorPath) : undefined;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: {
        name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion,
        creationTimestamp: meta.creationTimestamp,
      },
      spec: { replicas: getPath(served, scale.specReplicasPath) ?? 0 },
      status: {
        replicas: getPath(served, scale.statusReplicasPath) ?? 0,
        ...(selector ? { selector: selectorString(selector) } : {}),
      },
    };
  },
  decode(_api, _def, body) {
    if (body.kind !== undefined && body.kind !== 'Scale') throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (Scale)`);
    const replicas = body.spec?.replicas;
    if (replicas !== undefined && (!Number.isInteger(replicas))) {
      throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
    }
    if ((replicas ?? 0) < 0) {
      throw invalid('Scale', 'autoscaling', body.metadata?.name ?? '', [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
    }
    return cloneJson(body);
  },
  apply(old, input, def) {
    const obj = cloneJson(old);
    setPath(obj, def.scale!.specReplicasPath, input.spec?.replicas ?? 0);
    return obj;
  },
  definition: () => 'io.k8s.api.autoscaling.v1.Scale',
};

/** For controllers that change a stored object's metadata (finalizers, owner references) directly. */
export const storedObjectView: View = {
  read: served => served,
  decode: (_api, _def, body) => body,
  apply: (_old, input) => input,
  definition: () => undefined,
};

const views: Record<string, View> = { status: statusView, scale: scaleView, finalize: finalizeView };

export function viewOf(t: Target): View {
  if (!t.subresource) return objectView;
  const served = t.subresource === 'scale' ? !!t.def.scale
    : t.subresource === 'status' ? !!t.def.hasStatus
    : t.def.subresources?.some(s => s.name === t.subresource);
  const view = views[t.subresource];
  if (!served || !view) throw notFound({ group: t.def.group, resource: `${t.def.resource}/${t.subresource}` }, t.name ?? '');
  return view;
}

/** Assigns a pod to a node, once, in one write of spec.nodeName and the PodScheduled condition. */
const bindingView: View = {
  read: served => served,
  decode: (_api, _def, body) => body,
  apply(old, binding, _def, ctx) {
    const name = old.metadata?.name;
    if (old.spec?.nodeName) throw conflict({ group: '', resource: 'pods' }, name, `pod ${name} is already assigned to node "${old.spec.nodeName}"`);
    if (old.metadata?.deletionTimestamp) throw conflict({ group: '', resource: 'pods' }, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    const pod = cloneJson(old);
    pod.spec.nodeName = binding.target.name;
    if (binding.metadata?.annotations) pod.metadata = { ...pod.metadata, annotations: { ...pod.metadata?.annotations, ...binding.metadata.annotations } };
    const conditions = (pod.status?.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now.getTime()) });
    pod.status = { ...pod.status, conditions };
    return pod;
  },
  definition: () => undefined,
};

/** POST to a subresource: `pods/{name}/binding` (and the `bindings` resource, which names the pod in the body). */
export async function createOnSubresource(api: Api, scope: RequestScope, t: Target, body: KubeObject, opts: WriteOptions): Promise<WriteResult> {
  if (t.def.group === '' && t.def.resource === 'pods' && t.subresource === 'binding') return bind(api, scope, t.namespace, t.name!, body, opts);
  throw notFound({ group: t.def.group, resource: `${t.def.resource}/${t.subresource}` }, t.name ?? '');
}

export async function bind(
  api: Api, scope: RequestScope, namespace: string | undefined, podName: string, body: KubeObject, opts: WriteOptions,
  /** The pod's resourceVersion as the caller (the scheduler's cache) knows it. */
  knownRv?: number,
): Promise<WriteResult> {
  if (body.metadata?.name && body.metadata.name !== podName) throw badRequest('name in URL does not match name in Binding object');
  if (!body.target?.name) throw invalid('Binding', '', podName, [field.required('target.name')]);
  const pods = api.catalog.find('', 'v1', 'pods')!;
  await api.modify(scope, { def: pods, namespace, name: podName }, bindingView, opts, () => cloneJson(body), { knownRv });
  return { object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, created: true, warnings: [] };
}

function getPath(obj: KubeObject, path: string): any {
  return path.split('.').reduce((o: any, k) => o?.[k], obj);
}

function setPath(obj: KubeObject, path: string, value: unknown) {
  const keys = path.split('.');
  let o: any = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {});
  o[keys[keys.length - 1]] = value;
}

/** A LabelSelector as the selector string Scale.status carries. */
export function selectorString(selector: any): string {
  if (typeof selector === 'string') return selector;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${[...e.values].sort().join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${[...e.values].sort().join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  return parts.join(',');
}

