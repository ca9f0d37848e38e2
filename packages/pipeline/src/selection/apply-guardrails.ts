import { checkPlausible, TOTAL_GUARDRAIL, type Implausibility, type PredictiveSeries, type Stage } from '@funnelcast/core';

/** What a guardrail check is given: a stage's forecasts, their histories and a robust stand-in. */
export interface GuardrailInput {
  readonly stage: Stage;
  /** How units are named in warnings, e.g. `Paid Search × Google`. */
  readonly label: (key: string) => string;
  readonly series: readonly PredictiveSeries[];
  /** Each unit's daily history, ending the day before the as-of date. */
  readonly history: ReadonlyMap<string, readonly number[]>;
  /** The robust model's name, and its forecasts by the same keys (asked for only when a forecast strays). */
  readonly robust: { readonly name: string; readonly series: () => Promise<readonly PredictiveSeries[]> };
  /**
   * The other candidates' forecasts of a unit, best-scored first, tried before the robust model when the unit's own
   * forecast strays: after a step, the next-best model may well know what the robust one cannot (open MQLs, say).
   */
  readonly alternatives?: (key: string) => Promise<readonly { readonly name: string; readonly series: PredictiveSeries }[]>;
}

/** The days of history the last-resort flat forecast averages: the guardrail's lookback quarter. */
const FLAT_DAYS = 91;

/** The fewest days a mean is taken over: a few days of history are not a rate (the mapping's exposure floor). */
const MIN_FLAT_DAYS = 28;

/** Last resort when even the robust model strays: the recent quarter's daily mean, with its observed spread. */
function flatForecast(key: string, history: readonly number[], horizon: number): PredictiveSeries {
  const recent = history.slice(-FLAT_DAYS);
  const n = Math.max(MIN_FLAT_DAYS, recent.length);
  const mean = recent.reduce((a, b) => a + b, 0) / n;
  const spread = recent.reduce((a, y) => a + (y - mean) ** 2, 0) / n;
  return { key, mean: new Array<number>(horizon).fill(mean), variance: new Array<number>(horizon).fill(Math.max(mean, spread) * (1 + 1 / n)), method: 'recent-mean' };
}

function describe(stage: Stage, what: string, model: string, found: Implausibility): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const bound = found.direction === 'high' ? `above the busiest 30 days of the last quarter (${n(found.reference)})` : `below the quietest 30 days of the last quarter (${n(found.reference)})`;
  return `guardrail: ${stage} of ${what} forecast ${n(found.forecast)} for the next 30 days by ${model}, far ${bound}`;
}

/** Day-by-day sums of series aligned on their last day (histories start on different days). */
function sumAlignedToEnd(series: readonly (readonly number[])[], length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (const values of series) {
    const offset = length - values.length;
    values.forEach((v, d) => {
      if (d + offset >= 0) out[d + offset]! += v;
    });
  }
  return out;
}

/**
 * Replaces every forecast its own recent history cannot support by the best-scored other candidate's that it can,
 * else the robust model's (or, if that strays too, by the recent quarter's mean), then checks the stage's total the same way and, if it strays, replaces every series.
 * Each replacement is a warning naming the series, the model and the fallback.
 */
export async function applyGuardrails(input: GuardrailInput): Promise<{ series: PredictiveSeries[]; warnings: string[] }> {
  const { stage, label, history, robust } = input;
  let robustByKey: Map<string, PredictiveSeries> | undefined;
  const warnings: string[] = [];
  const fallback = async (unit: PredictiveSeries, tryAlternatives: boolean): Promise<PredictiveSeries> => {
    const values = history.get(unit.key) ?? [];
    for (const other of tryAlternatives && input.alternatives ? await input.alternatives(unit.key) : []) {
      if (other.series.method !== unit.method && checkPlausible(values, other.series.mean) === null) return { ...other.series, method: `${other.name}(guardrail)` };
    }
    robustByKey ??= new Map((await robust.series()).map((s) => [s.key, s]));
    const stand = robustByKey.get(unit.key);
    if (stand && checkPlausible(values, stand.mean) === null) return { ...stand, method: `${robust.name}(guardrail)` };
    return flatForecast(unit.key, values, unit.mean.length);
  };
  const series: PredictiveSeries[] = [];
  for (const unit of input.series) {
    const found = checkPlausible(history.get(unit.key) ?? [], unit.mean);
    if (!found) {
      series.push(unit);
      continue;
    }
    const replaced = await fallback(unit, true);
    warnings.push(`${describe(stage, label(unit.key), unit.method, found)}; fell back to ${replaced.method}`);
    series.push(replaced);
  }
  const longest = Math.max(0, ...[...history.values()].map((v) => v.length));
  const horizon = series[0]?.mean.length ?? 0;
  const total = checkPlausible(sumAlignedToEnd([...history.values()], longest), sumAlignedToEnd(series.map((s) => s.mean), horizon), TOTAL_GUARDRAIL);
  if (!total) return { series, warnings };
  const models = [...new Set(series.map((s) => s.method))].sort().join(', ');
  warnings.push(`${describe(stage, 'the total', models, total)}; every series fell back to ${robust.name}`);
  const robustOnly: PredictiveSeries[] = [];
  for (const unit of input.series) robustOnly.push(await fallback(unit, false));
  return { series: robustOnly, warnings };
}
