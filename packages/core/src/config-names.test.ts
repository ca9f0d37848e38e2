import { describe, expect, it } from 'vitest';
import { parseConfig, resolveTarget, superSegmentsLine } from './config.js';
import { ConfigError } from './errors.js';

function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.where}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('super-segment names', () => {
  it('are any non-empty text, as revenue teams write them, trimmed', () => {
    const config = parseConfig({ superSegments: ['Mid-Market', 'Partner & Alliances', ' Inbound ', 'Ünternehmen 2.0'] });
    expect(config.superSegments).toEqual(['Mid-Market', 'Partner & Alliances', 'Inbound', 'Ünternehmen 2.0']);
  });

  it('refuse an empty name and a name listed twice (after trimming)', () => {
    expect(problemsOf({ superSegments: ['Mid-Market', '  '] })).toEqual(['superSegments.1: must not be empty']);
    expect(problemsOf({ superSegments: ['Mid-Market', 'Mid-Market '] })).toEqual(['superSegments: lists a super-segment twice']);
  });

  it('leave target names identifiers', () => {
    expect(problemsOf({ targets: { 'my-target': { type: 'duckdb' } }, defaultTarget: 'my-target' })).toEqual([
      'targets.my-target: Invalid key in record',
      'defaultTarget: must be letters, digits and underscores, not starting with a digit',
    ]);
  });
});

describe('training settings', () => {
  it('default to a weekly train of ARIMA_PLUS with US holidays, 180 days of horizon and decomposition', () => {
    expect(parseConfig({}).training).toEqual({ cron: '0 5 * * 1', holidayRegion: 'US', arimaHorizon: 180, decomposeTimeSeries: true, scratchModelHours: 24 });
  });

  it('refuse a holiday region that is no region code, and an ARIMA_PLUS horizon shorter than the forecast', () => {
    expect(problemsOf({ training: { holidayRegion: 'us' } })).toEqual(['training.holidayRegion: must be a BigQuery ML holiday region code such as US, GB, EMEA or GLOBAL']);
    expect(problemsOf({ horizon: 200 })).toEqual(['training.arimaHorizon: is 180, shorter than the forecast horizon (200): ML.FORECAST could not read a whole forecast']);
    expect(problemsOf({ training: { scratchModelHours: 0, cron: '' } })).toHaveLength(2);
  });
});

describe('target lookup', () => {
  const config = parseConfig({});

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('does not take %s from Object.prototype', (name) => {
    expect(() => resolveTarget(config, name)).toThrow(ConfigError);
    expect(() => resolveTarget(config, name)).toThrow(`no target named ${JSON.stringify(name)}; configured: local`);
    expect(problemsOf({ defaultTarget: name })).toEqual(['defaultTarget: names no target; configured targets: local']);
  });
});

describe('superSegmentsLine', () => {
  it('writes the config line for the segments, quoting names YAML would not read back as text', () => {
    expect(superSegmentsLine(['Inbound', 'Outbound', 'Mid-Market'])).toBe('superSegments: [Inbound, Outbound, "Mid-Market"]');
    expect(superSegmentsLine(['Partner & Alliances', 'null', 'Say "hi"'])).toBe('superSegments: ["Partner & Alliances", "null", "Say \\"hi\\""]');
  });
});

describe('run retention', () => {
  it('keeps runs 400 days unless a target says otherwise, on either warehouse', () => {
    const config = parseConfig({
      targets: {
        local: { type: 'duckdb' },
        prod: { type: 'bigquery', projectId: 'acme-analytics', dataset: 'funnelcast', leads: { table: 'crm.leads' }, retentionDays: 90 },
      },
    });
    expect(config.targets.local?.retentionDays).toBe(400);
    expect(config.targets.prod?.retentionDays).toBe(90);
    expect(parseConfig({}).targets.local?.retentionDays).toBe(400);
  });

  it('refuses a retention that is not a whole number of days from 1', () => {
    expect(problemsOf({ targets: { local: { type: 'duckdb', retentionDays: 0 } } })).toEqual([
      'targets.local.retentionDays: Too small: expected number to be >=1',
    ]);
    expect(problemsOf({ targets: { local: { type: 'duckdb', retentionDays: 30.5 } } })).toEqual([
      'targets.local.retentionDays: Invalid input: expected int, received number',
    ]);
  });
});
