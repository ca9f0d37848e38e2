import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, InputError, type LeadRow, type Problem } from '@funnelcast/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, type DuckDbWarehouse } from './index.js';
import { parseCsvLine } from './import-leads.js';

const NOT = "is not a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. '%d/%m/%Y')";
const HEADER = 'lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date';
const GOOD = [
  'a1,Paid Search,google,Outbound,2024-01-02,2024-01-05,2024-01-09',
  'a2,Paid Search,google,Outbound,2024-01-03,,',
  'a3,"Events, Field",expo,Other,2024-01-04,2024-01-04,',
];

let dir: string;
let warehouse: DuckDbWarehouse;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnelcast-import-'));
  warehouse = await createDuckDbWarehouse({
    path: join(dir, 'w.duckdb'),
    superSegments: ['Outbound', 'Inbound_Marketing', 'Other'],
  });
});

afterEach(async () => {
  await warehouse.close();
  await rm(dir, { recursive: true, force: true });
});

async function csv(name: string, lines: readonly string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

async function problemsOf(load: Promise<unknown>): Promise<readonly Problem[]> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).problems;
}

describe('importLeads', () => {
  it('imports a CSV, quoted fields and empty dates included', async () => {
    const summary = await warehouse.importLeads(await csv('leads.csv', [HEADER, ...GOOD]));
    expect(summary).toEqual({ source: 'leads.csv', mode: 'append', imported: 3, added: 3, updated: 0, unchanged: 0, totalLeads: 3 });
    expect(await warehouse.describeData()).toEqual({
      leads: 3,
      firstDate: '2024-01-02',
      lastDate: '2024-01-09',
      superSegments: ['Other', 'Outbound'],
      combinations: 2,
    });
  });

  it('imports a Parquet file written by DuckDB, typed dates included', async () => {
    const source = await csv('source.csv', [HEADER, ...GOOD]);
    const parquet = join(dir, 'leads.parquet');
    const scratch = await createDuckDbWarehouse({ path: join(dir, 'scratch.duckdb') });
    await scratch.importLeads(source);
    await scratch.close();
    // COPY from the scratch file's typed `leads` table, so the Parquet columns are real DATEs.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(join(dir, 'scratch.duckdb'));
    const connection = await instance.connect();
    await connection.run(`COPY leads TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();

    const summary = await warehouse.importLeads(parquet);
    expect(summary.imported).toBe(3);
    const history = await warehouse.readHistory({
      asOf: '2024-02-01',
      since: '2024-01-01',
      conversion: {
        cohortStart: '2024-01-01',
        cohortEnd: '2024-02-01',
        maxLagDays: 30,
        mqlToSql: { cohortStart: '2024-01-01', cohortEnd: '2024-02-01', maxLagDays: 30, lookBackDays: 30 },
      },
    });
    // a1: SQL 01-05, SQO 01-09; a3 is an SQL still open at the as-of date (age 28).
    expect(history.conversion?.lagCounts).toEqual(Array.from({ length: 31 }, (_, k) => (k === 4 ? 1 : 0)));
    expect(history.conversion?.openSqls).toEqual([
      { superSegment: 'Other', channel: 'Events, Field', source: 'expo', ageDays: 28, count: 1 },
    ]);
  });

  it('appends, refuses lead ids already imported, and replaces the whole table on request', async () => {
    await warehouse.importLeads(await csv('first.csv', [HEADER, ...GOOD]));
    const again = await csv('again.csv', [HEADER, GOOD[0] ?? '', 'b1,Web,organic,Other,2024-02-01,,']);
    expect(await problemsOf(warehouse.importLeads(again))).toEqual([
      {
        where: 'again.csv line 2 column lead_id',
        message:
          'lead_id "a1" is already in the warehouse (to update the leads already there, import with --upsert; to swap every lead for this file, with --replace)',
      },
    ]);
    expect((await warehouse.describeData())?.leads).toBe(3);
    const replaced = await warehouse.importLeads(again, { replace: true });
    expect(replaced).toEqual({ source: 'again.csv', mode: 'replace', imported: 2, added: 2, updated: 0, unchanged: 0, totalLeads: 2 });
  });

  it('upserts by lead_id: adds new leads, overwrites moved ones, counts the unchanged, and keeps the rest', async () => {
    await warehouse.importLeads(await csv('first.csv', [HEADER, ...GOOD]));
    const daily = await csv('daily.csv', [
      HEADER,
      GOOD[0] ?? '',
      'a2,Paid Search,google,Outbound,2024-01-03,2024-01-10,2024-01-12',
      'b1,Web,organic,Other,2024-01-11,,',
    ]);
    const summary = await warehouse.importLeads(daily, { upsert: true });
    expect(summary).toEqual({ source: 'daily.csv', mode: 'upsert', imported: 2, added: 1, updated: 1, unchanged: 1, totalLeads: 4 });
    const window = { cohortStart: '2024-01-01', cohortEnd: '2024-02-01', maxLagDays: 30 };
    const history = await warehouse.readHistory({ asOf: '2024-02-01', since: '2024-01-01', conversion: { ...window, mqlToSql: { ...window, lookBackDays: 30 } } });
    const on = (stage: 'sqls' | 'sqos') => history.daily.filter((d) => d[stage] > 0).map((d) => d.date).sort();
    // a2's SQL moved from nothing to 01-10 and it became an SQO on 01-12; a1 and a3 kept theirs.
    expect(on('sqls')).toEqual(['2024-01-04', '2024-01-05', '2024-01-10']);
    expect(on('sqos')).toEqual(['2024-01-09', '2024-01-12']);
    expect(await warehouse.importLeads(daily, { upsert: true })).toMatchObject({ imported: 0, added: 0, updated: 0, unchanged: 3, totalLeads: 4 });
  });

  it('refuses an upsert that would leave a lead breaking the contract, and changes nothing', async () => {
    await warehouse.importLeads(await csv('first.csv', [HEADER, ...GOOD]));
    const before = await warehouse.describeData();
    const broken = await csv('broken.csv', [HEADER, 'b1,Web,organic,Other,2024-01-11,,', 'a1,Paid Search,google,Outbound,2024-01-02,2024-01-05,2024-01-04']);
    expect(await problemsOf(warehouse.importLeads(broken, { upsert: true }))).toEqual([
      { where: 'broken.csv line 3 column sqo_date', message: 'SQO on 2024-01-04 is before its SQL on 2024-01-05' },
    ]);
    const twice = await csv('twice.csv', [HEADER, 'b1,Web,organic,Other,2024-01-11,,', 'b1,Web,organic,Other,2024-01-12,,']);
    expect(await problemsOf(warehouse.importLeads(twice, { upsert: true }))).toEqual([
      { where: 'twice.csv line 3 column lead_id', message: 'lead_id "b1" repeats the one on twice.csv line 2' },
    ]);
    expect(await warehouse.describeData()).toEqual(before);
    const both = await warehouse.importLeads(broken, { upsert: true, replace: true }).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(ConfigError);
  });

  it('names the row of a Parquet file that breaks a rule, typed dates or text', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const typed = join(dir, 'typed.parquet');
    const text = join(dir, 'text.parquet');
    await connection.run(`COPY (SELECT * FROM (VALUES ('p1', 'Web', 'organic', 'Other', DATE '2024-01-05', DATE '2024-01-04', NULL::DATE),
      ('p2', 'Web', 'organic', 'Other', DATE '2024-01-05', NULL, NULL)) t(${HEADER})) TO '${typed}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT * FROM (VALUES ('p1', 'Web', 'organic', 'Other', '2024-01-05', '', NULL), ('p2', 'Web', 'organic', 'Other', '05/01/2024', NULL, NULL))
      t(${HEADER})) TO '${text}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    expect(await problemsOf(warehouse.importLeads(typed))).toEqual([
      { where: 'typed.parquet row 1 column sql_date', message: 'SQL on 2024-01-04 is before its MQL on 2024-01-05' },
    ]);
    expect(await problemsOf(warehouse.importLeads(text))).toEqual([{ where: 'text.parquet row 2 column mql_date', message: `"05/01/2024" ${NOT}` }]);
    expect((await warehouse.importLeads(text, { dateFormat: '%d/%m/%Y' })).imported).toBe(2);
  });

  const cases: { name: string; lines: string[]; expected: Problem[] }[] = [
    {
      name: 'an empty required key',
      lines: [HEADER, GOOD[0] ?? '', ' ,Web,organic,Other,2024-01-02,,'],
      expected: [{ where: 'bad.csv line 3 column lead_id', message: 'is empty; every lead needs one' }],
    },
    {
      name: 'a missing mql_date',
      lines: [HEADER, 'x1,Web,organic,Other,,,'],
      expected: [{ where: 'bad.csv line 2 column mql_date', message: 'is empty; every lead needs one' }],
    },
    {
      name: 'an impossible date',
      lines: [HEADER, 'x1,Web,organic,Other,2024-02-30,,'],
      expected: [{ where: 'bad.csv line 2 column mql_date', message: '"2024-02-30" is not a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. \'%d/%m/%Y\')' }],
    },
    {
      name: 'a date in another format',
      lines: [HEADER, 'x1,Web,organic,Other,2024-01-02,02/01/2024,'],
      expected: [{ where: 'bad.csv line 2 column sql_date', message: '"02/01/2024" is not a date written YYYY-MM-DD (a time after it is fine; for another format pass --date-format, e.g. \'%d/%m/%Y\')' }],
    },
    {
      // Today comes from the clock, so a date centuries ahead is after it whenever the test runs.
      name: 'a stage date after today',
      lines: [HEADER, 'x1,Web,organic,Other,2024-01-05,2204-01-06,'],
      expected: [{ where: 'bad.csv line 2 column sql_date', message: expect.stringMatching(/^2204-01-06 is after today \(\d{4}-\d{2}-\d{2}\): a lead cannot reach a stage in the future$/) }],
    },
    {
      name: 'an SQL before its MQL',
      lines: [HEADER, 'x1,Web,organic,Other,2024-01-05,2024-01-04,'],
      expected: [{ where: 'bad.csv line 2 column sql_date', message: 'SQL on 2024-01-04 is before its MQL on 2024-01-05' }],
    },
    {
      name: 'an SQO before its SQL',
      lines: [HEADER, 'x1,Web,organic,Other,2024-01-05,2024-01-06,2024-01-05'],
      expected: [{ where: 'bad.csv line 2 column sqo_date', message: 'SQO on 2024-01-05 is before its SQL on 2024-01-06' }],
    },
    {
      name: 'an SQO without an SQL',
      lines: [HEADER, 'x1,Web,organic,Other,2024-01-05,,2024-01-07'],
      expected: [
        {
          where: 'bad.csv line 2 column sqo_date',
          message: 'SQO on 2024-01-07 but sql_date is empty: a lead becomes an SQL before an SQO',
        },
      ],
    },
    {
      name: 'a duplicate lead id',
      lines: [HEADER, ...GOOD, GOOD[1] ?? ''],
      expected: [{ where: 'bad.csv line 5 column lead_id', message: 'lead_id "a2" repeats the one on bad.csv line 3' }],
    },
    {
      name: 'an unknown super-segment',
      lines: [HEADER, 'x1,Web,organic,Partners,2024-01-05,,'],
      expected: [
        { where: 'superSegments (config)', message: `the leads name super-segments the config does not list: set superSegments in the config file (funnelcast.config.yaml or --config) to your leads' segments with this line:\n      superSegments: [Other, Partners]` },
        {
          where: 'bad.csv line 2 column super_segment',
          message: '"Partners" is not one of: Outbound, Inbound_Marketing, Other',
        },
      ],
    },
    {
      name: 'a missing column',
      lines: ['lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date', 'x1,Web,organic,Other,2024-01-05,'],
      expected: [
        {
          where: 'bad.csv column sqo_date',
          message:
            'is missing; expected columns: lead_id, channel_grouping_name, original_source, super_segment, mql_date, sql_date, sqo_date',
        },
      ],
    },
    {
      name: 'an unknown column',
      lines: [`${HEADER},owner`, `${GOOD[0] ?? ''},ann`],
      expected: [
        {
          where: 'bad.csv column owner',
          message:
            'is not part of the leads contract; expected columns: lead_id, channel_grouping_name, original_source, super_segment, mql_date, sql_date, sqo_date',
        },
      ],
    },
    {
      name: 'a header without data rows',
      lines: [HEADER],
      expected: [{ where: 'bad.csv', message: 'has no data rows: the leads history is empty' }],
    },
    {
      name: 'a line with too few fields',
      lines: [HEADER, GOOD[0] ?? '', 'x1,Web,organic'],
      expected: [
        { where: 'bad.csv line 3', message: expect.stringContaining('malformed CSV line (missing columns') as string },
      ],
    },
  ];

  it.each(cases)('refuses $name, naming file, line, column and rule, and imports nothing', async ({ lines, expected }) => {
    await warehouse.insertLeads([
      { lead_id: 'kept', channel_grouping_name: 'Web', original_source: 'organic', super_segment: 'Other',
        mql_date: '2023-12-01', sql_date: null, sqo_date: null },
    ]);
    expect(await problemsOf(warehouse.importLeads(await csv('bad.csv', lines)))).toEqual(expected);
    expect((await warehouse.describeData())?.leads).toBe(1);
    // A replace is written straight into the table and checked there: the same rows roll it back (the segments hint
    // differs: a replace forgets the segments already there).
    const rows = (problems: readonly Problem[]) => problems.filter((p) => p.where !== 'superSegments (config)');
    expect(rows(await problemsOf(warehouse.importLeads(await csv('bad.csv', lines), { replace: true })))).toEqual(rows(expected));
    expect((await warehouse.describeData())?.leads).toBe(1);
  });

  it('refuses a missing file, an empty file, an unreadable file and an unknown extension', async () => {
    expect(await problemsOf(warehouse.importLeads(join(dir, 'nope.csv')))).toEqual([
      { where: 'nope.csv', message: `file not found: ${join(dir, 'nope.csv')}` },
    ]);
    expect(await problemsOf(warehouse.importLeads(await csv('empty.csv', [])))).toEqual([
      { where: 'empty.csv', message: `is empty: expected a header line (${HEADER}) and data rows` },
    ]);
    const notParquet = await problemsOf(warehouse.importLeads(await csv('leads.parquet', [HEADER])));
    expect(notParquet).toEqual([{ where: 'leads.parquet', message: expect.stringMatching(/^cannot be read: /) as string }]);
    expect(await problemsOf(warehouse.importLeads(await csv('leads.txt', [HEADER])))).toEqual([
      { where: 'leads.txt', message: 'unsupported file type ".txt": use .csv or .parquet' },
    ]);
  });

  it('counts every row and each rule, and shows twenty examples taking every broken rule in turn', async () => {
    const bad = Array.from({ length: 500 }, (_, i) => `d${i},Web,organic,Other,2024-01-05,2024-01-01,`);
    const error = await warehouse
      .importLeads(await csv('many.csv', [HEADER, ...bad, 'z1,Web,organic,Nope,2024-13-01,,']))
      .then(() => undefined, (e: unknown) => e as InputError);
    if (!(error instanceof InputError)) throw new Error(`expected an InputError, got ${String(error)}`);
    expect(error.counts).toEqual([
      { rule: 'mql_date must be a date', rows: 1 },
      { rule: 'sql_date must not be before mql_date', rows: 500 },
      { rule: 'super_segment must be a configured super-segment', rows: 1 },
    ]);
    expect(error.message.split('\n').slice(0, 5)).toEqual([
      'many.csv: 501 rows break the leads contract (first 19 shown); nothing was imported:',
      '  rows per rule:',
      '      1  mql_date must be a date',
      '    500  sql_date must not be before mql_date',
      '      1  super_segment must be a configured super-segment',
    ]);
    expect(error.message).not.toContain('more');
    const [hint, ...examples] = error.problems;
    expect(hint).toEqual({
      where: 'superSegments (config)',
      message: expect.stringMatching(/set superSegments in the config file.*:\n {6}superSegments: \[Nope, Other\]$/) as string,
    });
    expect(examples).toHaveLength(19);
    expect(examples.filter((p) => p.message.startsWith('SQL on'))).toHaveLength(17);
    expect(examples[0]?.where).toBe('many.csv line 2 column sql_date');
    expect(examples).toContainEqual({ where: 'many.csv line 502 column mql_date', message: `"2024-13-01" ${NOT}` });
    expect(examples).toContainEqual({ where: 'many.csv line 502 column super_segment', message: '"Nope" is not one of: Outbound, Inbound_Marketing, Other' });
    expect(await warehouse.describeData()).toBeNull();
  });

  it('keeps the day of a timestamp, ISO or with a space, and reads another format given as --date-format', async () => {
    const stamped = await csv('stamped.csv', [
      HEADER,
      't1,Web,organic,Other,2024-01-02 00:00:00,2024-01-03T10:20:30Z,',
      't2,Web,organic,Other,2024-01-02T23:59:59.123+02:00,,',
    ]);
    expect((await warehouse.importLeads(stamped)).imported).toBe(2);
    const european = await csv('european.csv', [HEADER, 'e1,Web,organic,Other,31/01/2024,02/02/2024,', 'e2,Web,organic,Other,2024-02-01,,']);
    const phases: string[] = [];
    const summary = await warehouse.importLeads(european, { dateFormat: '%d/%m/%Y', onPhase: (phase, rows) => phases.push(`${phase} ${rows}`) });
    expect(summary.imported).toBe(2);
    expect(phases).toEqual(['read 0', 'check 2', 'write 2']);
    const window = { cohortStart: '2024-01-01', cohortEnd: '2024-03-01', maxLagDays: 30 };
    const history = await warehouse.readHistory({
      asOf: '2024-03-01',
      since: '2024-01-01',
      conversion: { ...window, mqlToSql: { ...window, lookBackDays: 30 } },
    });
    expect(history.daily.filter((d) => d.sqls > 0).map((d) => d.date).sort()).toEqual(['2024-01-03', '2024-02-02']);
    expect(await problemsOf(warehouse.importLeads(await csv('us.csv', [HEADER, 'u1,Web,organic,Other,01/31/2024,,']), { dateFormat: '%d/%m/%Y' }))).toEqual([
      { where: 'us.csv line 2 column mql_date', message: '"01/31/2024" is not a date written YYYY-MM-DD or as --date-format %d/%m/%Y' },
    ]);
    const badFormat = await warehouse.importLeads(european, { dateFormat: '%Q' }).catch((e: unknown) => e);
    expect(badFormat).toBeInstanceOf(ConfigError);
  });
});

describe('super-segments as revenue teams name them', () => {
  it('accepts names with spaces, hyphens, ampersands and quotes, and refuses others naming the list', async () => {
    const named = await createDuckDbWarehouse({
      path: join(dir, 'named.duckdb'),
      superSegments: ['Mid-Market', 'Partner & Alliances', "Founders' Club", "x') OR TRUE --"],
    });
    try {
      const file = await csv('named.csv', [
        HEADER,
        'L1,Paid Search,google,Mid-Market,2024-01-02,,',
        'L2,Partners,referral,Partner & Alliances,2024-01-03,2024-01-05,',
        `L3,Events,summit,Founders' Club,2024-01-04,,`,
      ]);
      expect((await named.importLeads(file)).imported).toBe(3);
      expect((await named.describeData())?.superSegments).toEqual(["Founders' Club", 'Mid-Market', 'Partner & Alliances']);
      const other = await csv('other.csv', [HEADER, 'L9,Paid Search,google,Enterprise,2024-01-02,,']);
      expect(await problemsOf(named.importLeads(other))).toEqual([
        { where: 'superSegments (config)', message: `the leads name super-segments the config does not list: set superSegments in the config file (funnelcast.config.yaml or --config) to your leads' segments with this line:\n      superSegments: [Enterprise, "Founders' Club", "Mid-Market", "Partner & Alliances"]` },
        { where: 'other.csv line 2 column super_segment', message: `"Enterprise" is not one of: Mid-Market, Partner & Alliances, Founders' Club, x') OR TRUE --` },
      ]);
    } finally {
      await named.close();
    }
  });
});

describe('insertLeads', () => {
  const row = (i: number, overrides: Partial<LeadRow> = {}): LeadRow => ({
    lead_id: `r${i}`,
    channel_grouping_name: `ch${i % 7}`,
    original_source: `src${i % 5}`,
    super_segment: i % 2 ? 'Outbound' : 'Other',
    mql_date: `2024-0${1 + (i % 9)}-1${i % 10}`,
    sql_date: i % 3 ? null : `2024-0${1 + (i % 9)}-2${i % 10}`,
    sqo_date: i % 6 ? null : `2024-0${1 + (i % 9)}-2${(i % 10) + 0}`,
    ...overrides,
  });

  it('applies the same rules to in-memory rows, naming them by index', async () => {
    const rows = [row(1), row(2, { sql_date: '2023-01-01' }), row(3, { lead_id: 'r1' })];
    expect(await problemsOf(warehouse.insertLeads(rows))).toEqual([
      { where: 'rows[1] column sql_date', message: 'SQL on 2023-01-01 is before its MQL on 2024-03-12' },
      { where: 'rows[2] column lead_id', message: 'lead_id "r1" repeats the one on rows[0]' },
    ]);
    expect(await warehouse.describeData()).toBeNull();
  });

  it('appends many rows through the appender and aggregates them', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => row(i));
    const summary = await warehouse.insertLeads(rows);
    expect(summary).toEqual({ source: 'rows', mode: 'append', imported: 30_000, added: 30_000, updated: 0, unchanged: 0, totalLeads: 30_000 });
    const history = await warehouse.readHistory({
      asOf: '2025-01-01',
      since: '2024-01-01',
      conversion: {
        cohortStart: '2024-01-01',
        cohortEnd: '2025-01-01',
        maxLagDays: 30,
        mqlToSql: { cohortStart: '2024-01-01', cohortEnd: '2025-01-01', maxLagDays: 30, lookBackDays: 30 },
      },
    });
    const total = (key: 'mqls' | 'sqls' | 'sqos') => history.daily.reduce((sum, d) => sum + d[key], 0);
    expect([total('mqls'), total('sqls'), total('sqos')]).toEqual([
      30_000,
      rows.filter((r) => r.sql_date).length,
      rows.filter((r) => r.sqo_date).length,
    ]);
  });
});

describe('parseCsvLine', () => {
  it('splits on commas outside quotes and unescapes doubled quotes', () => {
    expect(parseCsvLine('a, "b,c" ,"say ""hi"""')).toEqual(['a', 'b,c', 'say "hi"']);
  });
});
