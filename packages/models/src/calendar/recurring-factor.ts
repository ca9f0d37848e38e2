import type { YearAlignment } from './calendar-alignment.js';
import { departure, type DepartureRule, type WeekdayContrast } from './weekday-contrast.js';

/** When a day's past instances make it a recurring special day. */
export interface RecurrenceRule {
  /** How far each past year's instance must depart from its same-weekday neighbours, all the same way. */
  readonly eachYear: DepartureRule;
  /** How far the years must depart together. */
  readonly together: DepartureRule;
  /** At least this many past years must tell: one odd year does not make a season. */
  readonly minYears: number;
  /** A year expecting fewer events than this on the day (a weekend) could not show a departure: no evidence. */
  readonly minExpected: number;
  /** How a day recurs from year to year, tried in order. */
  readonly alignments: readonly YearAlignment[];
}

/** The most years looked back: enough for any history a forecaster is given. */
const MAX_YEARS = 10;

/**
 * The multiplier of a day whose past instances were special in every past year that could tell, by one of the
 * rule's alignments (the same date, the same n-th or last weekday of the month): `(Σ count + 1) / (Σ expected + 1)`
 * over those years, or 1 when no alignment meets the rule. `contrastAt` gives a past day's count beside its
 * same-weekday neighbours, or undefined outside the history; `firstDay` is where the history starts.
 */
export function recurringFactor(
  day: number,
  firstDay: number,
  contrastAt: (day: number) => WeekdayContrast | undefined,
  rule: RecurrenceRule,
): number {
  for (const align of rule.alignments) {
    let count = 0;
    let expected = 0;
    let neighbours = 0;
    let years = 0;
    let direction = 0;
    let vetoed = false;
    for (let k = 1; k <= MAX_YEARS && !vetoed; k++) {
      const past = align(day, k);
      if (past === undefined) continue;
      if (past < firstDay) break;
      const contrast = contrastAt(past);
      if (!contrast || contrast.expected < rule.minExpected) continue;
      const sign = departure(contrast, rule.eachYear);
      vetoed = sign === 0 || (direction !== 0 && sign !== direction);
      direction = sign;
      count += contrast.count;
      expected += contrast.expected;
      neighbours += contrast.neighbours;
      years += 1;
    }
    if (vetoed || years < rule.minYears) continue;
    // Over the years the expectation is a sum of means; its noise is about that of a mean of their average size.
    if (departure({ count, expected, neighbours: neighbours / years }, rule.together) === direction) return (count + 1) / (expected + 1);
  }
  return 1;
}
