import type { ConversionCohort, ConversionHistory, HistoryRequest, MqlAgeCohort, OpenSqls } from './ports.js';

/** Lag counts as {@link ConversionHistory} carries them, and the converters later than the longest counted lag. */
export interface LagHistogram {
  /** `counts[k]` = converters `k` days after entering, k = 0 … maxLagDays. */
  readonly counts: number[];
  /** Converters more than `maxLagDays` after entering. */
  readonly later: number;
}

/**
 * The lag counts of a warehouse result: `[lag, n]` rows where every lag beyond `maxLagDays` (the warehouses fold
 * them into `maxLagDays + 1`) is a later converter. Lags come back in any order, and may be missing (none at that lag).
 */
export function lagHistogram(rows: Iterable<readonly [lag: number, n: number]>, maxLagDays: number): LagHistogram {
  const counts = Array.from({ length: maxLagDays + 1 }, () => 0);
  let later = 0;
  for (const [lag, n] of rows) {
    if (lag > maxLagDays) later += n;
    else if (lag >= 0) counts[lag] = (counts[lag] ?? 0) + n;
  }
  return { counts, later };
}

/** A warehouse's conversion results before assembly: per-grain rows, and lag rows of each stage as `[lag, n]`. */
export interface ConversionParts {
  readonly cohorts: readonly ConversionCohort[];
  readonly openSqls: readonly OpenSqls[];
  readonly mqlsByAge: readonly MqlAgeCohort[];
  /** SQL→SQO lags of the matured SQL cohorts, beyond the longest folded as {@link lagHistogram} reads them. */
  readonly sqoLags: Iterable<readonly [lag: number, n: number]>;
  /** MQL→SQL lags of the matured MQL cohorts, likewise. */
  readonly sqlLags: Iterable<readonly [lag: number, n: number]>;
}

/** The {@link ConversionHistory} both warehouses return, from their query results and the request that asked. */
export function conversionHistory(parts: ConversionParts, request: HistoryRequest['conversion']): ConversionHistory {
  const sqlLags = lagHistogram(parts.sqlLags, request.mqlToSql.maxLagDays);
  return {
    cohorts: parts.cohorts,
    lagCounts: lagHistogram(parts.sqoLags, request.maxLagDays).counts,
    openSqls: parts.openSqls,
    mqlToSql: { byAge: parts.mqlsByAge, lagCounts: sqlLags.counts, laterSqls: sqlLags.later },
  };
}
