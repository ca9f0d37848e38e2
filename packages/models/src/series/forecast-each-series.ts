import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  InputError,
  isIsoDate,
  MAX_HORIZON,
  toDayNumber,
  type DailySeries,
  type ForecastRequest,
  type PredictiveSeries,
  type Problem,
} from '@funnelcast/core';
import { z } from 'zod';


const isoDate = z.string().refine(isIsoDate, { message: 'must be an ISO date (YYYY-MM-DD)' });

const requestSchema = z.object({
  asOf: isoDate,
  horizon: z.number().int().min(1).max(MAX_HORIZON),
  series: z.array(
    z.object({
      key: z.string(),
      start: isoDate,
      values: z.array(z.number().finite().nonnegative()),
    }),
  ),
});

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
}

/**
 * Whether a request has the shape {@link requestSchema} asks for, by plain loops: a refresh sends hundreds of series
 * of hundreds of days to each candidate at each origin, and the schema's per-value checks cost more than some of the
 * models. Only a request that fails here is parsed by the schema, for its messages.
 */
function hasRequestShape(request: ForecastRequest): boolean {
  const { asOf, horizon, series } = request as { asOf: unknown; horizon: unknown; series: unknown };
  if (typeof asOf !== 'string' || !isIsoDate(asOf) || !Number.isInteger(horizon) || (horizon as number) < 1 || (horizon as number) > MAX_HORIZON) return false;
  if (!Array.isArray(series)) return false;
  for (const one of series as { key: unknown; start: unknown; values: unknown }[]) {
    if (typeof one !== 'object' || one === null || typeof one.key !== 'string' || typeof one.start !== 'string' || !isIsoDate(one.start)) return false;
    if (!Array.isArray(one.values)) return false;
    for (const value of one.values) if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return false;
  }
  return true;
}

/** Every problem with a request: shape first, then that each series ends the day before the as-of date. */
function requestProblems(request: ForecastRequest): Problem[] {
  const parsed = hasRequestShape(request) ? undefined : requestSchema.safeParse(request);
  if (parsed && !parsed.success) return parsed.error.issues.map((issue) => ({ where: pathOf(issue.path), message: issue.message }));
  const problems: Problem[] = [];
  const asOf = toDayNumber(request.asOf);
  const seen = new Set<string>();
  request.series.forEach((series, index) => {
    const end = toDayNumber(series.start) + series.values.length;
    if (end !== asOf) {
      problems.push({
        where: `series[${index}] (${series.key})`,
        message: `starts ${series.start} with ${series.values.length} day(s), so it ends ${end - asOf} day(s) away from the day before asOf ${request.asOf}; it must end exactly then`,
      });
    }
    if (seen.has(series.key)) {
      problems.push({ where: `series[${index}]`, message: `duplicate key ${JSON.stringify(series.key)}` });
    }
    seen.add(series.key);
  });
  return problems;
}

/** Thrown when the request's signal is aborted between two series. */
function abortError(done: number, total: number): Error {
  const error = new Error(`forecast aborted after ${done} of ${total} series`);
  error.name = 'AbortError';
  return error;
}

/** What a per-series model is given: the series and where it sits on the calendar. */
export interface SeriesContext {
  readonly series: DailySeries;
  /** Day number (days since 1970-01-01) of `series.values[0]`. */
  readonly startDay: number;
  readonly horizon: number;
}

/**
 * Validates a request, then forecasts its series one at a time, in input order: the abort signal is checked before
 * each series and progress reported after it. Between series the event loop gets a turn, so an abort requested by
 * a signal handler (worker shutdown) is seen without waiting for the whole batch.
 *
 * @throws InputError listing every malformed series.
 */
export async function forecastEachSeries(
  request: ForecastRequest,
  forecastOne: (context: SeriesContext) => PredictiveSeries,
): Promise<PredictiveSeries[]> {
  const problems = requestProblems(request);
  if (problems.length > 0) throw new InputError(problems, 'Invalid forecast request:');
  const total = request.series.length;
  const out: PredictiveSeries[] = [];
  for (const series of request.series) {
    if (request.signal?.aborted) throw abortError(out.length, total);
    out.push(forecastOne({ series, startDay: toDayNumber(series.start), horizon: request.horizon }));
    request.onProgress?.(out.length, total);
    await nextTurn();
  }
  return out;
}
