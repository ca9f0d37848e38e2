import { InputError, type Problem } from './errors.js';
import { compareCombinations, type MappingWeight, type SegmentMapping } from './mapping.js';
import type { PredictiveSeries } from './ports.js';
import { combinationKey, type Combination } from './vocabulary.js';

/**
 * Distributes super-segment SQL forecasts to Channel × Source (design.md, "Mapping and distribution", steps 4–5).
 *
 * Means: `μ_c[d] = Σ_s f_sc · μ_s[d]`, so per day the children sum exactly to the parents that have weights
 * (coherent by construction, since each segment's fractions sum to 1).
 *
 * Variances: a child's count is a binomial thinning of its parent's: given the parent's N, the child gets
 * Binomial(N, f). For any distribution of N, `Var = f·μ + f²·(V − μ)` — wider than `f²·V` (plain scaling of the
 * parent's bound, which treats siblings as perfectly correlated) whenever the cell is sparse. Segments are assumed
 * independent, so the contributions of a combination that several segments feed add up.
 *
 * `segments` are keyed by super-segment name; every one must have weights (a forecast without weights would lose
 * SQLs, so it is an {@link InputError}). The output is keyed by `combinationKey`, one series per combination with a
 * weight in a forecast segment, ordered by channel and source, with method `distributed(<parent methods>)`.
 */
export function distributeForecast(segments: readonly PredictiveSeries[], mapping: SegmentMapping): PredictiveSeries[] {
  const weightsBySegment = new Map<string, MappingWeight[]>();
  for (const w of mapping.weights) {
    const list = weightsBySegment.get(w.superSegment);
    if (list) list.push(w);
    else weightsBySegment.set(w.superSegment, [w]);
  }

  const problems: Problem[] = [];
  const horizon = segments[0]?.mean.length ?? 0;
  for (const segment of segments) {
    if (!weightsBySegment.has(segment.key)) {
      problems.push({ where: `segment ${segment.key}`, message: 'has a forecast but no mapping weights, so its SQLs would be lost' });
    }
    if (segment.mean.length !== horizon || segment.variance.length !== horizon) {
      problems.push({
        where: `segment ${segment.key}`,
        message: `has ${segment.mean.length} means and ${segment.variance.length} variances; expected ${horizon} of each`,
      });
    }
  }
  if (problems.length > 0) throw new InputError(problems, 'Cannot distribute the segment forecasts:');

  const children = new Map<string, { combination: Combination; mean: number[]; variance: number[]; methods: Set<string> }>();
  for (const segment of segments) {
    for (const w of weightsBySegment.get(segment.key) ?? []) {
      const key = combinationKey(w);
      let child = children.get(key);
      if (!child) {
        child = { combination: { channel: w.channel, source: w.source }, mean: new Array<number>(horizon).fill(0),
          variance: new Array<number>(horizon).fill(0), methods: new Set() };
        children.set(key, child);
      }
      child.methods.add(segment.method);
      const f = w.fraction;
      for (let d = 0; d < horizon; d++) {
        const mu = segment.mean[d] as number;
        const v = segment.variance[d] as number;
        child.mean[d] = (child.mean[d] as number) + f * mu;
        // Clamped at 0 only against rounding: f·μ + f²(V − μ) ≥ f·μ(1 − f) ≥ 0 for V ≥ 0.
        child.variance[d] = (child.variance[d] as number) + Math.max(0, f * mu + f * f * (v - mu));
      }
    }
  }

  return [...children.entries()]
    .sort(([, a], [, b]) => compareCombinations(a.combination, b.combination))
    .map(([key, child]) => ({
      key,
      mean: child.mean,
      variance: child.variance,
      method: `distributed(${[...child.methods].sort().join(',')})`,
    }));
}
