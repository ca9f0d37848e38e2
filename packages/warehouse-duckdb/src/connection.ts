import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import { EnvironmentError, FunnelcastError, TransientError } from '@funnelcast/core';

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

// DuckDB would otherwise download and load an extension for a file it does not recognise (a SQLite file as --db):
// only what the node binding bundles may load, and nothing reaches the network.
const INSTANCE_OPTIONS = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };

/** A way the machine can refuse a database file, recognised by the OS's or DuckDB's words, and what to do about it. */
interface EnvironmentFault {
  readonly match: RegExp;
  readonly problem: string;
  readonly advice: string;
}

const FULL_DISK: EnvironmentFault = { match: /No space left on device|Disk quota exceeded|ENOSPC|EDQUOT/i, problem: 'cannot be written: the disk is full', advice: 'free some space, or point --db at another disk' };

// Opening meets all of these; once open, only a full disk can still refuse a write (a query's own "Permission
// denied" is about the file it reads, not the database).
const OPEN_FAULTS: readonly EnvironmentFault[] = [
  { match: /not a valid DuckDB database file|Extension .* not found|Failed to download extension/i, problem: 'is not a DuckDB database', advice: 'point --db at a .duckdb file funnelcast created, or at a new path' },
  { match: /Permission denied|Read-only file system|EACCES|EPERM|EROFS/i, problem: 'may not be written (the file or its folder is read-only)', advice: 'fix the permissions, or point --db at a writable path' },
  FULL_DISK,
  { match: /Not a directory|ENOTDIR|EEXIST/i, problem: 'is under a file, not a folder', advice: 'point --db at a path inside a folder' },
  { match: /Is a directory|EISDIR/i, problem: 'is a folder', advice: 'point --db at a file inside it' },
];

/**
 * The error a failed open or write of `path` means for the user: a lock held by another process is transient (the
 * holder finishes soon), the `faults` are the environment's, anything else is passed on unchanged.
 */
function databaseError(path: string, error: unknown, faults: readonly EnvironmentFault[]): unknown {
  if (!(error instanceof Error) || error instanceof FunnelcastError) return error;
  if (LOCK_CONFLICT.test(error.message)) {
    return new TransientError(`database ${path} is in use by another process (${firstLine(error.message)})`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  const fault = faults.find(({ match }) => match.test(error.message) || (typeof code === 'string' && match.test(code)));
  if (!fault) return error;
  return new EnvironmentError(`database ${path} ${fault.problem}: ${fault.advice} (${firstLine(error.message)})`, { cause: error });
}

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
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    return await DuckDBInstance.create(path, INSTANCE_OPTIONS);
  } catch (error) {
    throw databaseError(path, error, OPEN_FAULTS);
  }
}

/**
 * Opens (creating it and its folder if needed) a DuckDB file with a connection of its own.
 * @throws TransientError when another process holds the file: DuckDB allows one writing process per file, and the
 * holder usually finishes soon, so the worker retries.
 * @throws EnvironmentError when the path is not a DuckDB file, may not be written, or its disk is full.
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
    const next = queue.then(() => work(db)).catch((error: unknown) => {
      throw databaseError(path, error, [FULL_DISK]);
    });
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
