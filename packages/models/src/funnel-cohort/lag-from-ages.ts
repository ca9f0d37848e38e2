import { lagDistribution, type MqlToSqlHistory } from '@funnelcast/core';

/**
 * Converters the matured cohorts must hold before their lags are trusted as the MQL→SQL lag distribution: fewer, and
 * a young funnel (under `mqlLagDays` of history, say) would read as converting on the day.
 */
export const MIN_MATURED_CONVERTERS = 30;

/**
 * Pool-adjacent-violators: the non-decreasing sequence closest to `values` in weighted least squares. A day's cohort
 * converts by a given age in proportion to its completion, which only grows with age; single days are noisy.
 */
function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const blocks: { value: number; weight: number; size: number }[] = [];
  values.forEach((value, i) => {
    blocks.push({ value, weight: weights[i]!, size: 1 });
    while (blocks.length > 1 && blocks.at(-2)!.value > blocks.at(-1)!.value) {
      const last = blocks.pop()!;
      const previous = blocks.at(-1)!;
      const weight = previous.weight + last.weight;
      previous.value = weight > 0 ? (previous.value * previous.weight + last.value * last.weight) / weight : (previous.value + last.value) / 2;
      previous.weight = weight;
      previous.size += last.size;
    }
  });
  return blocks.flatMap((b) => new Array<number>(b.size).fill(b.value));
}

/**
 * The MQL→SQL lag distribution (pmf on days 0, 1, …, summing to the share converting within the counted lags): from
 * the matured cohorts' lags when they hold {@link MIN_MATURED_CONVERTERS}, else from the open cohorts themselves. Then
 * the share of each age's MQLs already converted, pooled over every grain and made non-decreasing in age, is
 * conversion × completion: its increments, scaled to the oldest age's share, are the pmf up to that age. It reads
 * only MQLs the look-back holds, so converters older than it are left out, as the matured lags leave out theirs.
 */
export function lagFromFacts(facts: MqlToSqlHistory): number[] {
  const matured = facts.lagCounts.reduce((sum, n) => sum + n, 0);
  if (matured >= MIN_MATURED_CONVERTERS) return lagDistribution(facts.lagCounts, facts.laterSqls);
  const maxAge = facts.byAge.reduce((max, row) => Math.max(max, row.ageDays), 0);
  const mqls = new Array<number>(maxAge + 1).fill(0);
  const sqls = new Array<number>(maxAge + 1).fill(0);
  for (const row of facts.byAge) {
    mqls[row.ageDays]! += row.mqls;
    sqls[row.ageDays]! += row.sqls;
  }
  // Ages 1 … maxAge: converted by then means a lag of at most age − 1 days.
  const ages = mqls.slice(1).map((_, i) => i + 1).filter((age) => mqls[age]! > 0);
  if (ages.length === 0 || sqls.every((n) => n === 0)) return lagDistribution(facts.lagCounts, facts.laterSqls);
  const converted = isotonic(ages.map((age) => sqls[age]! / mqls[age]!), ages.map((age) => mqls[age]!));
  const oldest = converted.at(-1)!;
  if (!(oldest > 0)) return lagDistribution(facts.lagCounts, facts.laterSqls);
  const cumulative = new Array<number>(maxAge + 1).fill(0);
  ages.forEach((age, i) => (cumulative[age] = converted[i]! / oldest));
  for (let age = 1; age <= maxAge; age++) cumulative[age] = Math.max(cumulative[age]!, cumulative[age - 1]!);
  // cumulative[a] = share of converters with lag < a, so pmf(k) = cumulative[k + 1] − cumulative[k].
  return Array.from({ length: maxAge }, (_, k) => cumulative[k + 1]! - cumulative[k]!);
}
