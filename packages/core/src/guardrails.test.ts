import { describe, expect, it } from 'vitest';
import { checkPlausible, TOTAL_GUARDRAIL } from './guardrails.js';

const flat = (days: number, perDay: number) => new Array<number>(days).fill(perDay);

describe('checkPlausible', () => {
  it('refuses the issue-9 blow-up: 72 a day from a single lead the day before the as-of date', () => {
    const found = checkPlausible([1], flat(30, 72));
    expect(found).toMatchObject({ direction: 'high', reference: 30 });
    expect(found?.forecast).toBeCloseTo(2160, 6);
  });

  it('lets a steady forecast, a trend and a few leads above a near-empty history pass', () => {
    expect(checkPlausible(flat(200, 10), flat(90, 11))).toBeNull();
    expect(checkPlausible(flat(200, 10), flat(90, 25))).toBeNull();
    // Two leads last quarter may still forecast three: Poisson noise on a handful is not a blow-up.
    const twoLeads = flat(120, 0);
    twoLeads[100] = 1;
    twoLeads[110] = 1;
    expect(checkPlausible(twoLeads, flat(30, 0.1))).toBeNull();
  });

  it('refuses a collapse below a quarter of the quietest recent month, but not for counts that small months vary', () => {
    expect(checkPlausible(flat(200, 10), flat(30, 2))).toMatchObject({ direction: 'low', reference: 300 });
    expect(checkPlausible(flat(200, 0.5), flat(30, 0))).toBeNull();
  });

  it('holds a total to a tighter range than a series', () => {
    expect(checkPlausible(flat(200, 100), flat(30, 45))).toBeNull();
    expect(checkPlausible(flat(200, 100), flat(30, 45), TOTAL_GUARDRAIL)).toMatchObject({ direction: 'low' });
    expect(checkPlausible(flat(200, 100), flat(30, 250), TOTAL_GUARDRAIL)).toMatchObject({ direction: 'high' });
  });

  it('scales a short horizon to a month and a short history up to one', () => {
    expect(checkPlausible(flat(10, 1), flat(7, 1))).toBeNull();
    expect(checkPlausible(flat(10, 1), flat(7, 20))).toMatchObject({ direction: 'high' });
  });
});
