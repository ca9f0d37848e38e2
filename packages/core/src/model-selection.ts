import type { ModelSelectionRow } from './columns.js';
import { countBounds } from './count-distribution.js';
import { meanPinball } from './metrics.js';
import type { PredictiveSeries } from './ports.js';

/**
 * Choosing a model by what it would have done on the team's own history (issue 9, "chosen by backtest"): each
 * candidate forecasts from a few recent origins, is scored against what then happened, and the best — a single model
 * or an equal blend of the two best — forecasts for real.
 */

/** What one origin of the selection backtest saw: each candidate's forecast of every unit, and the actuals. */
export interface SelectionOrigin {
  /** Actual daily counts per unit key over the scored days. */
  readonly actual: ReadonlyMap<string, readonly number[]>;
  /** Each candidate's forecasts (same units, at least as many days), by candidate name. */
  readonly forecasts: ReadonlyMap<string, readonly PredictiveSeries[]>;
}

/** How one candidate did, and what it weighs in the forecast. */
export interface CandidateScore {
  /** A model name, or `blend:a+b` for the equal blend of two. */
  readonly candidate: string;
  /** Origins scored. */
  readonly origins: number;
  /**
   * Σ|forecast − actual| / Σ actual over every unit's bucket totals at every origin, each origin weighted by its
   * recency ({@link RECENCY_HALF_LIFE}); null with no actuals.
   */
  readonly wape: number | null;
  /** Mean pinball loss of the daily 2.5/25/75/97.5% count quantiles; null with no scored day. */
  readonly pinball: number | null;
  /** Share of the final forecast (0 for losers); the weights of one selection sum to 1. */
  readonly weight: number;
  readonly chosen: boolean;
}

/** How the selection scores: bucket length and the margin a challenger needs over the default. */
export interface SelectionRule {
  /**
   * Days summed into one scored total: a week (7) scores the level and the weekly rhythm's placement, the whole
   * scored span scores the level alone.
   */
  readonly bucketDays: number;
  /**
   * The default model (the first candidate) keeps the stage unless a challenger's WAPE is lower by more than this
   * fraction: a handful of origins is noisy evidence, and on clean data the default is the better-founded model.
   */
  readonly margin: number;
  /** Whether the equal blend of the two best competes too (a split method, say, has no meaningful blend). */
  readonly blend: boolean;
}

/** The name of the equal blend of two candidates. */
export const blendName = (a: string, b: string): string => `blend:${a}+${b}`;

/**
 * The mixture of forecasts with weights: its mean is the weighted mean and its variance the mixture's (each
 * component's variance plus the spread of the means), so disagreement between models widens the interval.
 */
export function blendSeries(parts: readonly { readonly series: PredictiveSeries; readonly weight: number }[], method: string): PredictiveSeries {
  const first = parts[0]!.series;
  const days = first.mean.length;
  const mean = new Array<number>(days).fill(0);
  const second = new Array<number>(days).fill(0);
  for (const { series, weight } of parts) {
    for (let d = 0; d < days; d++) {
      const m = series.mean[d] ?? 0;
      mean[d]! += weight * m;
      second[d]! += weight * ((series.variance[d] ?? 0) + m * m);
    }
  }
  return { key: first.key, mean, variance: mean.map((m, d) => Math.max(0, second[d]! - m * m)), method };
}

function bucketTotals(values: readonly number[], days: number, bucketDays: number): number[] {
  const out: number[] = [];
  for (let start = 0; start < days; start += bucketDays) {
    let sum = 0;
    for (let d = start; d < Math.min(days, start + bucketDays); d++) sum += values[d] ?? 0;
    out.push(sum);
  }
  return out;
}

/**
 * Origins (oldest first) lose half their weight every this many origins back: after a step or a ramp, the months
 * since say more about which model copes than the months before, and a few months back still count.
 */
export const RECENCY_HALF_LIFE = 2;

function scoreOne(candidate: string, origins: readonly SelectionOrigin[], rule: SelectionRule): Omit<CandidateScore, 'weight' | 'chosen'> {
  let absError = 0;
  let actualSum = 0;
  let pinballSum = 0;
  let pinballDays = 0;
  let scored = 0;
  for (const [index, origin] of origins.entries()) {
    const forecasts = origin.forecasts.get(candidate);
    if (!forecasts) continue;
    scored++;
    const recency = 0.5 ** ((origins.length - 1 - index) / RECENCY_HALF_LIFE);
    const byKey = new Map(forecasts.map((s) => [s.key, s]));
    for (const [key, actual] of origin.actual) {
      const days = actual.length;
      const forecast = byKey.get(key);
      const mean = forecast?.mean ?? [];
      const a = bucketTotals(actual, days, rule.bucketDays);
      const f = bucketTotals(mean, days, rule.bucketDays);
      a.forEach((value, i) => {
        absError += recency * Math.abs((f[i] ?? 0) - value);
        actualSum += recency * value;
      });
      const bounds = actual.map((_, d) => countBounds(mean[d] ?? 0, forecast?.variance[d] ?? 0));
      pinballSum += meanPinball(actual, bounds) * days;
      pinballDays += days;
    }
  }
  return {
    candidate,
    origins: scored,
    wape: actualSum > 0 ? absError / actualSum : null,
    pinball: pinballDays > 0 ? pinballSum / pinballDays : null,
  };
}

/** Orders scores best first: defined WAPE before undefined, then lower WAPE, then lower pinball. */
function better(a: Omit<CandidateScore, 'weight' | 'chosen'>, b: Omit<CandidateScore, 'weight' | 'chosen'>): number {
  if (a.wape === null || b.wape === null) return a.wape === null ? (b.wape === null ? 0 : 1) : -1;
  return a.wape - b.wape || (a.pinball ?? 0) - (b.pinball ?? 0);
}

/**
 * Scores every candidate and the equal blend of the two best at the origins, and picks the forecast: the default
 * (the first candidate) unless a challenger beats its WAPE by more than `rule.margin`. The result lists every
 * candidate and the blend, with the weights each gets in the final forecast.
 *
 * Origins whose actuals are all zero score nothing; with no informative origin at all the default is kept.
 */
export function selectCandidates(candidates: readonly string[], origins: readonly SelectionOrigin[], rule: SelectionRule): CandidateScore[] {
  const singles = candidates.map((candidate) => scoreOne(candidate, origins, rule));
  const ranked = [...singles].sort(better);
  const scores = [...singles];
  const mixtures = new Map<string, readonly { readonly model: string; readonly weight: number }[]>();
  if (rule.blend && ranked.length >= 2 && ranked[1]!.wape !== null) {
    mixtures.set(blendName(ranked[0]!.candidate, ranked[1]!.candidate), [
      { model: ranked[0]!.candidate, weight: 0.5 },
      { model: ranked[1]!.candidate, weight: 0.5 },
    ]);
    const scored = singles.filter((s) => s.wape !== null);
    if (scored.length > 2) {
      const inverse = scored.map((s) => 1 / Math.max(s.wape!, 0.01) ** 2);
      const sum = inverse.reduce((a, b) => a + b, 0);
      mixtures.set(ENSEMBLE, scored.map((s, i) => ({ model: s.candidate, weight: inverse[i]! / sum })));
    }
  }
  for (const [name, parts] of mixtures) scores.push(scoreOne(name, origins.map((origin) => withMixture(origin, name, parts)), rule));
  const defaultScore = singles[0]!;
  let winner = defaultScore;
  for (const score of scores) {
    if (score === defaultScore || score.wape === null || defaultScore.wape === null) continue;
    const beatsDefault = score.wape < defaultScore.wape * (1 - rule.margin);
    if (beatsDefault && better(score, winner) < 0) winner = score;
  }
  const weights = new Map((mixtures.get(winner.candidate) ?? [{ model: winner.candidate, weight: 1 }]).map((p) => [p.model, p.weight]));
  return scores.map((score) => ({ ...score, weight: weights.get(score.candidate) ?? 0, chosen: score.candidate === winner.candidate }));
}

/** The name of the inverse-error-weighted combination of every scored candidate. */
export const ENSEMBLE = 'ensemble';

/** An origin with one more forecast: the mixture of its candidates' forecasts with the given weights. */
function withMixture(origin: SelectionOrigin, name: string, parts: readonly { readonly model: string; readonly weight: number }[]): SelectionOrigin {
  const lists = parts.map((p) => ({ weight: p.weight, byKey: new Map((origin.forecasts.get(p.model) ?? []).map((s) => [s.key, s])) }));
  const first = origin.forecasts.get(parts[0]!.model);
  if (!first) return origin;
  const mixed = first.map((unit) => {
    const present = lists.flatMap(({ weight, byKey }) => {
      const series = byKey.get(unit.key);
      return series ? [{ series, weight }] : [];
    });
    const total = present.reduce((a, p) => a + p.weight, 0);
    return blendSeries(present.map((p) => ({ series: p.series, weight: p.weight / total })), name);
  });
  return { actual: origin.actual, forecasts: new Map([...origin.forecasts, [name, mixed]]) };
}

/** `stage` of the `model_selection` rows that say how a super-segment's SQLs are split across Channel × Source. */
export const SPLIT_STAGE = 'sqls_split';

/** The selection of one group of units: a super-segment, or the whole stage (`null`). */
export interface SelectionGroup {
  readonly group: string | null;
  readonly scores: readonly CandidateScore[];
}

/** A stage's selections as rows of `model_selection`: every candidate of every group, the chosen one marked. */
export function toSelectionRows(runId: string, stage: string, groups: readonly SelectionGroup[]): ModelSelectionRow[] {
  return groups.flatMap(({ group, scores }) =>
    scores.map((s) => ({
      run_id: runId,
      stage,
      super_segment: group,
      candidate: s.candidate,
      origins: s.origins,
      wape: s.wape,
      pinball: s.pinball,
      weight: s.weight,
      chosen: s.chosen,
    })),
  );
}
