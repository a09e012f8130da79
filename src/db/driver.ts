// What the store needs from a SQLite-compatible database: atomic batches and reads.
export type SqlValue = string | number | null;
export interface Statement { sql: string; args: SqlValue[] }
export type Row = Record<string, SqlValue>;

export interface SqlDriver {
  /** Runs the statements as one atomic transaction; returns each statement's rows. */
  batch(statements: Statement[]): Promise<Row[][]>;
  /** One read. */
  all(statement: Statement): Promise<Row[]>;
  close(): Promise<void>;
}
