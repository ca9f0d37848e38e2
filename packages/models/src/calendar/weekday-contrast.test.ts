import { describe, expect, it } from 'vitest';
import { departure, scanDepartures } from './weekday-contrast.js';

/** Six weeks of a flat 10 a day, with one odd day in the middle. */
const values = Array.from({ length: 42 }, (_, t) => (t === 21 ? 40 : 10));
const rule = { ratio: 2, z: 5 };

describe('scanDepartures', () => {
  it('compares a day with the same weekday up to four weeks either side, skipping what it is told to', () => {
    const { contrast } = scanDepartures(values, rule);
    // Days 0, 7, 14, 28 and 35: four weeks back reaches before the start, three weeks on past the end.
    expect(contrast(21)).toEqual({ count: 40, expected: 10, neighbours: 5 });
    // Day 28's neighbours include the odd day 21, unless it is skipped.
    expect(contrast(28)).toEqual({ count: 10, expected: 16, neighbours: 5 });
    expect(scanDepartures(values, rule, (t) => t === 21).contrast(28)).toEqual({ count: 10, expected: 10, neighbours: 4 });
  });

  it('needs two neighbours, and a day inside the series', () => {
    expect(scanDepartures([5, 1, 1, 1, 1, 1, 1, 5], rule).contrast(0)).toBeUndefined();
    expect(scanDepartures(values, rule).contrast(42)).toBeUndefined();
    expect(scanDepartures(values, rule).contrast(-7)).toBeUndefined();
  });

  it('flags the days that depart by the rule, judged against neighbours that are not skipped', () => {
    const flagged = (scan: { departed: Uint8Array }) => [...scan.departed.keys()].filter((t) => scan.departed[t] === 1);
    expect(flagged(scanDepartures(values, rule))).toEqual([21]);
    // With its neighbours skipped, the odd day has none left to depart from.
    const neighbours = new Set([0, 7, 14, 28, 35]);
    expect(flagged(scanDepartures(values, rule, (t) => neighbours.has(t)))).toEqual([]);
  });
});

describe('departure', () => {
  it('flags a count both far above (or below) and many deviations from its expectation', () => {
    expect(departure({ count: 40, expected: 10, neighbours: 8 }, rule)).toBe(1);
    expect(departure({ count: 0, expected: 40, neighbours: 8 }, rule)).toBe(-1);
  });

  it('lets ordinary noise pass: a large ratio on tiny counts, a small ratio on large ones', () => {
    expect(departure({ count: 4, expected: 0.5, neighbours: 8 }, rule)).toBe(0);
    expect(departure({ count: 1300, expected: 1000, neighbours: 8 }, { ratio: 2, z: 3 })).toBe(0);
  });

  it('counts the noise of an expectation made of few neighbours', () => {
    // 30 against 10: 20 above, 6.3 sd of a well-known mean, 5.2 sd when the mean is of two days.
    const loose = { ratio: 2, z: 5.5 };
    expect(departure({ count: 30, expected: 10, neighbours: 1000 }, loose)).toBe(1);
    expect(departure({ count: 30, expected: 10, neighbours: 2 }, loose)).toBe(0);
  });
});
