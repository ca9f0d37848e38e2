#!/usr/bin/env node
// The hotel booking demand data (Antonio, de Almeida & Nunes, Data in Brief 22, 2019; CC BY 4.0) read as leads, as
// its README suggests: a booking is an MQL on its booking date, an SQL on its arrival when not cancelled and an SQO
// on its check-out. Real, messy and high-volume: long and varying lags, a shifting channel mix, sparse cells.
// Only arrivals from 2015-07-01 to 2017-08-31 are in the data, so MQLs are complete only for bookings made from
// 2015-07-01 to about 2016-12: before, only long-lead bookings appear (about 1,000 a month against 4,000–7,000
// later, like an export that starts mid-stream); after, the late arrivals are missing. They are kept: a forecast
// must survive such a history, and dropping them would truncate the SQLs (arrivals) of 2015 instead.
// `node bench/hotel-leads.mjs [out.csv]` writes the CSV; `funnelcast --config bench/hotel.config.json import it`.
import { DuckDBInstance } from '@duckdb/node-api';
import { fileURLToPath } from 'node:url';

export const HOTEL_BOOKINGS = '/work/shared/data/hotel-bookings/hotel_bookings.csv.gz';

/** The super-segments of the hotel leads (config identifiers: letters, digits and underscores). */
export const HOTEL_SEGMENTS = ['City_Hotel', 'Resort_Hotel'];

const sqlString = (text) => `'${text.replaceAll("'", "''")}'`;

// Rows the leads contract refuses, each with the reason it gives; anything else imports.
const BREAKS = [
  ['a required field is empty', 'channel_grouping_name IS NULL OR original_source IS NULL OR super_segment IS NULL OR mql_date IS NULL'],
  ['sql_date before mql_date', 'sql_date < mql_date'],
  ['sqo_date before sql_date', 'sqo_date < sql_date'],
  ['sqo_date without sql_date', 'sqo_date IS NOT NULL AND sql_date IS NULL'],
];

/**
 * Writes the bookings as a leads CSV (`lead_id, channel_grouping_name, original_source, super_segment, mql_date,
 * sql_date, sqo_date`) to `outPath`, leaving out the rows the contract would refuse.
 * @returns how many bookings were read, written and left out (by reason), and the date span of the MQLs.
 */
export async function hotelLeadsCsv(outPath, source = HOTEL_BOOKINGS) {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const rows = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  try {
    // A table keeps file order in rowid, so lead_id is the booking's row number in the file.
    await db.run(`CREATE TABLE bookings AS SELECT * FROM read_csv(${sqlString(source)}, nullstr = ['NA', 'NULL'], sample_size = -1)`);
    await db.run(`
      CREATE VIEW mapped AS
      WITH b AS (
        SELECT rowid + 1 AS row_no, *,
          make_date(arrival_date_year::INT, month(strptime(arrival_date_month, '%B')), arrival_date_day_of_month::INT) AS arrival
        FROM bookings)
      SELECT
        CAST(row_no AS VARCHAR) AS lead_id,
        distribution_channel AS channel_grouping_name,
        market_segment AS original_source,
        replace(hotel, ' ', '_') AS super_segment,
        arrival - CAST(lead_time AS INTEGER) AS mql_date,
        CASE WHEN is_canceled = 0 THEN arrival END AS sql_date,
        CASE WHEN reservation_status = 'Check-Out' THEN reservation_status_date END AS sqo_date
      FROM b`);
    const broken = BREAKS.map(([, condition]) => `(${condition})`).join(' OR ');
    const [counts] = await rows(`
      SELECT count(*) AS bookings, count(*) FILTER (WHERE NOT coalesce(${broken}, false)) AS leads,
        ${BREAKS.map(([, condition], i) => `count(*) FILTER (WHERE coalesce(${condition}, false)) AS break_${i}`).join(', ')},
        CAST(min(mql_date) AS VARCHAR) AS first_mql, CAST(max(mql_date) AS VARCHAR) AS last_mql
      FROM mapped`);
    await db.run(`
      COPY (SELECT * FROM mapped WHERE NOT coalesce(${broken}, false) ORDER BY mql_date, CAST(lead_id AS INTEGER))
      TO ${sqlString(outPath)} (HEADER, DELIMITER ',')`);
    return {
      bookings: Number(counts.bookings),
      leads: Number(counts.leads),
      leftOut: Object.fromEntries(BREAKS.map(([reason], i) => [reason, Number(counts[`break_${i}`])])),
      firstMql: counts.first_mql,
      lastMql: counts.last_mql,
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? 'hotel-leads.csv';
  const summary = await hotelLeadsCsv(out);
  console.log(`wrote ${summary.leads} leads of ${summary.bookings} bookings to ${out} (MQLs ${summary.firstMql} … ${summary.lastMql})`);
  console.log('left out:', summary.leftOut);
}
