import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ConfigError, InputError, LEAD_COLUMNS, LEADS, todayUtc, type IsoDate, type LeadRow, type Problem, type RuleCount } from '@funnelcast/core';
import { appendRows } from './append-rows.js';
import type { Db } from './connection.js';
import {
  checkStagedLeads,
  dropStaging,
  EXAMPLES_SHOWN,
  leadsKeepContract,
  STAGED_TABLE,
  stagedColumns,
  typedColumns,
  type LoadMode,
  type SourceColumn,
  type StagedSource,
} from './lead-rules.js';
import { sqlIdentifier, sqlString } from './sql-text.js';

/** What a load did. */
export interface ImportSummary {
  /** The file, or `rows` for in-memory leads. */
  readonly source: string;
  /** How the load treated the leads already there. */
  readonly mode: LoadMode;
  /** Leads written by this load: the added and the updated. */
  readonly imported: number;
  /** Leads whose id was not in the warehouse (every lead of an append or a replace). */
  readonly added: number;
  /** Leads of an upsert whose id was there with other values, now overwritten. */
  readonly updated: number;
  /** Leads of an upsert already there exactly as loaded: nothing to write. */
  readonly unchanged: number;
  /** Leads in the warehouse after the load. */
  readonly totalLeads: number;
}

/** How a load treats the leads already there. */
export interface LoadOptions {
  /** Swap the whole `leads` table for this load, in one transaction. @defaultValue false (append) */
  readonly replace?: boolean;
  /**
   * Add the leads with new ids and overwrite those whose id is already there (a daily load of what changed); the
   * other leads stay. @defaultValue false (append: an id already there is refused)
   */
  readonly upsert?: boolean;
  /** Refuse leads outside these segments. @defaultValue unchecked */
  readonly superSegments?: readonly string[] | undefined;
  /** Refuse stage dates after this day. @defaultValue today, in UTC */
  readonly today?: IsoDate;
  /** A strptime format (`%d/%m/%Y`) dates may be written in besides ISO. @defaultValue ISO only */
  readonly dateFormat?: string | undefined;
  /** Told when a load moves on: reading the file, checking its rows, writing them (with the rows so far). */
  readonly onPhase?: ((phase: ImportPhase, rows: number) => void) | undefined;
}

/** The steps of a load, in order; DuckDB reads a file in one call, so these are the steps a display can show. */
export type ImportPhase = 'read' | 'check' | 'write';

const expectedColumns = `expected columns: ${LEAD_COLUMNS.join(', ')}`;

function loadMode(options: LoadOptions): LoadMode {
  if (options.replace && options.upsert) {
    throw new ConfigError([{ where: '--replace, --upsert', message: 'choose one: --replace swaps every lead for the file, --upsert adds and updates leads by lead_id' }]);
  }
  return options.replace ? 'replace' : options.upsert ? 'upsert' : 'append';
}

// Checks the staged rows, then writes them into `leads` in one transaction; nothing is written on any problem.
async function loadStaged(db: Db, source: StagedSource, options: LoadOptions, early: Problem[], rejects = NO_REJECTS): Promise<ImportSummary> {
  const mode = loadMode(options);
  try {
    const [staged] = await db.all<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${STAGED_TABLE}`);
    const rows = staged?.n ?? 0;
    options.onPhase?.('check', rows);
    const check = await checkStagedLeads(db, source, {
      superSegments: options.superSegments,
      mode,
      today: options.today ?? todayUtc(new Date()),
      dateFormat: options.dateFormat,
    }, EXAMPLES_SHOWN - early.length - rejects.problems.length);
    // Whole-file problems first, then example rows: together they fit the twenty lines a message shows.
    const fixed = [...early, ...check.hints];
    if (rows === 0 && rejects.rows === 0) fixed.push({ where: source.name, message: 'has no data rows: the leads history is empty' });
    const examples = [...rejects.problems, ...check.problems];
    const problems = [...fixed, ...examples];
    if (problems.length > 0) {
      const broken = check.rows + rejects.rows;
      const shown = examples.length;
      const summary =
        broken > 0
          ? `${source.name}: ${broken.toLocaleString('en-US')} ${broken === 1 ? 'row breaks' : 'rows break'} the leads contract` +
            `${broken > shown ? ` (first ${shown} shown)` : ''}; nothing was imported:`
          : `${source.name} breaks the leads contract:`;
      throw new InputError(problems, summary, [...rejects.counts, ...check.counts]);
    }
    options.onPhase?.('write', rows);
    const written = await db.transaction(() => WRITE[mode](db, rows));
    const [total] = await db.all<{ n: number }>('SELECT CAST(count(*) AS DOUBLE) AS n FROM leads');
    return { source: source.name, mode, imported: written.added + written.updated, ...written, totalLeads: total?.n ?? 0 };
  } finally {
    await dropStaging(db);
  }
}

/**
 * A bulk load (into an empty `leads`, or replacing it) written straight from `select` and checked where it landed:
 * one read of the file and no copy. Whatever stops it (an empty key against NOT NULL, a date that does not parse, a
 * malformed line, a broken rule) rolls it back and gives `undefined`: the staged way then reads the file again and
 * names every problem (or meets the same fault and reports it).
 */
async function loadDirect(db: Db, name: string, select: string, rejects: boolean, options: LoadOptions): Promise<ImportSummary | undefined> {
  const mode = loadMode(options);
  if (mode === 'upsert') return undefined;
  const [existing] = await db.all<{ n: number }>('SELECT CAST(count(*) AS DOUBLE) AS n FROM leads');
  if (mode === 'append' && (existing?.n ?? 0) > 0) return undefined;
  const today = options.today ?? todayUtc(new Date());
  try {
    return await db.transaction(async () => {
      if (mode === 'replace') await db.run('DELETE FROM leads');
      const rows = await db.run(`INSERT INTO leads ${select}`);
      const [rejected] = rejects ? await db.all<{ n: number }>('SELECT CAST(count(*) AS DOUBLE) AS n FROM reject_errors') : [];
      options.onPhase?.('check', rows);
      if (rows === 0 || (rejected?.n ?? 0) > 0 || !(await leadsKeepContract(db, { superSegments: options.superSegments, today }))) {
        throw new RolledBack();
      }
      options.onPhase?.('write', rows);
      return { source: name, mode, imported: rows, added: rows, updated: 0, unchanged: 0, totalLeads: rows };
    });
  } catch {
    return undefined;
  }
}

// Thrown inside the transaction to roll it back when the written leads break a rule.
class RolledBack extends Error {}

type Written = Pick<ImportSummary, 'added' | 'updated' | 'unchanged'>;

const INSERT_STAGED = `INSERT INTO leads SELECT ${LEAD_COLUMNS.join(', ')} FROM ${STAGED_TABLE} s`;

// A lead of the load whose id is in `leads` with other values (s: the staged lead, l: the one there).
const DIFFERS = LEAD_COLUMNS.filter((c) => c !== 'lead_id').map((c) => `s.${c} IS DISTINCT FROM l.${c}`).join(' OR ');

// How each mode writes the checked rows, inside the load's transaction.
const WRITE: Readonly<Record<LoadMode, (db: Db, rows: number) => Promise<Written>>> = {
  append: async (db) => ({ added: await db.run(INSERT_STAGED), updated: 0, unchanged: 0 }),
  replace: async (db) => {
    await db.run('DELETE FROM leads');
    return { added: await db.run(INSERT_STAGED), updated: 0, unchanged: 0 };
  },
  // Only what changed is written: the leads whose values moved are deleted and written anew with the new ids.
  upsert: async (db, rows) => {
    const updated = await db.run(`DELETE FROM leads l USING ${STAGED_TABLE} s WHERE l.lead_id = s.lead_id AND (${DIFFERS})`);
    const added =
      (await db.run(`${INSERT_STAGED} WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.lead_id = s.lead_id)`)) - updated;
    return { added, updated, unchanged: rows - added - updated };
  },
};

/** Lines of a CSV too malformed to stage, found while reading it. */
interface Rejects {
  readonly problems: readonly Problem[];
  readonly counts: readonly RuleCount[];
  readonly rows: number;
}
const NO_REJECTS: Rejects = { problems: [], counts: [], rows: 0 };

// In-memory leads are appended as text, like a file's, so one set of rules judges both.
const ROWS_TABLE = 'leads_rows';
const AS_TEXT: readonly SourceColumn[] = LEAD_COLUMNS.map((name) => ({ name, type: 'VARCHAR' }));

/**
 * Loads in-memory leads (the demo generator's) through the same staging and rules as a file.
 * @throws InputError listing every problem as `rows[i] column c`; nothing is written then.
 */
export async function insertLeads(db: Db, rows: readonly LeadRow[], options: LoadOptions = {}): Promise<ImportSummary> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${ROWS_TABLE} (${LEAD_COLUMNS.map((c) => `${c} VARCHAR`).join(', ')})`);
  try {
    // The appender keeps a million rows fast.
    await appendRows(db, ROWS_TABLE, LEADS.columns.map((c) => ({ ...c, type: 'STRING', nullable: true })), rows);
    const direct = await loadDirect(db, 'rows', `SELECT ${typedColumns(AS_TEXT, options.dateFormat)} FROM ${ROWS_TABLE}`, false, options);
    if (direct) return direct;
    await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_TABLE} AS SELECT ${stagedColumns(AS_TEXT, options.dateFormat)} FROM ${ROWS_TABLE}`);
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${ROWS_TABLE}`);
  }
  return loadStaged(db, { name: 'rows', locate: (row) => `'rows[' || (${row} - 1) || ']'` }, options, []);
}

/**
 * Imports a CSV (header line, comma-separated, `"` quoting) or Parquet file of leads: one read of the file into typed
 * rows, one scan counting every rule's broken rows, one write.
 * @throws InputError listing every problem with the file, line or row, column and rule; nothing is imported then.
 */
export async function importLeads(db: Db, file: string, options: LoadOptions = {}): Promise<ImportSummary> {
  const name = basename(file);
  const fail = (message: string) => new InputError([{ where: name, message }], `${name} cannot be imported:`);
  const size = await stat(file).then((s) => (s.isFile() ? s.size : -1), () => undefined);
  if (size === undefined) throw fail(`file not found: ${file}`);
  if (size < 0) throw fail(`not a file: ${file}`);
  const format = extname(file).toLowerCase();
  if (format !== '.csv' && format !== '.parquet') throw fail(`unsupported file type "${format}": use .csv or .parquet`);
  if (size === 0) throw fail(`is empty: expected a header line (${LEAD_COLUMNS.join(',')}) and data rows`);
  loadMode(options);
  if (options.dateFormat) await checkDateFormat(db, options.dateFormat);
  options.onPhase?.('read', 0);

  const reader =
    format === '.csv' ? await csvReader(db, file) : { sql: `read_parquet(${sqlString(file)})`, rejects: false };
  const present = await unreadable(name, db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${reader.sql}`));
  const types = new Map(present.map((c) => [c.column_name, c.column_type]));
  const missing = LEAD_COLUMNS.filter((c) => !types.has(c));
  const unknown = [...types.keys()].filter((c) => !(LEAD_COLUMNS as readonly string[]).includes(c));
  const problems: Problem[] = [
    ...missing.map((c) => ({ where: `${name} column ${c}`, message: `is missing; ${expectedColumns}` })),
    ...unknown.map((c) => ({ where: `${name} column ${c}`, message: `is not part of the leads contract; ${expectedColumns}` })),
  ];
  if (missing.length > 0) throw new InputError(problems, `${name} breaks the leads contract:`);

  // Parquet's typed columns (a DATE, a TIMESTAMP) are taken as they are; text is trimmed and parsed, once.
  const columns = LEAD_COLUMNS.map((c): SourceColumn => ({ name: c, type: types.get(c) ?? 'VARCHAR' }));
  if (problems.length === 0) {
    const direct = await loadDirect(db, name, `SELECT ${typedColumns(columns, options.dateFormat)} FROM ${reader.sql}`, reader.rejects, options);
    if (direct) return direct;
    if (reader.rejects) await dropRejects(db);
  }
  await unreadable(name, db.run(`CREATE OR REPLACE TEMP TABLE ${STAGED_TABLE} AS SELECT ${stagedColumns(columns, options.dateFormat)} FROM ${reader.sql}`));
  const rejects = reader.rejects ? await csvRejects(db, name) : NO_REJECTS;
  // A CSV's header is line 1, so data row n is line n + 1; Parquet has no lines, only rows.
  const locate =
    format === '.csv'
      ? (row: string) => `${sqlString(`${name} line `)} || (${row} + 1)`
      : (row: string) => `${sqlString(`${name} row `)} || ${row}`;
  return loadStaged(db, { name, locate }, options, problems, rejects);
}

// A format DuckDB cannot read is the command's mistake, not the file's: say so before reading anything.
async function checkDateFormat(db: Db, format: string): Promise<void> {
  try {
    await db.all('SELECT try_strptime($sample, $format) AS d', { sample: '2026-01-31', format });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n', 1)[0] ?? error.message) : String(error);
    throw new ConfigError([{ where: '--date-format', message: `${JSON.stringify(format)} is not a strptime format (e.g. %d/%m/%Y): ${reason}` }]);
  }
}

// A file DuckDB cannot parse at all (not Parquet, not UTF-8, a repeated header name) is bad input, not a crash.
async function unreadable<T>(name: string, reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n', 1)[0] ?? error.message) : String(error);
    throw new InputError([{ where: name, message: `cannot be read: ${reason}` }], `${name} cannot be imported:`);
  }
}

const CSV_DIALECT = `auto_detect = false, header = true, delim = ',', quote = '"', escape = '"'`;

// DuckDB's sniffer guesses headers from ragged files; the header is read here instead and every column is text.
async function csvReader(db: Db, file: string): Promise<{ sql: string; rejects: boolean }> {
  const header = parseCsvLine(await firstLine(file));
  const columns = header.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ');
  await dropRejects(db);
  return { sql: `read_csv(${sqlString(file)}, ${CSV_DIALECT}, columns = {${columns}}, store_rejects = true)`, rejects: true };
}

// Malformed lines (too few or many fields, bad quoting) are skipped by the scan and reported here, every one counted;
// DuckDB logs one reject per missing field, so a line's first is its message.
async function csvRejects(db: Db, name: string): Promise<Rejects> {
  const rejects = await db.all<{ line: number; message: string; total: number }>(`
    SELECT CAST(line AS DOUBLE) AS line, arg_min(lower(error_type) || ': ' || error_message, column_idx) AS message,
      CAST(count(*) OVER () AS DOUBLE) AS total
    FROM reject_errors GROUP BY line ORDER BY line LIMIT ${EXAMPLES_SHOWN}`);
  await dropRejects(db);
  const rows = rejects[0]?.total ?? 0;
  return {
    problems: rejects.map((r) => ({ where: `${name} line ${r.line}`, message: `malformed CSV line (${r.message})` })),
    counts: rows > 0 ? [{ rule: 'every line must be a well-formed CSV record of the header\'s columns', rows }] : [],
    rows,
  };
}

// The tables `store_rejects` fills; a scan adds to them, so each read starts without them.
async function dropRejects(db: Db): Promise<void> {
  await db.run('DROP TABLE IF EXISTS reject_errors');
  await db.run('DROP TABLE IF EXISTS reject_scans');
}

async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r?\n/, 1)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/** Splits one CSV line on commas, honouring `"` quotes and `""` escapes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inQuotes && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') inQuotes = !inQuotes;
    else if (char === ',' && !inQuotes) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}
