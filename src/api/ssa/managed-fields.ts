// metadata.managedFields: decoding and encoding the entries, and tracking the writes that are not
// applies (create, update, patch), as Kubernetes' field manager does.
import type { KubeObject } from '../registry/types.ts';
import { rfc3339 } from '../../util/time.ts';
import { compare, type Comparison } from './compare.ts';
import { FieldSet, fieldElement } from './fieldsets.ts';
import { isPlainObject, rootShape, type Shape } from './shape.ts';

export type Operation = 'Apply' | 'Update';

/** A metav1.ManagedFieldsEntry as JSON, keys in Kubernetes' order. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** One entry, decoded. */
export interface Owner {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/** Owners by identity (see ownerKey). */
export type Owners = Map<string, Owner>;

/**
 * Who an entry belongs to: manager, operation and subresource, plus the apiVersion for Update
 * (an applier keeps one entry whatever version it applies with). Sorting these orders conflicts.
 */
export function ownerKey(o: Pick<Owner, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return JSON.stringify({
    manager: o.manager, operation: o.operation,
    ...(o.operation === 'Update' && o.apiVersion ? { apiVersion: o.apiVersion } : {}),
    ...(o.subresource ? { subresource: o.subresource } : {}),
  });
}

/** Fields nobody owns: identity and server-set metadata. */
export const NEVER_TRACKED = FieldSet.of(
  ['f:apiVersion'], ['f:kind'], ['f:metadata'],
  ...['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'managedFields',
    'deletionTimestamp', 'deletionGracePeriodSeconds'].map(f => ['f:metadata', fieldElement(f)]),
);

/** Which fields a write can own: those under `only` (everything when absent) that are not under `ignored`. */
export interface FieldScope { ignored?: FieldSet; only?: FieldSet }

/**
 * The scope of a write to the object or one of its subresources: the object does not own status; the
 * status subresource owns only status; scale owns only the replicas field of its parent.
 */
export function fieldScopeFor(subresource?: string, specReplicasPath = 'spec.replicas'): FieldScope {
  switch (subresource) {
    case 'status': return { only: FieldSet.of(['f:status']) };
    case 'scale': return { only: FieldSet.of(specReplicasPath.split('.').map(fieldElement)) };
    default: return { ignored: FieldSet.of(['f:status']) };
  }
}

export function inScope(set: FieldSet, scope: FieldScope): FieldSet {
  const kept = scope.only ? set.onlyUnder(scope.only) : set;
  return scope.ignored ? kept.withoutPrefixes(scope.ignored) : kept;
}

export const scopedComparison = (c: Comparison, scope: FieldScope): Comparison =>
  ({ added: inScope(c.added, scope), modified: inScope(c.modified, scope), removed: inScope(c.removed, scope) });

// ---- entries ----

export class ManagedFieldsError extends Error {}

/** Decodes metadata.managedFields; throws ManagedFieldsError on an entry Kubernetes would reject. */
export function decodeManagedFields(entries: unknown): Owners {
  const owners: Owners = new Map();
  if (entries === undefined || entries === null) return owners;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((entry, i) => {
    if (!isPlainObject(entry)) throw new ManagedFieldsError(`managed fields entry ${i} must be an object`);
    const { manager = '', operation, apiVersion, time, fieldsType, fieldsV1, subresource } = entry;
    if (operation !== 'Apply' && operation !== 'Update') throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    if (typeof apiVersion !== 'string' || !apiVersion) throw new ManagedFieldsError('apiVersion must not be empty');
    if (fieldsType !== 'FieldsV1') {
      throw new ManagedFieldsError(fieldsType ? `invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    }
    if (typeof manager !== 'string') throw new ManagedFieldsError(`manager of managed fields entry ${i} must be a string`);
    if (subresource !== undefined && subresource !== null && typeof subresource !== 'string') {
      throw new ManagedFieldsError(`subresource of managed fields entry ${i} must be a string`);
    }
    const owner: Owner = {
      manager, operation, apiVersion,
      fields: fieldsV1 === undefined || fieldsV1 === null ? FieldSet.empty() : FieldSet.fromFieldsV1(fieldsV1),
    };
    if (subresource) owner.subresource = subresource as string;
    if (time !== undefined && time !== null) {
      const ms = typeof time === 'string' ? Date.parse(time) : NaN;
      if (Number.isNaN(ms)) throw new ManagedFieldsError(`invalid time in managed fields entry ${i}`);
      owner.time = rfc3339(ms);
    }
    owners.set(ownerKey(owner), owner); // a later entry of the same owner wins
  });
  return owners;
}

/** Entries sorted as Kubernetes stores them: Apply before Update, then oldest first, then by manager. */
export function encodeManagedFields(owners: Owners): ManagedFieldsEntry[] | undefined {
  const seconds = (o: Owner) => (o.time ? Date.parse(o.time) : 0);
  const sorted = [...owners.values()].filter(o => !o.fields.isEmpty).sort((a, b) =>
    cmp(a.operation, b.operation) || seconds(a) - seconds(b) || cmp(a.manager, b.manager)
    || cmp(a.apiVersion, b.apiVersion) || cmp(a.subresource ?? '', b.subresource ?? ''));
  if (!sorted.length) return undefined;
  return sorted.map(o => ({
    manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, ...(o.time ? { time: o.time } : {}),
    fieldsType: 'FieldsV1' as const, fieldsV1: o.fields.toFieldsV1(), ...(o.subresource ? { subresource: o.subresource } : {}),
  }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A copy of the object with these owners as its metadata.managedFields (absent when there are none). */
export function withManagedFields(obj: KubeObject, owners: Owners): KubeObject {
  const metadata = { ...(obj.metadata ?? {}) };
  const entries = encodeManagedFields(owners);
  if (entries) metadata.managedFields = entries;
  else delete metadata.managedFields;
  return { ...obj, metadata };
}

export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!isPlainObject(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export function cloneOwners(owners: Owners): Owners {
  return new Map([...owners].map(([k, o]) => [k, { ...o }]));
}

/** Drops owners left without fields. */
export function pruneOwners(owners: Owners): void {
  for (const [key, owner] of owners) if (owner.fields.isEmpty) owners.delete(key);
}

const MAX_UPDATE_OWNERS = 10;
const OLD_UPDATES_MANAGER = 'ancient-changes';

/** Keeps at most ten Update entries: the oldest are merged into one `ancient-changes` entry per apiVersion. */
export function capUpdateOwners(owners: Owners): void {
  const updates = [...owners.entries()].filter(([, o]) => o.operation === 'Update');
  if (updates.length <= MAX_UPDATE_OWNERS) return;
  const seconds = (o: Owner) => (o.time ? Date.parse(o.time) : 0);
  updates.sort(([ka, a], [kb, b]) => seconds(a) - seconds(b) || cmp(ka, kb));
  let count = updates.length;
  for (const [key, owner] of updates) {
    if (count <= MAX_UPDATE_OWNERS) break;
    const bucket: Owner = { manager: OLD_UPDATES_MANAGER, operation: 'Update', apiVersion: owner.apiVersion, fields: FieldSet.empty() };
    const bucketKey = ownerKey(bucket);
    if (key === bucketKey) continue;
    const existing = owners.get(bucketKey);
    owners.delete(key);
    if (existing) count--;
    owners.set(bucketKey, { ...bucket, fields: owner.fields.union(existing?.fields ?? FieldSet.empty()), ...(owner.time ? { time: owner.time } : {}) });
  }
}

// ---- tracking writes that are not applies ----

export interface UpdateContext extends FieldScope {
  manager: string;
  /** The version the request was served in (the entry's apiVersion). */
  apiVersion: string;
  now: Date;
  subresource?: string;
  /** The OpenAPI definition name of the object (e.g. io.k8s.api.apps.v1.Deployment); absent for unknown kinds. */
  definition?: string;
}

/**
 * Records a create (`old` undefined), update or non-apply patch: the fields whose values the write set
 * or changed are now owned by the manager (one Update entry per manager, version and subresource) and
 * no longer by anyone else; fields it removed are owned by nobody. Returns `next` with its managedFields.
 *
 * `next.metadata.managedFields` is what the request said about them: when it differs from the stored
 * ones (a PUT or a JSON patch that sets them) it is taken as given, `[]` or `[{}]` clears them, and an
 * absent or malformed list keeps the stored ones. Subresource writes always keep the stored ones.
 */
export function trackUpdate(old: KubeObject | undefined, next: KubeObject, ctx: UpdateContext): KubeObject {
  const owners = requestedOwners(old, next, ctx.subresource);
  recordUpdate(owners, withoutManagedFields(old ?? {}), withoutManagedFields(next), ctx, rootShape(ctx.definition));
  capUpdateOwners(owners);
  return withManagedFields(next, owners);
}

function requestedOwners(old: KubeObject | undefined, next: KubeObject, subresource: string | undefined): Owners {
  const stored = () => {
    try {
      return decodeManagedFields(old?.metadata?.managedFields);
    } catch {
      return new Map() as Owners;
    }
  };
  if (subresource) return stored();
  const requested = next.metadata?.managedFields;
  if (isReset(requested)) return new Map();
  try {
    const owners = decodeManagedFields(requested);
    if (owners.size) return owners;
  } catch {
    // Kubernetes ignores managedFields it cannot decode, so clients cannot break them by accident.
  }
  return stored();
}

/** `[]` or `[{}]`: the request clears managedFields. */
function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isPlainObject(entries[0])
    && Object.values(entries[0]).every(v => v === undefined || v === null || v === '');
}

/**
 * Moves ownership of what changed between `before` and `after` (compared as Go-typed objects) to the
 * manager's Update entry, in place.
 */
export function recordUpdate(owners: Owners, before: KubeObject, after: KubeObject, ctx: UpdateContext, shape: Shape): void {
  const changes = scopedComparison(compare(before, after, shape, ctx.definition), ctx);
  const taken = changes.modified.union(changes.added);
  for (const owner of owners.values()) owner.fields = owner.fields.difference(taken).difference(changes.removed);
  const mine = taken.difference(NEVER_TRACKED);
  if (!mine.isEmpty) {
    const owner: Owner = { manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, fields: mine, time: rfc3339(ctx.now.getTime()) };
    if (ctx.subresource) owner.subresource = ctx.subresource;
    const key = ownerKey(owner);
    const previous = owners.get(key);
    if (previous) owner.fields = owner.fields.union(previous.fields);
    owners.set(key, owner);
  }
  pruneOwners(owners);
}

/**
 * The field manager of a request without `fieldManager`: its User-Agent up to the first '/', without
 * unprintable characters, at most 128 bytes (`kubectl/v1.35.2 (linux/amd64)` → `kubectl`).
 */
export function managerFromUserAgent(userAgent: string | undefined): string {
  let out = '', bytes = 0;
  for (const ch of (userAgent ?? '').split('/')[0]) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    const size = new TextEncoder().encode(ch).length;
    if (bytes + size > 128) break;
    out += ch;
    bytes += size;
  }
  return out;
}
