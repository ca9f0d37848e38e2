/**
 * The net under every model (issue 9, "guardrails"): a forecast far outside what its own recent history supports is
 * not published as it is. The rule compares the forecast's first month with the months of the last quarter, so a
 * trend or a seasonal swing passes, a several-fold jump out of nowhere (a rate taken over one day of exposure, a
 * runaway recursive lag) does not.
 */

/** How far a forecast may stray from its history before it is refused. */
export interface GuardrailRule {
  /** Days of the compared window (a month). */
  readonly windowDays: number;
  /** Days of history the window's totals are taken from (the last quarter). */
  readonly lookbackDays: number;
  /** A forecast month above this multiple of the busiest recent month is implausible. */
  readonly maxRatio: number;
  /** A forecast month below the quietest recent month divided by this is implausible… */
  readonly minRatio: number;
  /** …when that quietest month had at least this many events (below, zero months are ordinary noise). */
  readonly minEvents: number;
}

/** The rule for one series: three times the busiest recent month, a quarter of the quietest one. */
export const DEFAULT_GUARDRAIL: GuardrailRule = { windowDays: 30, lookbackDays: 91, maxRatio: 3, minRatio: 4, minEvents: 20 };

/**
 * The rule for a stage's total: twice the busiest recent month, half the quietest. A total sums many series' noise
 * away, so it moves less than any of them; a month outside that range needs a cause the model cannot have seen.
 */
export const TOTAL_GUARDRAIL: GuardrailRule = { ...DEFAULT_GUARDRAIL, maxRatio: 2, minRatio: 2 };

/** Why a forecast was refused: its month and the range the history supports. */
export interface Implausibility {
  readonly direction: 'high' | 'low';
  /** The forecast's total over its first window (scaled to a full window when the horizon is shorter). */
  readonly forecast: number;
  /** The busiest (for `high`) or quietest (for `low`) window total of the lookback. */
  readonly reference: number;
}

/** Totals of every `window`-day run ending in the last `lookback` days; a history shorter than a window scales up. */
function recentWindowTotals(history: readonly number[], window: number, lookback: number): number[] {
  const n = history.length;
  if (n === 0) return [0];
  if (n < window) return [(history.reduce((a, b) => a + b, 0) * window) / n];
  const totals: number[] = [];
  let sum = 0;
  for (let t = 0; t < n; t++) {
    sum += history[t] ?? 0;
    if (t >= window) sum -= history[t - window] ?? 0;
    if (t >= window - 1 && t >= n - lookback) totals.push(sum);
  }
  return totals;
}

/**
 * Checks one forecast (or a total of forecasts) against its history: `null` when plausible. Counts, not rates:
 * an implausibly high month must also exceed the busiest one by more than Poisson noise on a handful of events
 * (`maxRatio · max(busiest, 1) + 3·√…`), so a series with two leads last quarter may still forecast three.
 */
export function checkPlausible(history: readonly number[], forecastMean: readonly number[], rule: GuardrailRule = DEFAULT_GUARDRAIL): Implausibility | null {
  const days = Math.min(rule.windowDays, forecastMean.length);
  if (days === 0) return null;
  let forecast = 0;
  for (let d = 0; d < days; d++) forecast += forecastMean[d] ?? 0;
  forecast *= rule.windowDays / days;
  const totals = recentWindowTotals(history, rule.windowDays, rule.lookbackDays);
  const busiest = Math.max(...totals);
  const quietest = Math.min(...totals);
  const ceiling = rule.maxRatio * Math.max(busiest, 1);
  if (forecast > ceiling + 3 * Math.sqrt(ceiling)) return { direction: 'high', forecast, reference: busiest };
  if (quietest >= rule.minEvents && forecast < quietest / rule.minRatio) return { direction: 'low', forecast, reference: quietest };
  return null;
}
