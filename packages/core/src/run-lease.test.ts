import { describe, expect, it } from 'vitest';
import { forecastSettings, parseConfig } from './config.js';
import { ConfigError } from './errors.js';
import { expiredLeaseError, leaseCutoff, leaseExpiry } from './run-lease.js';

describe('run leases', () => {
  it('run out a lease after the last heartbeat, or after the start before the first one', () => {
    expect(leaseExpiry({ started_at: '2026-11-01T06:00:00.000Z', heartbeat_at: '2026-11-01T06:05:00.000Z' }, 120_000).toISOString()).toBe('2026-11-01T06:07:00.000Z');
    expect(leaseExpiry({ started_at: '2026-11-01T06:00:00.000Z', heartbeat_at: null }, 120_000).toISOString()).toBe('2026-11-01T06:02:00.000Z');
    expect(leaseCutoff(new Date('2026-11-01T06:07:00.000Z'), 120_000).toISOString()).toBe('2026-11-01T06:05:00.000Z');
  });

  it('say when the lease expired and whose it was', () => {
    expect(expiredLeaseError({ started_at: '2026-11-01T06:00:00.000Z', heartbeat_at: '2026-11-01T06:05:00.000Z', owner: 'box:42' }, 60_000)).toBe(
      'lease expired at 2026-11-01T06:06:00.000Z (owner box:42 stopped heartbeating)',
    );
  });
});

describe('runLeaseSeconds', () => {
  it('defaults to two minutes, takes whole seconds from 1, and leaves the forecast settings alone', () => {
    expect(parseConfig({}).runLeaseSeconds).toBe(120);
    expect(parseConfig({ runLeaseSeconds: 1 }).runLeaseSeconds).toBe(1);
    for (const bad of [0, 1.5, '60']) expect(() => parseConfig({ runLeaseSeconds: bad })).toThrow(ConfigError);
    expect(forecastSettings(parseConfig({ runLeaseSeconds: 5 }), 90)).toBe(forecastSettings(parseConfig({}), 90));
  });
});
