import { describe, expect, it } from 'vitest';
import { runTimings, runWarnings, warningsJson } from './run-warnings.js';

describe('run warnings', () => {
  it('stores no warnings as NULL and reads NULL back as none', () => {
    expect(warningsJson([])).toBeNull();
    expect(runWarnings({ warnings_json: null })).toEqual([]);
  });

  it('round-trips warnings, quotes and newlines included', () => {
    const warnings = ['Guardrail: "Web × organic" mstl-ets → seasonal-naive', 'data ends 2026-11-30\nas-of 2026-12-06'];
    const stored = warningsJson(warnings);
    expect(JSON.parse(stored ?? '')).toEqual(warnings);
    expect(runWarnings({ warnings_json: stored })).toEqual(warnings);
  });

  it('keeps a value that is not a JSON array of strings as one warning', () => {
    expect(runWarnings({ warnings_json: 'stale data' })).toEqual(['stale data']);
    expect(runWarnings({ warnings_json: '[1, 2]' })).toEqual(['[1, 2]']);
  });
});

describe('runTimings', () => {
  it('reads the stored milliseconds per phase, and nothing from a missing or broken value', () => {
    expect(runTimings({ timings_json: JSON.stringify({ aggregate: 12, publish: 3.5 }) })).toEqual({ aggregate: 12, publish: 3.5 });
    expect(runTimings({ timings_json: null })).toBeNull();
    expect(runTimings({ timings_json: '{"aggregate": "fast"}' })).toBeNull();
    expect(runTimings({ timings_json: 'not json' })).toBeNull();
  });
});
