import type { BacktestResult, BacktestSummaryRow } from './backtest-types.js';

/** The model every ratio is taken against: the old per-combination way. */
export const BASELINE_MODEL = 'v1';

/**
 * Metric means over origins, each beside its ratio to {@link BASELINE_MODEL}. The signed error is compared by its
 * size (a −20% model is better than a −40% one whatever the signs), every other metric by its value.
 */
export function summariseBacktest(results: readonly BacktestResult[]): BacktestSummaryRow[] {
  const groups = new Map<string, { first: BacktestResult; values: number[] }>();
  for (const result of results) {
    const key = [result.model, result.level, result.stage, result.metric].join('|');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { first: result, values: [] }));
    if (result.value !== null) group.values.push(result.value);
  }
  const means = new Map<string, number | null>();
  for (const [key, { values }] of groups) means.set(key, values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null);
  return [...groups].map(([key, { first, values }]) => {
    const value = means.get(key) ?? null;
    const baseline = means.get([BASELINE_MODEL, first.level, first.stage, first.metric].join('|')) ?? null;
    const size = (v: number) => (first.metric === 'signed_pct_error' ? Math.abs(v) : v);
    const ratioToV1 = value !== null && baseline !== null && size(baseline) !== 0 ? size(value) / size(baseline) : null;
    return { model: first.model, level: first.level, stage: first.stage, metric: first.metric, value, ratioToV1, origins: values.length };
  });
}
