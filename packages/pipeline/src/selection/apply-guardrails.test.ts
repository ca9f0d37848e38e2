import type { PredictiveSeries } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { applyGuardrails } from './apply-guardrails.js';

const flat = (key: string, perDay: number, method: string, days = 30): PredictiveSeries => ({
  key,
  mean: new Array<number>(days).fill(perDay),
  variance: new Array<number>(days).fill(perDay),
  method,
});
const history = new Map([
  ['a', new Array<number>(120).fill(10)],
  ['b', new Array<number>(120).fill(10)],
]);
const label = (key: string) => `unit ${key}`;

describe('applyGuardrails', () => {
  it('replaces only the unit that strays, by the best-scored plausible alternative, and says so', async () => {
    const result = await applyGuardrails({
      stage: 'sqls',
      label,
      series: [flat('a', 500, 'runaway'), flat('b', 11, 'fine')],
      history,
      robust: { name: 'naive', series: async () => [flat('a', 10, 'naive'), flat('b', 10, 'naive')] },
      alternatives: async (key) => [
        { name: 'also-runaway', series: flat(key, 400, 'also-runaway') },
        { name: 'funnel', series: flat(key, 14, 'funnel') },
      ],
    });
    expect(result.series.map((s) => [s.method, s.mean[0]])).toEqual([
      ['funnel(guardrail)', 14],
      ['fine', 11],
    ]);
    expect(result.warnings).toEqual([
      'guardrail: sqls of unit a forecast 15,000 for the next 30 days by runaway, far above the busiest 30 days of the last quarter (300); fell back to funnel(guardrail)',
    ]);
  });

  it('falls back to the robust model, then to the recent mean, when no alternative is plausible', async () => {
    const robustStrays = await applyGuardrails({
      stage: 'mqls',
      label,
      series: [flat('a', 500, 'runaway')],
      history,
      robust: { name: 'naive', series: async () => [flat('a', 300, 'naive')] },
    });
    expect(robustStrays.series[0]).toMatchObject({ method: 'recent-mean' });
    expect(robustStrays.series[0]!.mean[0]).toBeCloseTo(10, 10);
  });

  it('holds the stage total to its own range and replaces every series when it strays', async () => {
    // Each unit at 2.6× its own history passes alone (3×), but the total at 2.6× does not (2×).
    const result = await applyGuardrails({
      stage: 'mqls',
      label,
      series: [flat('a', 26, 'high'), flat('b', 26, 'high')],
      history,
      robust: { name: 'naive', series: async () => [flat('a', 10, 'naive'), flat('b', 10, 'naive')] },
    });
    expect(result.series.every((s) => s.method === 'naive(guardrail)')).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^guardrail: mqls of the total forecast 1,560 .* every series fell back to naive$/);
  });
});
