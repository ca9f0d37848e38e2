/** A day's count beside what the same weekday saw one to four weeks either side of it. */
export interface WeekdayContrast {
  readonly count: number;
  /** Mean of the neighbouring same-weekday counts. */
  readonly expected: number;
  /** How many neighbours the mean is of (2 to 8). */
  readonly neighbours: number;
}

/** How far a count must depart from its expectation to count as a departure. */
export interface DepartureRule {
  /** At least this many times above (or this many times below) the expectation. */
  readonly ratio: number;
  /** And at least this many Poisson standard deviations away from it. */
  readonly z: number;
}

const NEIGHBOUR_OFFSETS = [-28, -21, -14, -7, 7, 14, 21, 28];
/** Fewer neighbours than this (a series' first or last days) give no contrast. */
const MIN_NEIGHBOURS = 2;

/** Every day's contrast with its same-weekday neighbours and whether it departs by the rule: the scan a calendar's special days come from. */
export interface DepartureScan {
  /**
   * The contrast of `values[index]` with the same weekday one to four weeks before and after (a local expectation
   * that needs no model, so it can judge the days a model is fitted on; four weeks each way keep its own noise small
   * without reaching into another season), skipped neighbours left out; undefined outside the series or where a day
   * has too few neighbours.
   */
  contrast(index: number): WeekdayContrast | undefined;
  /** 1 for each day that departs (up or down) by the rule. */
  readonly departed: Uint8Array;
}

/**
 * Contrasts every day of `values` with its same-weekday neighbours (skipping `skip`) and flags the departures. A
 * calendar scans every day of every series but reads few contrasts back, so the contrasts are kept as numbers and
 * made objects only when asked for, and `skip` is asked once per day rather than once per neighbour.
 */
export function scanDepartures(values: ArrayLike<number>, rule: DepartureRule, skip?: (index: number) => boolean): DepartureScan {
  const n = values.length;
  const skipped = new Uint8Array(n);
  if (skip) for (let t = 0; t < n; t++) skipped[t] = skip(t) ? 1 : 0;
  const expected = new Float64Array(n);
  const neighbours = new Uint8Array(n);
  const departed = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let sum = 0;
    let count = 0;
    for (const offset of NEIGHBOUR_OFFSETS) {
      const at = t + offset;
      if (at < 0 || at >= n || skipped[at] === 1) continue;
      sum += values[at] ?? 0;
      count += 1;
    }
    if (count < MIN_NEIGHBOURS) continue;
    expected[t] = sum / count;
    neighbours[t] = count;
    if (departureOf(values[t] ?? 0, sum / count, count, rule) !== 0) departed[t] = 1;
  }
  return {
    contrast: (index) =>
      index >= 0 && index < n && neighbours[index]! > 0 ? { count: values[index] ?? 0, expected: expected[index]!, neighbours: neighbours[index]! } : undefined,
    departed,
  };
}

/**
 * `1` when a contrast's count departs upward from its expectation by the rule, `-1` downward, `0` otherwise. Both the
 * ratio and the deviation must be exceeded: the ratio alone flags noise on tiny counts, the deviation alone flags
 * ordinary wobbles on large ones. The deviation is in Poisson standard deviations of `count − expected`, which
 * include the noise of the expectation itself (a mean of `k` neighbours): `√(max(expected, 1) · (1 + 1/k))`.
 */
export function departure(contrast: WeekdayContrast, rule: DepartureRule): -1 | 0 | 1 {
  return departureOf(contrast.count, contrast.expected, contrast.neighbours, rule);
}

/** {@link departure} of a contrast given by its parts. */
function departureOf(count: number, expected: number, neighbours: number, rule: DepartureRule): -1 | 0 | 1 {
  const up = count > rule.ratio * expected;
  const down = count * rule.ratio < expected;
  // Most days are within the ratio: no square root for them.
  if (!up && !down) return 0;
  const deviation = rule.z * Math.sqrt(Math.max(expected, 1) * (1 + 1 / neighbours));
  if (up && count - expected > deviation) return 1;
  if (down && expected - count > deviation) return -1;
  return 0;
}
