// What the store needs from a SQLite-compatible database: atomic batches and reads.
export type SqlValue = string | number | null;
export interface Statement {
  sql: string;
  args: SqlValue[];
  /** At most one row comes back (a point read, an INSERT ... RETURNING): drivers may read it cheaper. */
  single?: boolean;
}
export type Row = Record<string, SqlValue>;

export interface SqlDriver {
  /**
   * Runs the statements as one atomic transaction; returns each statement's rows. A `read` batch only
   * reads (it gets a consistent snapshot without taking the write lock where the database allows).
   */
  batch(statements: Statement[], mode?: 'read' | 'write'): Promise<Row[][]>;
  /** One statement on its own. */
  all(statement: Statement): Promise<Row[]>;
  /** The first row of one statement (a point read). */
  first(statement: Statement): Promise<Row | undefined>;
  close(): Promise<void>;
}
