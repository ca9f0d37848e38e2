import { daysBetween, InputError, MAX_HORIZON, type ForecastRequest } from '@funnelcast/core';

/** What both in-warehouse forecasters share: how a request is checked and stopped. */

/** Checks a request: horizon in range, each series ending the day before the as-of date, unique keys. */
export function checkRequest(request: ForecastRequest): void {
  const problems = [
    ...(Number.isInteger(request.horizon) && request.horizon >= 1 && request.horizon <= MAX_HORIZON
      ? []
      : [{ where: 'horizon', message: `must be an integer from 1 to ${MAX_HORIZON}, got ${request.horizon}` }]),
    ...request.series.flatMap((s, i) =>
      daysBetween(s.start, request.asOf) === s.values.length
        ? []
        : [{ where: `series[${i}] ${JSON.stringify(s.key)}`, message: `must run from ${s.start} to the day before ${request.asOf}` }],
    ),
  ];
  if (new Set(request.series.map((s) => s.key)).size !== request.series.length) {
    problems.push({ where: 'series', message: 'series keys must be unique' });
  }
  if (problems.length) throw new InputError(problems, 'Invalid forecast request:');
}

/** Throws when the worker asked the forecast to stop. */
export function throwIfAborted(request: ForecastRequest, step: string): void {
  if (!request.signal?.aborted) return;
  const error = new Error(`forecast aborted before ${step}`);
  error.name = 'AbortError';
  throw error;
}

