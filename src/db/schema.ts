// The drizzle schema: the source of the generated migrations (drizzle-kit → migrations/).
// The change log is the store's MVCC history, the objects table its current state; triggers
// (migrations/*_triggers.sql) keep the two consistent and enforce compare-and-swap, so every
// write is a single INSERT into `changes`.
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core';

/** Every write, in resourceVersion order. `rv` is the resourceVersion clients see. */
export const changes = sqliteTable('changes', {
  rv: integer('rv').primaryKey({ autoIncrement: true }),
  cluster: text('cluster').notNull(),
  grp: text('grp').notNull(),
  resource: text('resource').notNull(),
  namespace: text('namespace').notNull(),
  name: text('name').notNull(),
  /** ADDED | MODIFIED | DELETED, as watch events name them. */
  type: text('type').notNull(),
  /** The rv this write replaces; NULL for a create. The CAS trigger rejects a mismatch. */
  prevRv: integer('prev_rv'),
  /** The object as JSON, without metadata.resourceVersion (that is `rv`). */
  object: text('object').notNull(),
  /**
   * The object's labels as JSON: the label index is kept from these (no parse of the whole object), and
   * an update that leaves them as they were leaves the index alone.
   */
  labels: text('labels'),
  /** rv of the write that replaced this version (its own rv for a deletion); NULL while current. */
  supersededRv: integer('superseded_rv'),
}, t => [
  index('changes_by_resource').on(t.cluster, t.grp, t.resource, t.rv),
  // Compaction deletes versions superseded inside its window; NULLs (current versions) stay out of the index.
  index('changes_superseded').on(t.supersededRv).where(sql`superseded_rv IS NOT NULL`),
]);

/** Current state: one row per live key, pointing at its version in `changes`. */
export const objects = sqliteTable('objects', {
  cluster: text('cluster').notNull(),
  grp: text('grp').notNull(),
  resource: text('resource').notNull(),
  namespace: text('namespace').notNull(),
  name: text('name').notNull(),
  rv: integer('rv').notNull(),
}, t => [primaryKey({ columns: [t.cluster, t.grp, t.resource, t.namespace, t.name] })]);

/** Label index of current objects, so label selectors read an index instead of decoding rows. */
export const labels = sqliteTable('labels', {
  cluster: text('cluster').notNull(),
  grp: text('grp').notNull(),
  resource: text('resource').notNull(),
  key: text('key').notNull(),
  value: text('value').notNull(),
  namespace: text('namespace').notNull(),
  name: text('name').notNull(),
}, t => [primaryKey({ columns: [t.cluster, t.grp, t.resource, t.key, t.value, t.namespace, t.name] })]);

/** Points in time and their latest rv, so compaction can find the rv at the edge of its window. */
export const revisions = sqliteTable('revisions', {
  at: integer('at').primaryKey(),
  rv: integer('rv').notNull(),
});

/** Small store-wide values (the compacted rv). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});
