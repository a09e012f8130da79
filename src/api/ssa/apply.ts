// Server-side apply (PATCH with application/apply-patch+yaml): merges an applied configuration into
// the live object and makes its fields the manager's Apply set, with Kubernetes' conflict rules.
import type { KubeObject } from '../registry/types.ts';
import { StatusError, badRequest } from '../errors.ts';
import { jsonEqual } from '../../util/equal.ts';
import { rfc3339 } from '../../util/time.ts';
import { compare } from './compare.ts';
import { FieldSet, InvalidValueError, displayPath, fieldSetOf } from './fieldsets.ts';
import { KUBECTL_MANAGER, fieldsFromLastApplied, syncLastApplied } from './last-applied.ts';
import {
  NEVER_TRACKED, capUpdateOwners, cloneOwners, decodeManagedFields, inScope, ownerKey, pruneOwners, recordUpdate,
  scopedComparison, withManagedFields, withoutManagedFields, type FieldScope, type Owner, type Owners,
} from './managed-fields.ts';
import { merge, nullFields, removeFields, selectFields } from './merge.ts';
import { isPlainObject, rootShape, type ObjectShape } from './shape.ts';
import { definition } from '../schema/types.ts';
import { asTyped } from './zero.ts';

export interface ApplyContext extends FieldScope {
  manager: string;
  /** The version of the request's URL; the applied configuration must have it. */
  apiVersion: string;
  /** The kind the applied configuration must have; taken from the definition when absent. */
  kind?: string;
  now: Date;
  force: boolean;
  subresource?: string;
  /** The OpenAPI definition name of the object (e.g. io.k8s.api.apps.v1.Deployment); absent for unknown kinds. */
  definition?: string;
}

export interface ApplyResult {
  /** The new object, with metadata.managedFields; still to be defaulted, prepared and validated as any write. */
  object: KubeObject;
  /** Whether it differs from the live object (managedFields included): false means nothing to write. */
  changed: boolean;
}

/** The owner of conflicting fields, and those fields as Kubernetes prints them (`.spec.replicas`). */
export interface ConflictOwner extends Pick<Owner, 'manager' | 'operation' | 'apiVersion' | 'subresource'> {
  fields: string[];
}

/** 409 Conflict with Kubernetes' message and one FieldManagerConflict cause per field. */
export class ApplyConflict extends StatusError {
  constructor(readonly conflicts: ConflictOwner[]) {
    const causes = conflicts.flatMap(c => c.fields.map(field => ({ reason: 'FieldManagerConflict', message: `conflict with ${describe(c)}`, field })));
    super(409, 'Conflict', conflictMessage(conflicts), { causes });
  }
}

function describe(o: Omit<ConflictOwner, 'fields'>): string {
  let text = JSON.stringify(o.manager);
  if (o.subresource) text += ` with subresource ${JSON.stringify(o.subresource)}`;
  return o.operation === 'Update' ? `${text} using ${o.apiVersion}` : text;
}

function conflictMessage(conflicts: ConflictOwner[]): string {
  const count = conflicts.reduce((n, c) => n + c.fields.length, 0);
  if (count === 1) return `Apply failed with 1 conflict: conflict with ${describe(conflicts[0])}: ${conflicts[0].fields[0]}`;
  const lines = conflicts.flatMap(c => [`conflicts with ${describe(c)}:`, ...c.fields.map(f => `- ${f}`)]);
  return `Apply failed with ${count} conflicts: ${lines.join('\n')}`;
}

const BEFORE_FIRST_APPLY = 'before-first-apply';

/**
 * Applies `applied` (the request body) for `ctx.manager` onto `live` (undefined: create it). Throws a
 * 400 StatusError for a malformed configuration and ApplyConflict when the configuration changes
 * fields other managers own and `force` is off.
 */
export function serverSideApply(live: KubeObject | undefined, applied: unknown, ctx: ApplyContext): ApplyResult {
  const shape = rootShape(ctx.definition);
  validate(applied, ctx);
  const config = scoped(structuredClone(applied), ctx, shape);
  const appliedFields = typedFields(config, applied, ctx, shape);
  const nulls = nullFields(config, shape);

  if (!live) {
    const owners: Owners = new Map();
    setApplier(owners, appliedFields.difference(NEVER_TRACKED), ctx, rfc3339(ctx.now.getTime()));
    const object = withManagedFields((removeFields(config, nulls, shape) ?? {}) as KubeObject, owners);
    return { object: finish(object, applied, ctx), changed: true };
  }

  const body = withoutManagedFields(structuredClone(live));
  const owners = decodeManagedFields(live.metadata?.managedFields);
  // An object no one manages yet (created without field management): its current fields belong to
  // `before-first-apply`, so an apply that changes them conflicts.
  if (!owners.size) recordUpdate(owners, {}, body, { ...ctx, manager: BEFORE_FIRST_APPLY }, shape);

  const attempt = (force: boolean) => applyOnce(body, config, appliedFields, nulls, cloneOwners(owners), force, ctx, shape);
  let result: { object: KubeObject; owners: Owners };
  try {
    result = attempt(ctx.force);
  } catch (e) {
    // kubectl moving an object from client-side apply: conflicts on what its annotation records are allowed.
    const allowed = e instanceof ApplyConflict && ctx.manager === KUBECTL_MANAGER ? fieldsFromLastApplied(asTyped(body, ctx.definition) as KubeObject, ctx.apiVersion, shape) : undefined;
    if (!allowed) throw e;
    const allowedPaths = new Set(allowed.paths().map(displayPath));
    const remaining = (e as ApplyConflict).conflicts
      .map(c => ({ ...c, fields: c.fields.filter(f => !allowedPaths.has(f)) }))
      .filter(c => c.fields.length);
    if (remaining.length) throw new ApplyConflict(remaining);
    result = attempt(true);
  }
  const object = finish(withManagedFields(result.object, result.owners), applied, ctx);
  return { object, changed: !jsonEqual(object, live) };
}

/**
 * Checks an applied configuration the way Kubernetes types it, before anything else is looked at:
 * a field its schema does not declare, a list item without its key or a duplicate item is a 400,
 * whatever fieldValidation says.
 */
export function checkAppliedConfiguration(applied: unknown, ctx: ApplyContext): void {
  const shape = rootShape(ctx.definition);
  validate(applied, ctx);
  typedFields(scoped(structuredClone(applied), ctx, shape), applied, ctx, shape);
}

/** The fields the configuration sets, within the request's scope; a 400 "failed to create typed patch object" when it cannot be typed. */
function typedFields(config: KubeObject, applied: KubeObject, ctx: ApplyContext, shape: ObjectShape): FieldSet {
  try {
    return inScope(fieldSetOf(config, shape, true), ctx);
  } catch (e) {
    if (!(e instanceof InvalidValueError)) throw e;
    const meta = applied.metadata!;
    // Kubernetes prints namespace/name, the namespace empty for cluster-scoped objects (`/pv-1`).
    throw badRequest(`failed to create typed patch object (${meta.namespace ?? ''}/${meta.name}; ${gvk(applied)}): ${e.message}`);
  }
}

function applyOnce(
  body: KubeObject, config: KubeObject, appliedFields: FieldSet, nulls: FieldSet, owners: Owners,
  force: boolean, ctx: ApplyContext, shape: ObjectShape,
): { object: KubeObject; owners: Owners } {
  const merged = merge(body, config, shape) as KubeObject;
  const key = ownerKey({ manager: ctx.manager, operation: 'Apply', apiVersion: ctx.apiVersion, subresource: ctx.subresource });
  const previous = owners.get(key);
  setApplier(owners, appliedFields, ctx, previous?.time);
  const dropped = previous?.fields.difference(appliedFields);
  const pruned = dropped && !dropped.isEmpty ? removeNoLongerApplied(merged, previous!.fields, owners, shape) : merged;

  // Compared as Go-typed objects, as owners' fields were recorded (a stored object may omit `resources: {}`).
  const changes = scopedComparison(compare(body, pruned, shape, ctx.definition), ctx);
  const changed = changes.modified.union(changes.added);
  const conflicts: ConflictOwner[] = [];
  for (const [k, owner] of [...owners].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === key) continue;
    const contested = owner.fields.intersection(changed);
    if (!contested.isEmpty) {
      const { manager, operation, apiVersion, subresource } = owner;
      conflicts.push({ manager, operation, apiVersion, ...(subresource ? { subresource } : {}), fields: contested.paths().map(displayPath) });
    }
  }
  if (conflicts.length && !force) throw new ApplyConflict(conflicts);

  // Forced fields move to the applier; removed fields are owned by nobody.
  for (const [k, owner] of owners) if (k !== key) owner.fields = owner.fields.difference(changed).difference(changes.removed);
  const applier = owners.get(key)!;
  applier.fields = applier.fields.difference(NEVER_TRACKED);
  pruneOwners(owners);

  const object = (removeFields(pruned, nulls, shape) ?? {}) as KubeObject;
  // The timestamp moves only when the object changes: an unchanged apply writes nothing.
  if (!jsonEqual(object, body) && owners.has(key)) applier.time = rfc3339(ctx.now.getTime());
  capUpdateOwners(owners);
  return { object, owners };
}

function setApplier(owners: Owners, fields: FieldSet, ctx: ApplyContext, time: string | undefined): void {
  const owner: Owner = { manager: ctx.manager, operation: 'Apply', apiVersion: ctx.apiVersion, fields };
  if (time) owner.time = time;
  if (ctx.subresource) owner.subresource = ctx.subresource;
  owners.set(ownerKey(owner), owner);
}

/**
 * Removes what the applier applied last time and no longer does, unless someone (the applier's new
 * configuration included) still owns it. A removed struct field, map entry or list item goes with its
 * contents, except contents others own; unowned contents not applied last time are put back.
 */
function removeNoLongerApplied(merged: KubeObject, last: FieldSet, owners: Owners, shape: ObjectShape): KubeObject {
  const fieldsOf = (value: unknown) => fieldSetOf(value, shape).withFieldsAsMembers(shape);
  const without = (set: FieldSet) => removeFields(merged, set, shape, true);
  const lastApplied = last.withFieldsAsMembers(shape);
  const owned = [...owners.values()].reduce((all, o) => all.union(o.fields), FieldSet.empty()).withFieldsAsMembers(shape);
  const everything = fieldsOf(merged);
  // Everything under what was applied last time, except what is owned now...
  const unowned = everything.difference(fieldsOf(without(lastApplied)).union(owned));
  // ...is removed, as far as it was applied last time (with what it contains).
  const dropped = everything.difference(fieldsOf(without(unowned))).intersection(lastApplied);
  return (removeFields(merged, dropped, shape) ?? {}) as KubeObject;
}

/** The configuration restricted to what this request may write (no status on the object, only status on /status). */
function scoped(config: KubeObject, scope: FieldScope, shape: ObjectShape): KubeObject {
  let value: unknown = config;
  if (scope.only) value = selectFields(value, scope.only, shape) ?? {};
  if (scope.ignored) value = removeFields(value, scope.ignored, shape) ?? {};
  return value as KubeObject;
}

function validate(applied: unknown, ctx: ApplyContext): asserts applied is KubeObject {
  if (!isPlainObject(applied)) throw badRequest('error decoding YAML: the apply patch must be an object');
  const { apiVersion, kind, metadata } = applied;
  if (typeof apiVersion !== 'string' || !apiVersion) throw badRequest('apiVersion must be set in an apply patch');
  if (typeof kind !== 'string' || !kind) throw badRequest('kind must be set in an apply patch');
  const expectedKind = ctx.kind ?? kindOf(ctx);
  if (apiVersion !== ctx.apiVersion || (expectedKind && kind !== expectedKind)) {
    throw badRequest(`invalid object type: ${gvk(applied)}`);
  }
  if (!isPlainObject(metadata) || typeof metadata.name !== 'string' || !metadata.name) {
    throw badRequest('metadata.name must be set in an apply patch');
  }
  if (metadata.managedFields !== undefined && metadata.managedFields !== null) throw badRequest('metadata.managedFields must be nil');
}

function kindOf(ctx: ApplyContext): string | undefined {
  return ctx.definition ? definition(ctx.definition)?.kinds[0]?.kind : undefined;
}

/** A group/version/kind as Kubernetes prints it: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`. */
function gvk(obj: KubeObject): string {
  const apiVersion = String(obj.apiVersion ?? '');
  return `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${obj.kind ?? ''}`;
}

/** kubectl's own server-side applies keep its client-side annotation in step. */
function finish(object: KubeObject, applied: KubeObject, ctx: ApplyContext): KubeObject {
  return ctx.manager === KUBECTL_MANAGER ? syncLastApplied(object, applied) : object;
}
