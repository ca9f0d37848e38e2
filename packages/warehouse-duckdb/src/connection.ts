import { resolve } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import { TransientError } from '@funnelcast/core';

/** Bound parameters by name (`$asOf` in the SQL, `{ asOf: '2024-03-01' }` here). */
export type SqlParams = Record<string, string | number | boolean | null>;

/** One connection's view of the database, handed to a single operation at a time by {@link Database.exclusive}. */
export interface Db {
  /** Runs a statement and returns its rows as plain objects (cast BIGINT, DATE, DECIMAL in SQL to get plain values). */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * Runs a query and returns its result as DuckDB's column chunks, for results too large to turn into one object
   * per row: reading typed vectors directly skips the per-value conversion that {@link Db.all} does.
   */
  chunks(sql: string, params?: SqlParams): Promise<DuckDBDataChunk[]>;
  /** Runs a statement for its effect; resolves to the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /** An appender on a table, the fastest way to write many rows; close it before committing. */
  appender(table: string): Promise<DuckDBAppender>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

/** An open database file: one connection whose operations run one after another. */
export interface Database {
  /**
   * Runs `work` alone on the connection. DuckDB transactions belong to a connection, so two operations interleaving
   * on it would share (and could roll back) each other's transaction; queueing them keeps each one whole.
   */
  exclusive<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Waits for queued work, then closes the connection and the file. */
  close(): Promise<void>;
}

// DuckDB's message when another process holds the file's write lock.
const LOCK_CONFLICT = /Could not set lock on file|Conflicting lock is held/i;
// DuckDB's optimistic concurrency refuses the second of two transactions writing the same rows.
const WRITE_CONFLICT = /write-write conflict|Conflict on (update|tuple deletion)/i;

/** An instance shared by every open of one file in this process, closed when the last one closes. */
interface SharedInstance {
  readonly opening: Promise<DuckDBInstance>;
  opened?: DuckDBInstance;
  users: number;
}

// DuckDB's file lock is per process, so a second instance on the same file in this process would not be refused,
// and two instances writing one file corrupt it; sharing one instance gives each open its own connection instead.
const instances = new Map<string, SharedInstance>();

async function acquireInstance(path: string): Promise<{ instance: DuckDBInstance; release(): void }> {
  if (path === ':memory:') {
    const instance = await createInstance(path);
    return { instance, release: () => instance.closeSync() };
  }
  const key = resolve(path);
  let entry = instances.get(key);
  if (!entry) {
    const opening = createInstance(path);
    const created: SharedInstance = { opening, users: 0 };
    entry = created;
    instances.set(key, created);
    opening.then(
      (instance) => (created.opened = instance),
      () => instances.get(key) === created && instances.delete(key),
    );
  }
  entry.users += 1;
  const shared = entry;
  // Synchronous, so the file is free as soon as the last user's close returns.
  const release = () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    if (instances.get(key) === shared) instances.delete(key);
    shared.opened?.closeSync();
  };
  try {
    const instance = await shared.opening;
    shared.opened = instance;
    return { instance, release };
  } catch (error) {
    release();
    throw error;
  }
}

async function createInstance(path: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(path);
  } catch (error) {
    if (error instanceof Error && LOCK_CONFLICT.test(error.message)) {
      throw new TransientError(`database ${path} is in use by another process (${firstLine(error.message)})`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Opens (creating if needed) a DuckDB file with a connection of its own.
 * @throws TransientError when another process holds the file: DuckDB allows one writing process per file, and the
 * holder usually finishes soon, so the worker retries.
 */
export async function openDatabase(path: string): Promise<Database> {
  const { instance, release } = await acquireInstance(path);
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    release();
    throw error;
  }
  const db = connectionDb(connection);
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;

  const exclusive = <T>(work: (db: Db) => Promise<T>): Promise<T> => {
    if (closing) return Promise.reject(new Error(`database ${path} is closed`));
    const next = queue.then(() => work(db));
    // The queue only orders work; a failed operation must not fail the ones after it.
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    exclusive,
    close() {
      // New work is refused from here on; work already queued finishes first.
      closing ??= queue.then(() => {
        connection.closeSync();
        release();
      });
      return closing;
    },
  };
}

function connectionDb(connection: DuckDBConnection): Db {
  const db: Db = {
    async all<T>(sql: string, params?: SqlParams) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    },
    async chunks(sql, params) {
      const result = await connection.run(sql, params);
      return result.fetchAllChunks();
    },
    async run(sql, params) {
      const result = await connection.run(sql, params);
      return result.rowsChanged;
    },
    appender: (table) => connection.createAppender(table),
    async transaction(work) {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        // A failed COMMIT has already ended the transaction; only an open one needs rolling back.
        await connection.run('ROLLBACK').catch(() => undefined);
        if (error instanceof Error && WRITE_CONFLICT.test(error.message)) {
          throw new TransientError(`another writer changed the same rows first (${firstLine(error.message)})`, {
            cause: error,
          });
        }
        throw error;
      }
    },
  };
  return db;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
