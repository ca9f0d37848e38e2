import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ConfigError, InputError, todayUtc, type IsoDate, type Problem, type RuleCount } from '@funnelcast/core';
import { appendRows } from './append-rows.js';
import type { Db } from './connection.js';
import {
  checkStagedLeads,
  dropStaging,
  EXAMPLES_SHOWN,
  insertStagedLeads,
  LEAD_COLUMNS,
  LEADS,
  STAGING_TABLE,
  type LeadRecord,
  type StagedSource,
} from './lead-rules.js';
import { sqlIdentifier, sqlString } from './sql-text.js';

/** What a load did. */
export interface ImportSummary {
  /** The file, or `rows` for in-memory leads. */
  readonly source: string;
  /** Leads written by this load. */
  readonly imported: number;
  /** True when the load replaced every earlier lead. */
  readonly replaced: boolean;
  /** Leads in the warehouse after the load. */
  readonly totalLeads: number;
}

/** How a load treats the leads already there. */
export interface LoadOptions {
  /** Swap the whole `leads` table for this load, in one transaction. @defaultValue false (append) */
  readonly replace?: boolean;
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

const STAGING_COLUMNS = LEAD_COLUMNS.map((c) => `${sqlIdentifier(c)} VARCHAR`).join(', ');
const expectedColumns = `expected columns: ${LEAD_COLUMNS.join(', ')}`;

// Checks the staged rows, then moves them into `leads` in one transaction; nothing is written on any problem.
async function loadStaged(db: Db, source: StagedSource, options: LoadOptions, early: Problem[], rejects = NO_REJECTS): Promise<ImportSummary> {
  const replace = options.replace ?? false;
  try {
    const [staged] = await db.all<{ n: number }>(`SELECT CAST(count(*) AS DOUBLE) AS n FROM ${STAGING_TABLE}`);
    options.onPhase?.('check', staged?.n ?? 0);
    const check = await checkStagedLeads(db, source, {
      superSegments: options.superSegments,
      againstExisting: !replace,
      today: options.today ?? todayUtc(new Date()),
      dateFormat: options.dateFormat,
    }, EXAMPLES_SHOWN - early.length - rejects.problems.length);
    // Whole-file problems first, then example rows: together they fit the twenty lines a message shows.
    const fixed = [...early, ...check.hints];
    if (!staged?.n && rejects.rows === 0) fixed.push({ where: source.name, message: 'has no data rows: the leads history is empty' });
    const examples = [...rejects.problems, ...check.problems];
    const problems = [...fixed, ...examples];
    if (problems.length > 0) {
      const rows = check.rows + rejects.rows;
      const shown = examples.length;
      const summary =
        rows > 0
          ? `${source.name}: ${rows.toLocaleString('en-US')} ${rows === 1 ? 'row breaks' : 'rows break'} the leads contract` +
            `${rows > shown ? ` (first ${shown} shown)` : ''}; nothing was imported:`
          : `${source.name} breaks the leads contract:`;
      throw new InputError(problems, summary, [...rejects.counts, ...check.counts]);
    }
    options.onPhase?.('write', staged?.n ?? 0);
    const imported = await db.transaction(async () => {
      if (replace) await db.run('DELETE FROM leads');
      return insertStagedLeads(db);
    });
    const [total] = await db.all<{ n: number }>('SELECT CAST(count(*) AS DOUBLE) AS n FROM leads');
    return { source: source.name, imported, replaced: replace, totalLeads: total?.n ?? 0 };
  } finally {
    await dropStaging(db);
  }
}

/** Lines of a CSV too malformed to stage, found while reading it. */
interface Rejects {
  readonly problems: readonly Problem[];
  readonly counts: readonly RuleCount[];
  readonly rows: number;
}
const NO_REJECTS: Rejects = { problems: [], counts: [], rows: 0 };

/**
 * Loads in-memory leads (the demo generator's) through the same staging table and SQL rules as a file.
 * @throws InputError listing every problem as `rows[i] column c`; nothing is written then.
 */
export async function insertLeads(db: Db, rows: readonly LeadRecord[], options: LoadOptions = {}): Promise<ImportSummary> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING_TABLE} (${STAGING_COLUMNS})`);
  // Staged as text, like a file, so one set of rules judges both; the appender keeps a million rows fast.
  await appendRows(db, STAGING_TABLE, LEADS.columns.map((c) => ({ ...c, type: 'STRING', nullable: true })), rows);
  return loadStaged(db, { name: 'rows', locate: (row) => `'rows[' || (${row} - 1) || ']'` }, options, []);
}

/**
 * Imports a CSV (header line, comma-separated, `"` quoting) or Parquet file of leads.
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
  if (options.dateFormat) await checkDateFormat(db, options.dateFormat);
  options.onPhase?.('read', 0);

  const reader =
    format === '.csv' ? await csvReader(db, file) : { sql: `read_parquet(${sqlString(file)})`, rejects: false };
  const present = await unreadable(name, db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${reader.sql}`));
  const columns = new Set(present.map((c) => c.column_name));
  const missing = LEAD_COLUMNS.filter((c) => !columns.has(c));
  const unknown = [...columns].filter((c) => !LEAD_COLUMNS.includes(c));
  const problems: Problem[] = [
    ...missing.map((c) => ({ where: `${name} column ${c}`, message: `is missing; ${expectedColumns}` })),
    ...unknown.map((c) => ({ where: `${name} column ${c}`, message: `is not part of the leads contract; ${expectedColumns}` })),
  ];
  if (missing.length > 0) throw new InputError(problems, `${name} breaks the leads contract:`);

  // CAST keeps Parquet's typed columns (a DATE, an INT) comparable with CSV text under the same rules.
  const select = LEAD_COLUMNS.map((c) => `CAST(${sqlIdentifier(c)} AS VARCHAR) AS ${sqlIdentifier(c)}`).join(', ');
  await unreadable(name, db.run(`CREATE OR REPLACE TEMP TABLE ${STAGING_TABLE} AS SELECT ${select} FROM ${reader.sql}`));
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
  await db.run('DROP TABLE IF EXISTS reject_errors');
  await db.run('DROP TABLE IF EXISTS reject_scans');
  return { sql: `read_csv(${sqlString(file)}, ${CSV_DIALECT}, columns = {${columns}}, store_rejects = true)`, rejects: true };
}

// Malformed lines (too few or many fields, bad quoting) are skipped by the scan and reported here, every one counted;
// DuckDB logs one reject per missing field, so a line's first is its message.
async function csvRejects(db: Db, name: string): Promise<Rejects> {
  const rejects = await db.all<{ line: number; message: string; total: number }>(`
    SELECT CAST(line AS DOUBLE) AS line, arg_min(lower(error_type) || ': ' || error_message, column_idx) AS message,
      CAST(count(*) OVER () AS DOUBLE) AS total
    FROM reject_errors GROUP BY line ORDER BY line LIMIT ${EXAMPLES_SHOWN}`);
  await db.run('DROP TABLE IF EXISTS reject_errors');
  await db.run('DROP TABLE IF EXISTS reject_scans');
  const rows = rejects[0]?.total ?? 0;
  return {
    problems: rejects.map((r) => ({ where: `${name} line ${r.line}`, message: `malformed CSV line (${r.message})` })),
    counts: rows > 0 ? [{ rule: 'every line must be a well-formed CSV record of the header\'s columns', rows }] : [],
    rows,
  };
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
