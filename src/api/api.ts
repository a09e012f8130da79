// The API layer: every verb of every resource, generically, over the store. HTTP handlers and
// reconcilers both go through it (DESIGN §1: only the API layer touches storage).
import type { KubeObject, ResourceDef } from './registry/types.ts';
import type { Clock } from '../util/clock.ts';
import type { Store, StoredObject, Key, Scope, Change } from '../db/store.ts';
import { CompactedError } from '../db/store.ts';
import { Catalog, apiVersionOf, fromStorage, groupResource, storageOf, toStorage } from './catalog.ts';
import {
  StatusError, alreadyExists, badRequest, conflict, expired, field, invalid, methodNotAllowed, notFound,
} from './errors.ts';
import type { FieldError } from './errors.ts';
import { carrySystemFields, generateName, initializeSystemFields, validateMetadata, validateMetadataUpdate } from './metadata.ts';
import { parseFieldSelector, parseLabelSelector, indexableLabel } from './selectors.ts';
import { checkFields } from './field-validation.ts';
import type { FieldValidation } from './field-validation.ts';
import { applyPatch } from './patch/index.ts';
import type { PatchType } from './encoding.ts';
import { viewOf, createOnSubresource, type View } from './subresources.ts';
import { admitCreate, admitDelete } from './admission.ts';
import { jsonEqual } from '../util/equal.ts';
import { trackUpdate, serverSideApply, checkAppliedConfiguration, fieldScopeFor, managerFromUserAgent } from './ssa/index.ts';
import { rfc3339 } from '../util/time.ts';
import { cloneJson } from '../util/clone.ts';

export interface UserInfo { username: string; uid?: string; groups: string[] }

/** Who is asking, in which cluster. */
export interface RequestScope { cluster: string; user: UserInfo }

/** What the request addresses. */
export interface Target { def: ResourceDef; namespace?: string; name?: string; subresource?: string }

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  force?: boolean;
  /** The client's User-Agent: the field manager's name when the request names none. */
  userAgent?: string;
}

/** Whose fields a write records: the named field manager, else the client's User-Agent product. */
function managerOf(opts: WriteOptions): string {
  return opts.fieldManager || managerFromUserAgent(opts.userAgent) || 'unknown';
}

/** How a write treats metadata.managedFields: record the change as an Update, or keep what apply computed. */
type FieldTracking = 'update' | 'given';

export interface ModifyExtras {
  warnings?: string[];
  fields?: FieldTracking;
  /** The resourceVersion the caller believes is current: its cached copy is used instead of a read. */
  knownRv?: number;
}

export interface WriteResult { object: KubeObject; created: boolean; warnings: string[] }

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteResult { object: KubeObject; deleted: boolean }

/** A write that happened, as the reconcilers are told of it (the object in its stored form). */
export interface WriteEvent { group: string; resource: string; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }

const CAS_RETRIES = 20;
const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export class Api {
  constructor(
    readonly store: Store,
    readonly catalog: Catalog,
    readonly clock: Clock,
    /** Called after a successful write of a cluster (reconcilers' wake-up). */
    private readonly afterWrite: (cluster: string, write: WriteEvent) => void = () => {},
  ) {}

  // ---- reads ----

  async get(scope: RequestScope, t: Target): Promise<KubeObject> {
    const current = await this.load(scope, t);
    return viewOf(t).read(fromStorage(t.def, current.object), t.def);
  }

  async list(scope: RequestScope, t: Target, opts: ListOptions = {}): Promise<KubeObject> {
    const { def } = t;
    const filter = this.selectorFilter(def, opts);
    let after, atRv: number | undefined;
    if (opts.continue) ({ after, atRv } = decodeContinue(opts.continue));
    else if (opts.resourceVersionMatch === 'Exact' && opts.resourceVersion) atRv = parseRv(opts.resourceVersion);
    let page;
    try {
      page = await this.store.list(this.scopeOf(scope, t), {
        label: filter.label, filter: filter.matches, limit: opts.limit, after, atRv,
      });
    } catch (e) {
      if (!(e instanceof CompactedError)) throw e;
      throw opts.continue
        ? expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.')
        : expired(`too old resource version: ${e.requestedRv} (${e.compactedRv})`);
    }
    const metadata: Record<string, string> = { resourceVersion: String(page.rv) };
    if (page.next) metadata.continue = encodeContinue(page.rv, page.next);
    return {
      kind: def.listKind ?? `${def.kind}List`,
      apiVersion: apiVersionOf(def),
      metadata,
      items: page.items.map(item => {
        const { apiVersion: _a, kind: _k, ...rest } = fromStorage(def, item.object);
        return rest;
      }),
    };
  }

  /**
   * The changes of a resource after `sinceRv`, read in one go (a watch without the stream, for informers):
   * at most `limit` events, the rv they bring the reader to, and whether more are waiting.
   */
  async changes(scope: RequestScope, t: Target, sinceRv: number, limit = 1000): Promise<{ events: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }[]; rv: number; more: boolean }> {
    try {
      const { changes, revision } = await this.store.changesAfter(sinceRv, this.scopeOf(scope, t), limit);
      const more = changes.length === limit;
      return {
        events: changes.map(c => ({ type: c.type, object: fromStorage(t.def, c.object) })),
        rv: more ? changes[changes.length - 1].rv : Math.max(revision, sinceRv),
        more,
      };
    } catch (e) {
      if (e instanceof CompactedError) throw expired(`too old resource version: ${e.requestedRv} (${e.compactedRv})`);
      throw e;
    }
  }

  /**
   * Every change in the cluster after `sinceRv`, in stored form (what controllers' shared caches follow):
   * at most `limit`, the rv they bring the reader to, and whether more are waiting.
   */
  async clusterChanges(scope: RequestScope, sinceRv: number, limit = 1000): Promise<{ changes: Change[]; rv: number; more: boolean }> {
    try {
      const { changes, revision } = await this.store.clusterChangesAfter(sinceRv, scope.cluster, limit);
      const more = changes.length === limit;
      return { changes, rv: more ? changes[changes.length - 1].rv : Math.max(revision, sinceRv), more };
    } catch (e) {
      if (e instanceof CompactedError) throw expired(`too old resource version: ${e.requestedRv} (${e.compactedRv})`);
      throw e;
    }
  }

  /** Label and field selectors of a list or watch, as a predicate on stored objects. */
  selectorFilter(def: ResourceDef, opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>) {
    const labels = parseLabelSelector(opts.labelSelector);
    const fields = parseFieldSelector(opts.fieldSelector, (obj, path) => fieldValue(def, obj, path), path => supportsField(def, path));
    const convert = def.conversion ? (o: KubeObject) => fromStorage(def, o) : (o: KubeObject) => o;
    const none = !labels.requirements.length && !fields.requirements.length;
    return {
      label: indexableLabel(labels),
      matches: none ? undefined : (o: KubeObject) => { const v = convert(o); return labels.matches(v) && fields.matches(v); },
      /** Only names and namespaces: they never change, so a watch needs no previous state to decide. */
      immutableOnly: !labels.requirements.length && fields.requirements.every(r => r.field === 'metadata.name' || r.field === 'metadata.namespace'),
    };
  }

  // ---- writes ----

  async create(scope: RequestScope, t: Target, body: KubeObject, opts: WriteOptions = {}, rawJson?: string, fields: FieldTracking = 'update'): Promise<WriteResult> {
    const { def } = t;
    if (t.subresource) return createOnSubresource(this, scope, t, body, opts);
    const warnings: string[] = [];
    const obj = this.decodeForWrite(def, body, opts, warnings, rawJson);
    const meta = (obj.metadata ??= {});
    this.placeInNamespace(def, t, meta);
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    const now = this.clock.now();
    def.strategy?.defaults?.(obj);
    initializeSystemFields(def, obj, now);
    if (def.hasStatus && !def.statusOnCreate) delete obj.status;
    const ctx = { now: new Date(now), cluster: scope.cluster, user: scope.user };
    def.strategy?.prepareForCreate?.(obj, ctx);
    if (fields === 'update') {
      Object.assign(obj, trackUpdate(undefined, obj, {
        manager: managerOf(opts), apiVersion: apiVersionOf(def), now: ctx.now, definition: fieldsDefinition(def), ...fieldScopeFor(),
      }));
    }
    this.validate(def, obj, [...validateMetadata(def, obj), ...(def.strategy?.validate?.(obj, ctx) ?? [])]);
    await admitCreate(this, scope, def, obj);
    if (opts.dryRun) return { object: fromStorage(def, obj), created: true, warnings };
    const rv = await this.store.write({ key: this.keyOf(scope, def, meta.namespace, meta.name), type: 'ADDED', prevRv: null, object: obj });
    if (rv === null) throw alreadyExists(groupResource(def), meta.name);
    this.afterWrite(scope.cluster, { ...storageOf(def), type: 'ADDED', object: obj });
    obj.metadata!.resourceVersion = String(rv);
    return { object: fromStorage(def, obj), created: true, warnings };
  }

  async update(scope: RequestScope, t: Target, body: KubeObject, opts: WriteOptions = {}, rawJson?: string): Promise<WriteResult> {
    const { def } = t;
    const warnings: string[] = [];
    const view = viewOf(t);
    const incoming = view.decode(this, def, body, opts, warnings, rawJson);
    const meta = (incoming.metadata ??= {});
    if (meta.name !== undefined && meta.name !== t.name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${t.name})`);
    }
    meta.name = t.name;
    if (!t.subresource) this.placeInNamespace(def, t, meta);
    const precondition = meta.resourceVersion ? parseRvOrConflict(def, t, meta.resourceVersion) : undefined;
    return this.modify(scope, t, view, opts, current => {
      if (precondition !== undefined && precondition !== current.rv) throw conflict(groupResource(def), t.name!);
      if (meta.uid && meta.uid !== current.object.metadata.uid) {
        throw conflict(groupResource(def), t.name!, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.object.metadata.uid}`);
      }
      return cloneJson(incoming);
    }, { warnings });
  }

  async patch(scope: RequestScope, t: Target, type: PatchType, patch: unknown, opts: WriteOptions = {}): Promise<WriteResult> {
    if (type === 'apply') return this.apply(scope, t, patch as KubeObject, opts);
    if (opts.force !== undefined) throw invalid('PatchOptions', 'meta.k8s.io', '', [field.forbidden('force', 'may not be specified for non-apply patch')]);
    const { def } = t;
    const warnings: string[] = [];
    const view = viewOf(t);
    return this.modify(scope, t, view, opts, current => {
      const shown = view.read(fromStorage(def, current.object), def);
      const patched = applyPatch(type, shown, patch, view.definition(def));
      const precondition = patched?.metadata?.resourceVersion;
      if (precondition !== undefined && precondition !== shown.metadata?.resourceVersion) throw conflict(groupResource(def), t.name!);
      return view.decode(this, def, patched, opts, warnings, undefined, 'patch');
    }, { warnings });
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`): the applied configuration's fields become the
   * manager's, merged into the live object, or make it when there is none. A conflict with another
   * manager's fields is a 409 unless forced.
   */
  async apply(scope: RequestScope, t: Target, applied: KubeObject, opts: WriteOptions = {}): Promise<WriteResult> {
    const { def } = t;
    if (!opts.fieldManager) throw invalid('PatchOptions', 'meta.k8s.io', '', [field.required('fieldManager', 'is required for apply patch')]);
    if (t.subresource === 'scale') throw methodNotAllowed();
    const warnings: string[] = [];
    if (applied.metadata?.name !== undefined && applied.metadata.name !== t.name) {
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${t.name})`);
    }
    if (def.namespaced && applied.metadata?.namespace && applied.metadata.namespace !== t.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const view = viewOf(t);
    const context = (force: boolean) => ({
      manager: opts.fieldManager!, apiVersion: apiVersionOf(def), kind: def.kind, now: new Date(this.clock.now()), force,
      subresource: t.subresource, definition: fieldsDefinition(def), ...fieldScopeFor(t.subresource, def.scale?.specReplicasPath),
    });
    // As in Kubernetes, the configuration is typed first: an undeclared field fails whatever fieldValidation says.
    checkAppliedConfiguration(applied, context(false));
    checkFields(def, applied, opts.fieldValidation ?? 'Ignore', warnings, undefined, 'patch');
    const precondition = applied.metadata?.resourceVersion;
    for (let attempt = 0; ; attempt++) {
      const live = await this.store.get(this.keyOf(scope, def, t.namespace, t.name!));
      if (!live) {
        if (t.subresource) throw notFound(groupResource(def), t.name!);
        if (precondition) throw conflict(groupResource(def), t.name!);
        const { object } = serverSideApply(undefined, applied, context(opts.force ?? false));
        try {
          return { ...(await this.create(scope, { def, namespace: t.namespace }, object, { ...opts, fieldValidation: 'Ignore' }, undefined, 'given')), warnings };
        } catch (e) {
          // Created by someone else in between: apply to theirs.
          if (e instanceof StatusError && e.reason === 'AlreadyExists' && attempt < CAS_RETRIES) continue;
          throw e;
        }
      }
      return this.modify(scope, t, view, opts, current => {
        if (precondition && precondition !== String(current.rv)) throw conflict(groupResource(def), t.name!);
        const shown = view.read(fromStorage(def, current.object), def);
        const { object } = serverSideApply(shown, applied, context(opts.force ?? false));
        return view.decode(this, def, object, { ...opts, fieldValidation: 'Ignore' }, warnings, undefined, 'patch');
      }, { warnings, fields: 'given' });
    }
  }

  /**
   * Read-modify-write with compare-and-swap: `next` maps the current stored object to the view's input
   * (a decoded body or a patched one). A concurrent writer makes the loop start over on the new state;
   * `next` re-checks the caller's preconditions each time.
   */
  async modify(
    scope: RequestScope, t: Target, view: View, opts: WriteOptions,
    next: (current: StoredObject) => KubeObject, extra: ModifyExtras = {},
  ): Promise<WriteResult> {
    const { def } = t;
    const warnings = extra.warnings ?? [];
    const fields = extra.fields ?? 'update';
    for (let attempt = 0; ; attempt++) {
      // A caller that knows the current version (a controller's cache) spares the read; CAS still decides.
      const known = attempt === 0 && extra.knownRv !== undefined ? this.store.cachedVersion(extra.knownRv) : undefined;
      const sameObject = known && known.object.metadata?.name === t.name
        && (known.object.metadata?.namespace ?? '') === (def.namespaced ? t.namespace ?? '' : '');
      const current: StoredObject = sameObject ? known : await this.load(scope, t);
      const input = next(current);
      const old = current.object;
      const ctx = { now: new Date(this.clock.now()), cluster: scope.cluster, subresource: t.subresource, user: scope.user };
      let obj = view.apply(old, input, def, ctx);
      carrySystemFields(def, obj, old);
      if (fields === 'given') {
        obj.metadata!.managedFields = input.metadata?.managedFields;
      } else {
        obj = trackUpdate(old, obj, {
          manager: managerOf(opts), apiVersion: apiVersionOf(def), now: ctx.now, subresource: t.subresource,
          definition: fieldsDefinition(def), ...fieldScopeFor(t.subresource, def.scale?.specReplicasPath),
        });
      }
      this.validate(def, obj, [
        ...validateMetadata(def, obj), ...validateMetadataUpdate(obj, old),
        ...(def.strategy?.validate?.(obj, ctx) ?? []), ...(def.strategy?.validateUpdate?.(obj, old, ctx) ?? []),
      ]);
      const show = (o: KubeObject) => view.read(fromStorage(def, o), def);
      const finished = deletionCanFinish(def, obj);
      if (!finished && unchanged(obj, old)) return { object: show(old), created: false, warnings };
      if (opts.dryRun) return { object: show({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(current.rv) } }), created: false, warnings };
      const key = this.keyOf(scope, def, old.metadata.namespace, old.metadata.name);
      const rv = await this.store.write({ key, type: finished ? 'DELETED' : 'MODIFIED', prevRv: current.rv, object: obj });
      if (rv === null) {
        if (attempt >= CAS_RETRIES) throw conflict(groupResource(def), t.name!);
        continue;
      }
      this.afterWrite(scope.cluster, { ...storageOf(def), type: finished ? 'DELETED' : 'MODIFIED', object: obj });
      obj.metadata!.resourceVersion = String(rv);
      return { object: show(obj), created: false, warnings };
    }
  }

  async delete(scope: RequestScope, t: Target, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const { def } = t;
    if (t.subresource) throw methodNotAllowed();
    for (let attempt = 0; ; attempt++) {
      const current = await this.load(scope, t);
      const obj: KubeObject = cloneJson(current.object);
      const meta = obj.metadata!;
      checkDeletePreconditions(def, t, current, opts);
      await admitDelete(this, scope, def, obj);
      const now = this.clock.now();
      const finalizers: string[] = [...(meta.finalizers ?? [])];
      const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : undefined);
      if (policy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
      if (policy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
      const deletion = def.strategy?.deletion;
      const grace = deletion?.gracePeriodSeconds?.(obj, opts.gracePeriodSeconds) ?? 0;
      const held = () => finalizers.length > 0 || (deletion?.pendingFinalizers?.(obj).length ?? 0) > 0;
      let pending: boolean;
      if (meta.deletionTimestamp !== undefined) {
        // Deletion has begun: a second delete may only shorten the grace period (a kubelet's final delete is 0).
        if (!(grace < (meta.deletionGracePeriodSeconds ?? 0)) && !(grace === 0 && !held())) {
          return { object: fromStorage(def, current.object), deleted: false };
        }
        meta.deletionGracePeriodSeconds = grace;
        meta.deletionTimestamp = rfc3339(now + grace * 1000);
        pending = grace > 0 || held();
      } else {
        pending = grace > 0 || held();
        if (pending) {
          meta.deletionTimestamp = rfc3339(now + grace * 1000);
          meta.deletionGracePeriodSeconds = grace;
          if (finalizers.length) meta.finalizers = finalizers;
          deletion?.begin?.(obj);
        }
      }
      if (opts.dryRun) return { object: fromStorage(def, pending ? obj : current.object), deleted: !pending };
      const rv = await this.store.write({
        key: this.keyOf(scope, def, meta.namespace, meta.name), type: pending ? 'MODIFIED' : 'DELETED', prevRv: current.rv, object: obj,
      });
      if (rv === null) {
        if (opts.preconditions?.resourceVersion || attempt >= CAS_RETRIES) throw conflict(groupResource(def), t.name!);
        continue;
      }
      this.afterWrite(scope.cluster, { ...storageOf(def), type: pending ? 'MODIFIED' : 'DELETED', object: obj });
      obj.metadata!.resourceVersion = String(rv);
      return { object: fromStorage(def, obj), deleted: !pending };
    }
  }

  async deleteCollection(scope: RequestScope, t: Target, listOpts: ListOptions, opts: DeleteOptions): Promise<KubeObject> {
    const list = await this.list(scope, t, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector });
    const deleted: KubeObject[] = [];
    for (const item of list.items as KubeObject[]) {
      try {
        const r = await this.delete(scope, { ...t, namespace: item.metadata?.namespace, name: item.metadata?.name }, opts);
        const { apiVersion: _a, kind: _k, ...rest } = r.object;
        deleted.push(rest);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return { ...list, items: deleted };
  }

  // ---- helpers ----

  /** The current stored object the target names, or 404. */
  async load(scope: RequestScope, t: Target): Promise<StoredObject> {
    if (!t.name) throw methodNotAllowed();
    const current = await this.store.get(this.keyOf(scope, t.def, t.namespace, t.name));
    if (!current) throw notFound(groupResource(t.def), t.name);
    return current;
  }

  keyOf(scope: RequestScope, def: ResourceDef, namespace: string | undefined, name: string): Key {
    const storage = storageOf(def);
    return { cluster: scope.cluster, group: storage.group, resource: storage.resource, namespace: def.namespaced ? namespace ?? '' : '', name };
  }

  scopeOf(scope: RequestScope, t: Target): Scope {
    const storage = storageOf(t.def);
    return { cluster: scope.cluster, group: storage.group, resource: storage.resource, namespace: t.def.namespaced ? t.namespace : undefined };
  }

  /** Checks the body against its kind and schema and converts it to the stored form. */
  decodeForWrite(def: ResourceDef, body: KubeObject, opts: WriteOptions, warnings: string[], rawJson?: string, source: 'body' | 'patch' = 'body'): KubeObject {
    const apiVersion = apiVersionOf(def);
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
      throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersion})`);
    }
    if (body.kind !== undefined && body.kind !== def.kind) {
      throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${def.kind})`);
    }
    const obj = cloneJson(body);
    checkFields(def, obj, opts.fieldValidation ?? 'Ignore', warnings, rawJson, source);
    const stored = toStorage(def, { ...obj, apiVersion, kind: def.kind });
    return stored;
  }

  private placeInNamespace(def: ResourceDef, t: Target, meta: Record<string, any>) {
    if (!def.namespaced) { delete meta.namespace; return; }
    if (meta.namespace && t.namespace && meta.namespace !== t.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = t.namespace ?? meta.namespace;
  }

  private validate(def: ResourceDef, obj: KubeObject, errors: FieldError[]) {
    if (errors.length) throw invalid(def.kind, def.group, obj.metadata?.name ?? '', errors);
  }
}

// ---- pieces of the verbs ----

/** The schema managed fields follow: the kind's own, unless the request's version is converted for storage. */
function fieldsDefinition(def: ResourceDef): string | undefined {
  return def.conversion ? undefined : def.definition;
}

/** A write that changes nothing is not written (no new resourceVersion), as in Kubernetes. */
function unchanged(obj: KubeObject, old: KubeObject): boolean {
  const { resourceVersion: _a, ...meta } = obj.metadata ?? {};
  const { resourceVersion: _b, ...oldMeta } = old.metadata ?? {};
  return jsonEqual({ ...obj, metadata: meta }, { ...old, metadata: oldMeta });
}

/** A deleting object whose last finalizer went away (and whose grace period is over) is removed by that very write. */
function deletionCanFinish(def: ResourceDef, obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  return meta.deletionTimestamp !== undefined && !(meta.finalizers?.length)
    && !(def.strategy?.deletion?.pendingFinalizers?.(obj).length)
    && !((meta.deletionGracePeriodSeconds ?? 0) > 0);
}

function checkDeletePreconditions(def: ResourceDef, t: Target, current: StoredObject, opts: DeleteOptions) {
  const p = opts.preconditions;
  if (!p) return;
  const meta = current.object.metadata;
  if (p.uid && p.uid !== meta.uid) {
    throw conflict(groupResource(def), t.name!, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${meta.uid}`);
  }
  if (p.resourceVersion && p.resourceVersion !== String(current.rv)) {
    throw conflict(groupResource(def), t.name!, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${current.rv}`);
  }
}

function parseRv(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${JSON.stringify(value)}`);
  return n;
}

function parseRvOrConflict(def: ResourceDef, t: Target, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value)) throw invalid(def.kind, def.group, t.name ?? '', [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: `Invalid value: ${JSON.stringify(value)}: must be specified for an update` }]);
  return n;
}

function encodeContinue(rv: number, after: { namespace: string; name: string }): string {
  return btoa(JSON.stringify({ v: 'skiff/v1', rv, ns: after.namespace, n: after.name })).replace(/=+$/, '');
}

function decodeContinue(token: string): { atRv: number; after: { namespace: string; name: string } } {
  try {
    const t = JSON.parse(atob(token));
    if (t.v !== 'skiff/v1' || !Number.isSafeInteger(t.rv) || typeof t.n !== 'string' || typeof t.ns !== 'string') throw new Error();
    return { atRv: t.rv, after: { namespace: t.ns, name: t.n } };
  } catch {
    throw badRequest('continue key is not valid: the continue token could not be decoded');
  }
}

// ---- field selectors ----

function supportsField(def: ResourceDef, path: string): boolean {
  return path === 'metadata.name' || (def.namespaced && path === 'metadata.namespace') || !!def.fieldSelectors?.[path];
}

function fieldValue(def: ResourceDef, obj: KubeObject, path: string): string | undefined {
  if (path === 'metadata.name') return obj.metadata?.name ?? '';
  if (path === 'metadata.namespace') return obj.metadata?.namespace ?? '';
  return def.fieldSelectors?.[path]?.(obj) ?? '';
}

