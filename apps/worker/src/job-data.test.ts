import { describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { ConfigError, EnvironmentError, InputError, InvariantViolationError, NotFoundError, TransientError } from '@funnelcast/core';
import { redactUrl } from './connection.js';
import { toJobError } from './error-policy.js';
import { parseRefreshJobData } from './job-data.js';
import { testConfig } from './testing/fixtures.js';

describe('refresh job data', () => {
  const config = testConfig(['alpha', 'beta']);

  it('accepts a configured target with optional settings', () => {
    expect(parseRefreshJobData({ target: 'beta', asOf: '2025-02-28', horizon: 30, dryRun: true }, config)).toEqual({ target: 'beta', asOf: '2025-02-28', horizon: 30, dryRun: true });
    expect(parseRefreshJobData({ target: 'alpha' }, config)).toEqual({ target: 'alpha' });
  });

  it('lists every problem at once', () => {
    const error = (() => {
      try {
        parseRefreshJobData({ target: 'gamma', asOf: '2025-02-30', horizon: 1001, extra: 1 }, config);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.where).sort()).toEqual(['job.data', 'job.data.asOf', 'job.data.horizon', 'job.data.target']);
  });

  it('requires a target', () => {
    expect(() => parseRefreshJobData({}, config)).toThrow(/job.data.target/);
    expect(() => parseRefreshJobData(null, config)).toThrow(ConfigError);
  });
});

describe('error policy', () => {
  it('does not retry what fails the same way every time', () => {
    for (const error of [
      new ConfigError([{ where: 'x', message: 'bad' }]),
      new InputError([{ where: 'row 1', message: 'bad' }]),
      new InvariantViolationError([{ rule: 'non-negative', count: 1, examples: ['a'] }]),
      new NotFoundError('target', 'x', []),
      new EnvironmentError('/data/fc.duckdb is not a DuckDB database'),
    ]) {
      const mapped = toJobError(error);
      expect(mapped).toBeInstanceOf(UnrecoverableError);
      expect(mapped.message).toContain(error.code);
      expect(mapped.cause).toBe(error);
    }
  });

  it('lets transient and unknown faults through to be retried', () => {
    const transient = new TransientError('rate limited');
    expect(toJobError(transient)).toBe(transient);
    const unknown = new Error('ECONNRESET');
    expect(toJobError(unknown)).toBe(unknown);
    expect(toJobError('odd')).toBeInstanceOf(Error);
    expect(toJobError('odd')).not.toBeInstanceOf(UnrecoverableError);
  });
});

describe('redactUrl', () => {
  it('hides passwords and unparseable URLs', () => {
    expect(redactUrl('redis://user:s3cret@redis.internal:6380/2')).toBe('redis://user:***@redis.internal:6380/2');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url with s3cret')).not.toContain('s3cret');
  });
});
