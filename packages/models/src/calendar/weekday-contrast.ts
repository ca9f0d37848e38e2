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

/**
 * The contrast of `values[t]` with the same weekday one to four weeks before and after (a local expectation that
 * needs no model, so it can judge the days a model is fitted on; four weeks each way keep its own noise small
 * without reaching into another season). Neighbours for which `skip` is true are left out.
 */
export function weekdayContrast(
  values: ArrayLike<number>,
  t: number,
  skip: (index: number) => boolean = () => false,
): WeekdayContrast | undefined {
  if (t < 0 || t >= values.length) return undefined;
  let sum = 0;
  let count = 0;
  for (const offset of NEIGHBOUR_OFFSETS) {
    const at = t + offset;
    if (at < 0 || at >= values.length || skip(at)) continue;
    sum += values[at] ?? 0;
    count += 1;
  }
  return count < MIN_NEIGHBOURS ? undefined : { count: values[t] ?? 0, expected: sum / count, neighbours: count };
}

/** Every day's {@link weekdayContrast} and whether it departs by the rule: the scan a calendar's special days come from. */
export interface DepartureScan {
  /** The contrast of each day, by index (undefined where a day has too few neighbours). */
  readonly contrasts: readonly (WeekdayContrast | undefined)[];
  /** 1 for each day that departs (up or down) by the rule. */
  readonly departed: Uint8Array;
}

/** Contrasts every day of `values` with its same-weekday neighbours (skipping `skip`) and flags the departures. */
export function scanDepartures(values: ArrayLike<number>, rule: DepartureRule, skip?: (index: number) => boolean): DepartureScan {
  const contrasts: (WeekdayContrast | undefined)[] = [];
  const departed = new Uint8Array(values.length);
  for (let t = 0; t < values.length; t++) {
    const contrast = weekdayContrast(values, t, skip);
    contrasts.push(contrast);
    if (contrast && departure(contrast, rule) !== 0) departed[t] = 1;
  }
  return { contrasts, departed };
}

/**
 * `1` when a contrast's count departs upward from its expectation by the rule, `-1` downward, `0` otherwise. Both the
 * ratio and the deviation must be exceeded: the ratio alone flags noise on tiny counts, the deviation alone flags
 * ordinary wobbles on large ones. The deviation is in Poisson standard deviations of `count − expected`, which
 * include the noise of the expectation itself (a mean of `k` neighbours): `√(max(expected, 1) · (1 + 1/k))`.
 */
export function departure(contrast: WeekdayContrast, rule: DepartureRule): -1 | 0 | 1 {
  const { count, expected, neighbours } = contrast;
  const deviation = rule.z * Math.sqrt(Math.max(expected, 1) * (1 + 1 / neighbours));
  if (count > rule.ratio * expected && count - expected > deviation) return 1;
  if (count * rule.ratio < expected && expected - count > deviation) return -1;
  return 0;
}
