import {
  addDays,
  calendarParts,
  MSTL_ETS,
  V3_RIDGE,
  daysBetween,
  type FunnelHistory,
  type MqlToSqlHistory,
  type HistoryRequest,
  type LeadRow,
  type MappingRow,
  type ModelSelectionRow,
  type ProductionRow,
  type RunRecord,
} from '@funnelcast/core';

const lead = (
  id: string,
  segment: string,
  channel: string,
  source: string,
  mql: string,
  sql: string | null = null,
  sqo: string | null = null,
): LeadRow => ({
  lead_id: id,
  channel_grouping_name: channel,
  original_source: source,
  super_segment: segment,
  mql_date: mql,
  sql_date: sql,
  sqo_date: sqo,
});

/** Hand-made leads whose history at {@link HISTORY_REQUEST} is worked out by hand in {@link EXPECTED_HISTORY}. */
export const LEADS: readonly LeadRow[] = [
  lead('L1', 'Outbound', 'Paid Search', 'google', '2024-02-01', '2024-02-03', '2024-02-10'),
  // Open at the as-of date: SQL on 02-05, no SQO; age 25 days on 2024-03-01 (2024 is a leap year).
  lead('L2', 'Outbound', 'Paid Search', 'google', '2024-02-01', '2024-02-05'),
  lead('L3', 'Outbound', 'Events', 'expo', '2024-01-15', '2024-01-20', '2024-01-20'),
  // Its SQO falls after the as-of date: not counted anywhere, and the SQL is still open (age 1).
  lead('L4', 'Inbound_Marketing', 'Web', 'organic', '2024-02-28', '2024-02-29', '2024-03-02'),
  // An MQL on the as-of date itself is not history yet.
  lead('L5', 'Inbound_Marketing', 'Web', 'organic', '2024-03-01'),
  // Before `since`: outside the daily counts, inside the span.
  lead('L6', 'Outbound', 'Paid Search', 'google', '2023-12-01'),
  lead('L7', 'Inbound_Marketing', 'Web', 'organic', '2024-02-28'),
];

/** The question asked of {@link LEADS}. */
export const HISTORY_REQUEST: HistoryRequest = {
  asOf: '2024-03-01',
  since: '2024-01-01',
  conversion: {
    cohortStart: '2024-01-01',
    cohortEnd: '2024-03-01',
    maxLagDays: 30,
    // Matured MQLs: L1 (lag 2), L2 (lag 4) and L3 (lag 5), the last two beyond 3 days; L6 never converted.
    mqlToSql: { cohortStart: '2023-12-01', cohortEnd: '2024-02-20', maxLagDays: 3, lookBackDays: 40 },
  },
};

const lagCounts = Array.from({ length: 31 }, (_, k) => (k === 0 || k === 7 ? 1 : 0));
const grain = (superSegment: string, channel: string, source: string) => ({ superSegment, channel, source });
const outboundGoogle = grain('Outbound', 'Paid Search', 'google');
const outboundExpo = grain('Outbound', 'Events', 'expo');
const inboundWeb = grain('Inbound_Marketing', 'Web', 'organic');

/** The answer to {@link HISTORY_REQUEST}, worked out by hand; arrays sorted as {@link sortHistory} sorts them. */
export const EXPECTED_HISTORY: FunnelHistory = {
  asOf: '2024-03-01',
  daily: [
    { date: '2024-01-15', ...outboundExpo, mqls: 1, sqls: 0, sqos: 0 },
    { date: '2024-01-20', ...outboundExpo, mqls: 0, sqls: 1, sqos: 1 },
    { date: '2024-02-01', ...outboundGoogle, mqls: 2, sqls: 0, sqos: 0 },
    { date: '2024-02-03', ...outboundGoogle, mqls: 0, sqls: 1, sqos: 0 },
    { date: '2024-02-05', ...outboundGoogle, mqls: 0, sqls: 1, sqos: 0 },
    { date: '2024-02-10', ...outboundGoogle, mqls: 0, sqls: 0, sqos: 1 },
    { date: '2024-02-28', ...inboundWeb, mqls: 2, sqls: 0, sqos: 0 },
    { date: '2024-02-29', ...inboundWeb, mqls: 0, sqls: 1, sqos: 0 },
  ],
  spans: [
    { ...inboundWeb, firstDate: '2024-02-28', lastDate: '2024-02-29' },
    { ...outboundExpo, firstDate: '2024-01-15', lastDate: '2024-01-20' },
    { ...outboundGoogle, firstDate: '2023-12-01', lastDate: '2024-02-10' },
  ],
  conversion: {
    cohorts: [
      { ...inboundWeb, sqls: 1, sqos: 0 },
      { ...outboundExpo, sqls: 1, sqos: 1 },
      { ...outboundGoogle, sqls: 2, sqos: 1 },
    ],
    lagCounts,
    openSqls: [
      { ...inboundWeb, ageDays: 1, count: 1 },
      { ...outboundGoogle, ageDays: 25, count: 1 },
    ],
    mqlToSql: {
      // Ages 1 … 40 (MQLs from 2024-01-21): L4 and L7 (age 2, L4's SQL on 02-29 counted), L1 and L2 (age 29). L3 is
      // 46 days old, L5 dated on the as-of date.
      byAge: [
        { ...inboundWeb, ageDays: 2, mqls: 2, sqls: 1 },
        { ...outboundGoogle, ageDays: 29, mqls: 2, sqls: 2 },
      ],
      lagCounts: [0, 0, 1, 0],
      laterSqls: 2,
    },
  },
};

/**
 * A few hundred leads drawn by a fixed rule (a linear congruential generator, so every run and every warehouse sees
 * the same leads): three combinations in two super-segments over 2024, about 60% becoming SQLs 0–90 days after their
 * MQL, some of them after {@link SIMULATED_REQUEST}'s as-of date. Their answer comes from {@link recountMqlToSql}.
 */
export const SIMULATED_LEADS: readonly LeadRow[] = (() => {
  let state = 20240601;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const grains = [
    ['Outbound', 'Paid Search', 'google'],
    ['Outbound', 'Events', 'expo'],
    ['Inbound_Marketing', 'Web', 'organic'],
  ] as const;
  return Array.from({ length: 400 }, (_, i) => {
    const [segment, channel, source] = grains[Math.floor(next() * grains.length)]!;
    const mql = addDays('2024-01-01', Math.floor(next() * 240));
    const sql = next() < 0.6 ? addDays(mql, Math.floor(next() ** 2 * 90)) : null;
    return lead(`S${i}`, segment, channel, source, mql, sql);
  });
})();

/** The question asked of {@link SIMULATED_LEADS}: an as-of date with leads on both sides of it. */
export const SIMULATED_REQUEST: HistoryRequest = {
  asOf: '2024-07-15',
  since: '2024-01-01',
  conversion: {
    cohortStart: '2024-01-01',
    cohortEnd: '2024-06-15',
    maxLagDays: 30,
    mqlToSql: { cohortStart: '2024-01-10', cohortEnd: '2024-05-16', maxLagDays: 60, lookBackDays: 75 },
  },
};

/** The MQL→SQL facts of `request`, recounted lead by lead: what every warehouse's SQL must agree with. */
export function recountMqlToSql(leads: readonly LeadRow[], request: HistoryRequest): MqlToSqlHistory {
  const { asOf } = request;
  const { cohortStart, cohortEnd, maxLagDays, lookBackDays } = request.conversion.mqlToSql;
  const lagCounts = Array.from({ length: maxLagDays + 1 }, () => 0);
  let laterSqls = 0;
  const byAge = new Map<string, MqlToSqlHistory['byAge'][number]>();
  for (const l of leads) {
    const converted = l.sql_date !== null && l.sql_date < asOf;
    if (converted && l.mql_date >= cohortStart && l.mql_date < cohortEnd) {
      const lag = daysBetween(l.mql_date, l.sql_date!);
      if (lag > maxLagDays) laterSqls += 1;
      else lagCounts[lag]! += 1;
    }
    const ageDays = daysBetween(l.mql_date, asOf);
    if (ageDays < 1 || ageDays > lookBackDays) continue;
    const key = [l.super_segment, l.channel_grouping_name, l.original_source, ageDays].join('|');
    const prior = byAge.get(key);
    byAge.set(key, {
      superSegment: l.super_segment,
      channel: l.channel_grouping_name,
      source: l.original_source,
      ageDays,
      mqls: (prior?.mqls ?? 0) + 1,
      sqls: (prior?.sqls ?? 0) + (converted ? 1 : 0),
    });
  }
  return { byAge: [...byAge.values()].sort(byKeys(['superSegment', 'channel', 'source', 'ageDays'])), lagCounts, laterSqls };
}

const byKeys = <T>(keys: readonly (keyof T)[]) => (a: T, b: T) => {
  for (const key of keys) {
    const [x, y] = [a[key], b[key]];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
};

/** A history with its arrays in one canonical order, so implementations may return rows in any order. */
export function sortHistory(history: FunnelHistory): FunnelHistory {
  const grainKeys = ['superSegment', 'channel', 'source'] as const;
  return {
    ...history,
    daily: [...history.daily].sort(byKeys(['date', ...grainKeys])),
    spans: [...history.spans].sort(byKeys(grainKeys)),
    conversion: history.conversion && {
      ...history.conversion,
      cohorts: [...history.conversion.cohorts].sort(byKeys(grainKeys)),
      openSqls: [...history.conversion.openSqls].sort(byKeys([...grainKeys, 'ageDays'])),
      mqlToSql: {
        ...history.conversion.mqlToSql,
        byAge: [...history.conversion.mqlToSql.byAge].sort(byKeys([...grainKeys, 'ageDays'])),
      },
    },
  };
}

/** A run record with every column set, as the pipeline writes it. */
export function runRecord(runId: string, asOf: string, startedAt: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: runId,
    as_of: asOf,
    status: 'running',
    config_hash: '0123456789abcdef',
    horizon: 3,
    mql_model: MSTL_ETS,
    sql_model: V3_RIDGE,
    started_at: startedAt,
    finished_at: null,
    published_at: null,
    timings_json: '{"history":12,"models":340}',
    row_count: null,
    mapping_row_count: null,
    error: null,
    warnings_json: null,
    owner: 'conformance-host:4242',
    heartbeat_at: startedAt,
    request_id: null,
    ...overrides,
  };
}

const COMBINATIONS = [
  { channel: 'Paid Search', source: 'google' },
  { channel: 'Web', source: 'organic' },
] as const;

/**
 * Production rows of a run: one ACTUAL day before `asOf` and `horizon` FORECAST days from it, per combination.
 * `scale` changes every value so two versions of a run are told apart.
 */
export function productionRows(runId: string, asOf: string, horizon = 3, scale = 1): ProductionRow[] {
  const rows: ProductionRow[] = [];
  for (const [c, { channel, source }] of COMBINATIONS.entries()) {
    for (let day = -1; day < horizon; day++) {
      const date = addDays(asOf, day);
      const { year, quarter, month } = calendarParts(date);
      const actual = day < 0;
      const v = scale * (c + 1) * (day + 2) + 0.25;
      const stage = (base: number) => ({
        actual: actual ? Math.round(base) : null,
        forecast: actual ? null : base,
        lower_95: actual ? null : base / 4,
        lower_50: actual ? null : base / 2,
        upper_50: actual ? null : base * 1.5,
        upper_95: actual ? null : base * 3,
        combined: actual ? Math.round(base) : base,
        mtd: base * 10,
        qtd: base * 20,
        own_var: actual ? null : base,
        shared_sd: actual ? null : base / 3,
      });
      const [m, s, o] = [stage(v * 4), stage(v), stage(v / 8)];
      rows.push({
        Channel_Grouping_Name: channel,
        Original_source: source,
        date_day: date,
        data_type: actual ? 'ACTUAL' : 'FORECAST',
        mqls_actual: m.actual, mqls_forecast: m.forecast, mqls_lower_95: m.lower_95, mqls_lower_50: m.lower_50,
        mqls_upper_50: m.upper_50, mqls_upper_95: m.upper_95, mqls_combined: m.combined, mqls_mtd: m.mtd, mqls_qtd: m.qtd,
        sqls_actual: s.actual, sqls_forecast: s.forecast, sqls_lower_95: s.lower_95, sqls_lower_50: s.lower_50,
        sqls_upper_50: s.upper_50, sqls_upper_95: s.upper_95, sqls_combined: s.combined, sqls_mtd: s.mtd, sqls_qtd: s.qtd,
        sqos_actual: o.actual, sqos_forecast: o.forecast, sqos_lower_95: o.lower_95, sqos_lower_50: o.lower_50,
        sqos_upper_50: o.upper_50, sqos_upper_95: o.upper_95, sqos_combined: o.combined, sqos_mtd: o.mtd, sqos_qtd: o.qtd,
        quarter,
        month,
        year,
        sql_to_sqo_rate: 0.125 * (c + 1),
        mql_model: MSTL_ETS,
        sql_model: V3_RIDGE,
        run_id: runId,
        as_of: asOf,
        generated_at: '2024-03-01T06:07:08.123Z',
        mqls_own_var: m.own_var, mqls_shared_sd: m.shared_sd,
        sqls_own_var: s.own_var, sqls_shared_sd: s.shared_sd,
        sqos_own_var: o.own_var, sqos_shared_sd: o.shared_sd,
      });
    }
  }
  return rows;
}

/** Mapping rows of a run: two segments, one of them split by the equal fallback. */
export function mappingRows(runId: string, asOf: string): MappingRow[] {
  const window = { window_start: addDays(asOf, -180), window_end: asOf, run_id: runId };
  return [
    { super_segment: 'Inbound_Marketing', Channel_Grouping_Name: 'Web', Original_source: 'organic', sql_count: 0,
      super_segment_total: 0, normalized_fraction: 1, weight_method: 'equal_fallback', ...window },
    { super_segment: 'Outbound', Channel_Grouping_Name: 'Paid Search', Original_source: 'google', sql_count: 30,
      super_segment_total: 40, normalized_fraction: 0.75, weight_method: 'historical', ...window },
    { super_segment: 'Outbound', Channel_Grouping_Name: 'Web', Original_source: 'organic', sql_count: 10,
      super_segment_total: 40, normalized_fraction: 0.25, weight_method: 'exposure_adjusted', ...window },
  ];
}

/**
 * Model-selection rows of a run, in the order `readModelSelection` returns them: MQLs chosen for all series at once
 * (NULL super-segment) with a blend, SQLs per segment with NULL scores where a candidate could not be scored. `scale`
 * changes the scores so two versions of a run are told apart.
 */
export function selectionRows(runId: string, scale = 1): ModelSelectionRow[] {
  const row = (stage: string, superSegment: string | null, candidate: string, wape: number | null, pinball: number | null, weight: number, chosen: boolean) =>
    ({ run_id: runId, stage, super_segment: superSegment, candidate, origins: 3, wape: wape === null ? null : wape * scale, pinball, weight, chosen });
  return [
    row('mqls', null, 'blend:mstl-ets+seasonal-naive', 0.25, 0.5, 1, true),
    row('mqls', null, 'mstl-ets', 0.375, 0.625, 0, false),
    row('mqls', null, 'seasonal-naive', 0.5, 0.75, 0, false),
    row('sqls', 'Inbound_Marketing', 'funnel-cohort', null, null, 0, false),
    row('sqls', 'Inbound_Marketing', 'v3-ridge', 0.625, 1.25, 1, true),
    row('sqls', 'Outbound', 'funnel-cohort', 0.125, 0.25, 1, true),
    row('sqls', 'Outbound', 'v3-ridge', 0.75, 1.5, 0, false),
  ];
}
