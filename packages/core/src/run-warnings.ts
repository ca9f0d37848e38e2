import { z } from 'zod';
import type { RunRecord } from './columns.js';

/**
 * A run's warnings travel in one STRING column (`forecast_runs.warnings_json`) so both warehouses store them alike
 * and a BI tool can read them without a nested type. These two functions are the only way in and out.
 */

const WARNINGS = z.array(z.string());

/** The `warnings_json` value of a run: a JSON array of strings, or `null` when there is nothing to warn about. */
export function warningsJson(warnings: readonly string[]): string | null {
  return warnings.length === 0 ? null : JSON.stringify(warnings);
}

/**
 * The warnings of a stored run. A value that is not a JSON array of strings (written by hand, or by another tool)
 * comes back whole as one warning rather than being dropped: a warning is never lost to a parse error.
 */
export function runWarnings(record: Pick<RunRecord, 'warnings_json'>): string[] {
  const text = record.warnings_json;
  if (text === null) return [];
  try {
    const parsed = WARNINGS.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [text];
  } catch {
    return [text];
  }
}

const TIMINGS = z.record(z.string(), z.number());

/**
 * The milliseconds per phase of a stored run (`forecast_runs.timings_json`), or `null` when it has none (still running,
 * failed before timing) or when the stored text is not a JSON object of numbers.
 */
export function runTimings(record: Pick<RunRecord, 'timings_json'>): Record<string, number> | null {
  if (record.timings_json === null) return null;
  try {
    const parsed = TIMINGS.safeParse(JSON.parse(record.timings_json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
