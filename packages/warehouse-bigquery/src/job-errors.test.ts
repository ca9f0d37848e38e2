import { ConfigError, InputError, TransientError } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { isTransient, toDomainError, TRANSIENT_REASONS } from './job-errors.js';

const apiError = (code: number, reason: string) => Object.assign(new Error(`${reason} happened`), { code, errors: [{ reason, message: reason }] });

describe('BigQuery job errors', () => {
  it.each([...TRANSIENT_REASONS])('treats reason %s as transient', (reason) => {
    expect(isTransient(apiError(400, reason))).toBe(true);
    expect(toDomainError(apiError(400, reason), 'query')).toBeInstanceOf(TransientError);
  });

  it.each([429, 500, 503])('treats HTTP %i as transient', (status) => {
    expect(toDomainError(Object.assign(new Error('busy'), { code: status }), 'query')).toBeInstanceOf(TransientError);
  });

  it.each(['ECONNRESET', 'ETIMEDOUT'])('treats socket error %s as transient', (code) => {
    expect(toDomainError(Object.assign(new Error('socket'), { code }), 'query')).toBeInstanceOf(TransientError);
  });

  it('maps a rejected query to InputError and a missing or forbidden resource to ConfigError, with the message', () => {
    const invalid = toDomainError(apiError(400, 'invalidQuery'), 'query');
    expect(invalid).toBeInstanceOf(InputError);
    expect(String(invalid)).toContain('invalidQuery happened');
    expect(toDomainError(apiError(404, 'notFound'), 'query')).toBeInstanceOf(ConfigError);
    expect(toDomainError(apiError(403, 'accessDenied'), 'query')).toBeInstanceOf(ConfigError);
    expect(toDomainError(apiError(400, 'bytesBilledLimitExceeded'), 'query')).toBeInstanceOf(ConfigError);
  });

  it('passes errors that are not BigQuery API errors through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(toDomainError(bug, 'query')).toBe(bug);
    expect(isTransient(bug)).toBe(false);
  });
});
