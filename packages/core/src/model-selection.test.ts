import { describe, expect, it } from 'vitest';
import { blendName, blendSeries, ENSEMBLE, selectCandidates, toSelectionRows, type SelectionOrigin } from './model-selection.js';
import type { PredictiveSeries } from './ports.js';

const RULE = { bucketDays: 28, margin: 0.05, blend: true };
const series = (key: string, perDay: number, method: string): PredictiveSeries => ({
  key,
  mean: new Array<number>(28).fill(perDay),
  variance: new Array<number>(28).fill(perDay),
  method,
});

/** Three origins where the truth is 10 a day for unit a and 2 for unit b; each model forecasts a constant. */
function origins(models: Record<string, [number, number]>): SelectionOrigin[] {
  return [0, 1, 2].map(() => ({
    actual: new Map([
      ['a', new Array<number>(28).fill(10)],
      ['b', new Array<number>(28).fill(2)],
    ]),
    forecasts: new Map(Object.entries(models).map(([name, [a, b]]) => [name, [series('a', a, name), series('b', b, name)]])),
  }));
}

describe('selectCandidates', () => {
  it('keeps the default when it is best, and scores every candidate, the blend of the two best and the ensemble', () => {
    const scores = selectCandidates(['default', 'low', 'high'], origins({ default: [10, 2], low: [5, 1], high: [20, 4] }), RULE);
    expect(scores.map((s) => s.candidate)).toEqual(['default', 'low', 'high', blendName('default', 'low'), ENSEMBLE]);
    expect(scores.find((s) => s.chosen)).toMatchObject({ candidate: 'default', weight: 1, wape: 0, origins: 3 });
    expect(scores.find((s) => s.candidate === 'low')?.wape).toBeCloseTo(0.5, 10);
    expect(scores.reduce((sum, s) => sum + s.weight, 0)).toBe(1);
  });

  it('picks a challenger that clearly beats the default, and the blend when it beats both', () => {
    expect(selectCandidates(['default', 'good'], origins({ default: [5, 1], good: [10, 2] }), RULE).find((s) => s.chosen)?.candidate).toBe('good');
    // One forecasts 20% low, the other 20% high: their blend is exact.
    const scores = selectCandidates(['default', 'other'], origins({ default: [8, 1.6], other: [12, 2.4] }), RULE);
    const chosen = scores.find((s) => s.chosen);
    expect(chosen?.candidate).toBe(blendName('default', 'other'));
    expect(chosen?.wape).toBeCloseTo(0, 10);
    expect(scores.filter((s) => s.weight > 0).map((s) => [s.candidate, s.weight])).toEqual([
      ['default', 0.5],
      ['other', 0.5],
    ]);
  });

  it('weighs the ensemble by inverse squared error, and picks it when it beats every single model and pair', () => {
    // Errors of −30%, +10% and −20%: weights ∝ 1/0.3², 1/0.1², 1/0.2² give a forecast 1.2% high, better than any
    // model and than the best pair's −5%.
    const scores = selectCandidates(['a', 'b', 'c'], origins({ a: [7, 1.4], b: [11, 2.2], c: [8, 1.6] }), RULE);
    const chosen = scores.find((s) => s.chosen);
    expect(chosen?.candidate).toBe(ENSEMBLE);
    const weights = Object.fromEntries(scores.filter((s) => s.weight > 0).map((s) => [s.candidate, s.weight]));
    expect(weights.a).toBeCloseTo(100 / 9 / (25 + 100 + 100 / 9), 10);
    expect(weights.b).toBeCloseTo(100 / (25 + 100 + 100 / 9), 10);
    expect(weights.a! + weights.b! + weights.c!).toBeCloseTo(1, 12);
  });

  it('weighs recent origins more: a challenger right since a step beats a default right only before it', () => {
    // Six origins; the default is exact on the four oldest and 50% low on the two newest, the challenger the reverse.
    const six: SelectionOrigin[] = [0, 1, 2, 3, 4, 5].map((i) => {
      const recent = i >= 4;
      return {
        actual: new Map([['a', new Array<number>(28).fill(10)]]),
        forecasts: new Map([
          ['default', [series('a', recent ? 5 : 10, 'default')]],
          ['since-step', [series('a', recent ? 10 : 5, 'since-step')]],
        ]),
      };
    });
    // Unweighted the default would win (wrong at two origins, the challenger at four); by recency the newest two
    // origins (weights 1 and 0.71) outweigh the oldest four (0.5, 0.35, 0.25, 0.18).
    const scores = selectCandidates(['default', 'since-step'], six, { ...RULE, blend: false });
    expect(scores.find((s) => s.chosen)?.candidate).toBe('since-step');
  });

  it('keeps the default when a challenger is better only within the margin', () => {
    const scores = selectCandidates(['default', 'close'], origins({ default: [9, 1.8], close: [9.04, 1.808] }), RULE);
    expect(scores.find((s) => s.chosen)?.candidate).toBe('default');
  });

  it('keeps the default without informative origins', () => {
    const empty: SelectionOrigin[] = [{ actual: new Map([['a', new Array<number>(28).fill(0)]]), forecasts: new Map([['x', [series('a', 1, 'x')]], ['y', [series('a', 0, 'y')]]]) }];
    const scores = selectCandidates(['x', 'y'], empty, RULE);
    expect(scores.find((s) => s.chosen)?.candidate).toBe('x');
    expect(scores.every((s) => s.wape === null)).toBe(true);
  });

  it('writes one row per candidate and group', () => {
    const scores = selectCandidates(['default', 'low'], origins({ default: [10, 2], low: [5, 1] }), RULE);
    const rows = toSelectionRows('fc_1', 'sqls', [{ group: 'Outbound', scores }]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ run_id: 'fc_1', stage: 'sqls', super_segment: 'Outbound', candidate: 'default', chosen: true, weight: 1 });
  });
});

describe('blendSeries', () => {
  it('mixes means and widens the variance by the spread between models', () => {
    const blended = blendSeries([{ series: series('a', 8, 'x'), weight: 0.5 }, { series: series('a', 12, 'y'), weight: 0.5 }], 'blend');
    expect(blended.mean[0]).toBeCloseTo(10, 10);
    // Mixture: E[v] + Var[means] = 10 + 4.
    expect(blended.variance[0]).toBeCloseTo(14, 10);
    expect(blended.method).toBe('blend');
  });
});
