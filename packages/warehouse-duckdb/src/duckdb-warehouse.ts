import type {
  ActualsWindow,
  BacktestResultRow,
  BacktestRunRecord,
  DataSummary,
  FunnelHistory,
  HistoryReader,
  HistoryRequest,
  IsoDate,
  LeadRow,
  PublishedFilter,
  RunRecord,
  RunRows,
  Warehouse,
} from '@funnelcast/core';
import { openDatabase } from './connection.js';
import { refreshDailyActuals } from './daily-actuals.js';
import { schemaStatements } from './ddl.js';
import { historyReader, readHistory } from './history-sql.js';
import { importLeads, insertLeads, type ImportSummary, type LoadOptions } from './import-leads.js';
import { abandonExpiredRuns, failRun, heartbeatRun, publishRun, saveBacktest, startRun } from './publish.js';
import { deleteRunsBefore } from './retention.js';
import {
  describeData,
  findPublishedRun,
  listRuns,
  productionRun,
  readForecastVsActual,
  readLatestBacktest,
  readMapping,
  readModelSelection,
  readPublished,
  readRun,
} from './read.js';

/** Options of {@link createDuckDbWarehouse}. */
export interface DuckDbWarehouseOptions {
  /** The database file (created when missing), or `:memory:`. */
  readonly path: string;
  /** Segments leads may belong to; loads refuse any other. @defaultValue unchecked */
  readonly superSegments?: readonly string[];
  /** The clock that stamps `published_at`. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/** How a file is loaded: appended, replacing or upserting, in which date format, with whom told of its progress. */
export type FileLoadOptions = Pick<LoadOptions, 'replace' | 'upsert' | 'dateFormat' | 'onPhase'>;

/** The embedded warehouse: core's {@link Warehouse} plus loading leads. */
export interface DuckDbWarehouse extends Warehouse {
  readonly kind: 'duckdb';
  /** Always there: a refresh's or a backtest's reads share one aggregation of the leads. */
  historyReader(): HistoryReader;
  /**
   * Imports a `.csv` or `.parquet` file of leads, appending unless `replace` swaps the whole table or `upsert` adds and
   * updates leads by `lead_id`.
   * @throws InputError listing every problem (file, line or row, column, rule); nothing is imported then.
   */
  importLeads(file: string, options?: FileLoadOptions): Promise<ImportSummary>;
  /**
   * Loads in-memory leads under the same rules and modes as {@link DuckDbWarehouse.importLeads}.
   * @throws InputError listing every problem as `rows[i] column c`; nothing is written then.
   */
  insertLeads(rows: readonly LeadRow[], options?: Pick<LoadOptions, 'replace' | 'upsert'>): Promise<ImportSummary>;
}

/**
 * Opens the DuckDB warehouse at `options.path` and brings its schema up to date.
 * @throws TransientError when another process holds the file.
 */
export async function createDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
  const database = await openDatabase(options.path);
  const now = options.now ?? (() => new Date());
  const { superSegments } = options;
  // Once per open handle is enough: the file is this process's alone while it is open for writing, and nothing
  // here drops what the statements create, so a second pass would only repeat the first (at ~10 ms, a real share of
  // a refresh). A failed pass is forgotten, so the next call tries again.
  let ensured: Promise<void> | undefined;
  const ensureSchema = () =>
    (ensured ??= database.exclusive(async (db) => {
      for (const statement of schemaStatements()) await db.run(statement);
    }).catch((error: unknown) => {
      ensured = undefined;
      throw error;
    }));
  try {
    await ensureSchema();
  } catch (error) {
    await database.close();
    throw error;
  }

  return {
    kind: 'duckdb',
    ensureSchema,
    describeData: (): Promise<DataSummary | null> => database.exclusive(describeData),
    readHistory: (request: HistoryRequest): Promise<FunnelHistory> => database.exclusive((db) => readHistory(db, request)),
    historyReader: () => historyReader(database),
    startRun: (record: RunRecord) => database.exclusive((db) => startRun(db, record)),
    heartbeatRun: (runId: string, at: string) => database.exclusive((db) => heartbeatRun(db, runId, at)),
    abandonExpiredRuns: (at: Date, leaseMs: number) => database.exclusive((db) => abandonExpiredRuns(db, at, leaseMs)),
    publishRun: (record: RunRecord, rows: RunRows) => database.exclusive((db) => publishRun(db, record, rows, now())),
    findPublishedRun: (requestId: string) => database.exclusive((db) => findPublishedRun(db, requestId)),
    productionRun: () => database.exclusive(productionRun),
    failRun: (runId: string, error: string, finishedAt: string) =>
      database.exclusive((db) => failRun(db, runId, error, finishedAt)),
    deleteRunsBefore: (cutoff: IsoDate) => database.exclusive((db) => deleteRunsBefore(db, cutoff)),
    refreshDailyActuals: (window: ActualsWindow) => database.exclusive((db) => refreshDailyActuals(db, window)),
    listRuns: (limit?: number) => database.exclusive((db) => listRuns(db, limit)),
    readPublished: (filter?: PublishedFilter) => database.exclusive((db) => readPublished(db, filter)),
    readMapping: (filter?: { readonly superSegment?: string }) => database.exclusive((db) => readMapping(db, filter)),
    readModelSelection: () => database.exclusive(readModelSelection),
    readRun: (runId: string) => database.exclusive((db) => readRun(db, runId)),
    readForecastVsActual: () => database.exclusive(readForecastVsActual),
    readLatestBacktest: () => database.exclusive(readLatestBacktest),
    saveBacktest: (run: BacktestRunRecord, results: readonly BacktestResultRow[]) =>
      database.exclusive((db) => saveBacktest(db, run, results)),
    importLeads: (file, load = {}) => database.exclusive((db) => importLeads(db, file, { ...load, superSegments })),
    insertLeads: (rows, load = {}) => database.exclusive((db) => insertLeads(db, rows, { ...load, superSegments })),
    close: () => {
      // A closed handle must refuse ensureSchema like any other call, not answer from the memo.
      ensured = undefined;
      return database.close();
    },
  };
}
