import { fromDayNumber, toDayNumber, type IsoDate, type LeadRow } from '@funnelcast/core';
import { demoProcess, type DemoCell } from './demo-process.js';
import { resolveDemoOptions, type DemoOptions } from './demo-options.js';
import { NO_DAY, simulateLeads } from './simulate-leads.js';

/**
 * Generated leads stored column-wise (a few typed arrays instead of a million objects), in MQL-date order. Read
 * them with {@link leadAt} or {@link iterateLeads}.
 */
export interface LeadColumns {
  readonly length: number;
  /** The cells (super-segment × combination) that `cell` indexes. */
  readonly cells: readonly DemoCell[];
  readonly cell: Uint16Array;
  /** Day numbers (days since 1970-01-01). */
  readonly mqlDay: Int32Array;
  /** Day numbers, {@link NO_DAY} when not reached by the snapshot. */
  readonly sqlDay: Int32Array;
  /** Day numbers, {@link NO_DAY} when not reached by the snapshot. */
  readonly sqoDay: Int32Array;
  /** The lead's number among its combination's leads of its MQL day (part of its id). */
  readonly serial: Uint32Array;
}

/**
 * Generates the demo's leads as a snapshot at `end + futureDays`: MQLs dated in `[start, end + futureDays)`, stage
 * dates on or after that day left null (not reached yet). Pure and seeded: the same options give the same leads.
 */
export function generateLeadColumns(options: DemoOptions): LeadColumns {
  const resolved = resolveDemoOptions(options);
  const process = demoProcess(resolved);
  const fromDay = toDayNumber(resolved.start);
  const toDay = toDayNumber(resolved.end) + resolved.futureDays;
  let capacity = 1024;
  for (let day = fromDay; day < toDay; day++) {
    for (let index = 0; index < process.combinations.length; index++) capacity += process.mqlMean(day, index);
  }
  capacity = Math.ceil(capacity * 1.05 + 6 * Math.sqrt(capacity));
  let cell = new Uint16Array(capacity);
  let mqlDay = new Int32Array(capacity);
  let sqlDay = new Int32Array(capacity);
  let sqoDay = new Int32Array(capacity);
  let serial = new Uint32Array(capacity);
  let length = 0;
  const grow = <T extends Uint16Array | Int32Array | Uint32Array>(array: T, make: (n: number) => T): T => {
    const bigger = make(array.length * 2);
    bigger.set(array);
    return bigger;
  };
  simulateLeads(process, resolved.seed, fromDay, toDay, toDay, (c, m, s, o, n) => {
    if (length === cell.length) {
      cell = grow(cell, (k) => new Uint16Array(k));
      mqlDay = grow(mqlDay, (k) => new Int32Array(k));
      sqlDay = grow(sqlDay, (k) => new Int32Array(k));
      sqoDay = grow(sqoDay, (k) => new Int32Array(k));
      serial = grow(serial, (k) => new Uint32Array(k));
    }
    cell[length] = c;
    mqlDay[length] = m;
    sqlDay[length] = s;
    sqoDay[length] = o;
    serial[length] = n;
    length++;
  });
  return {
    length,
    cells: process.cells,
    cell: cell.subarray(0, length),
    mqlDay: mqlDay.subarray(0, length),
    sqlDay: sqlDay.subarray(0, length),
    sqoDay: sqoDay.subarray(0, length),
    serial: serial.subarray(0, length),
  };
}

// ISO strings repeat across leads; one string per day keeps a million records from holding a million copies.
function dateCache(): (day: number) => IsoDate {
  const cache = new Map<number, IsoDate>();
  return (day) => {
    let iso = cache.get(day);
    if (iso === undefined) {
      iso = fromDayNumber(day);
      cache.set(day, iso);
    }
    return iso;
  };
}

function recordReader(columns: LeadColumns): (index: number) => LeadRow {
  const iso = dateCache();
  return (index) => {
    const cell = columns.cells[columns.cell[index] ?? 0];
    const mql = columns.mqlDay[index];
    if (!cell || mql === undefined) throw new RangeError(`no lead #${index} (there are ${columns.length})`);
    const sql = columns.sqlDay[index] ?? NO_DAY;
    const sqo = columns.sqoDay[index] ?? NO_DAY;
    const mqlDate = iso(mql);
    return {
      lead_id: `L${mqlDate.replaceAll('-', '')}-${String(cell.combination).padStart(2, '0')}-${String(columns.serial[index] ?? 0).padStart(4, '0')}`,
      channel_grouping_name: cell.channel,
      original_source: cell.source,
      super_segment: cell.superSegment,
      mql_date: mqlDate,
      sql_date: sql === NO_DAY ? null : iso(sql),
      sqo_date: sqo === NO_DAY ? null : iso(sqo),
    };
  };
}

/** The lead at `index` of generated columns. */
export function leadAt(columns: LeadColumns, index: number): LeadRow {
  return recordReader(columns)(index);
}

/** Every lead of generated columns as a record, one at a time (no array of a million objects). */
export function* iterateLeads(columns: LeadColumns): Generator<LeadRow> {
  const read = recordReader(columns);
  for (let index = 0; index < columns.length; index++) yield read(index);
}

/**
 * The demo's leads as records: see {@link generateLeadColumns} for what is generated. About 4,400 leads for the
 * small profile over the default two years; prefer {@link generateLeadColumns} with {@link iterateLeads} for
 * millions.
 */
export function generateLeads(options: DemoOptions): LeadRow[] {
  return Array.from(iterateLeads(generateLeadColumns(options)));
}
