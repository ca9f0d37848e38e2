import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisConnection } from './connection.js';
import { createTargetLock } from './target-lock.js';
import { testRedisUrl } from './testing/fixtures.js';

const redis = createRedisConnection(testRedisUrl(), { blocking: false });
afterAll(async () => {
  await redis.quit();
});

describe('target lock', () => {
  it('lets one holder in per target and frees the target on release', async () => {
    const prefix = `fctest-lock-${randomUUID()}`;
    const lock = createTargetLock(redis, { prefix });
    const held = await lock.acquire('alpha');
    expect(held).toBeDefined();
    expect(await lock.acquire('alpha')).toBeUndefined();
    const other = await lock.acquire('beta');
    expect(other).toBeDefined();
    await held!.release();
    const again = await lock.acquire('alpha');
    expect(again).toBeDefined();
    await Promise.all([again!.release(), other!.release()]);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('keeps a held lock alive past its TTL by renewing it', async () => {
    const prefix = `fctest-lock-${randomUUID()}`;
    const key = `${prefix}:lock:alpha`;
    const ttlMs = 300;
    const lock = createTargetLock(redis, { prefix, ttlMs });
    const held = await lock.acquire('alpha');
    // Watch the key for three TTLs: it never disappears, and its TTL is seen to go back up (renewed) each time.
    let renewals = 0;
    let last = ttlMs;
    const until = Date.now() + 3 * ttlMs;
    while (Date.now() < until) {
      const pttl = await redis.pttl(key);
      expect(pttl).toBeGreaterThan(0);
      if (pttl > last) renewals++;
      last = pttl;
    }
    expect(renewals).toBeGreaterThanOrEqual(3);
    expect(held!.lost.aborted).toBe(false);
    await held!.release();
  });

  it('signals a lock lost to another worker, so its refresh can stop before publishing', async () => {
    const prefix = `fctest-lock-${randomUUID()}`;
    const key = `${prefix}:lock:alpha`;
    const lock = createTargetLock(redis, { prefix, ttlMs: 60 });
    const held = await lock.acquire('alpha');
    const lost = new Promise<unknown>((resolve) => held!.lost.addEventListener('abort', () => resolve(held!.lost.reason), { once: true }));
    // The lock expired while this worker stalled, and another worker took the target.
    await redis.set(key, 'someone-else');
    expect(await lost).toBeInstanceOf(Error);
    expect(String(await lost)).toContain('lost the lock on target alpha');
    await held!.release();
    expect(await redis.get(key)).toBe('someone-else');
    await redis.del(key);
  });

  it('does not delete a lock that expired and was taken by someone else', async () => {
    const prefix = `fctest-lock-${randomUUID()}`;
    const key = `${prefix}:lock:alpha`;
    const lock = createTargetLock(redis, { prefix, ttlMs: 10_000 });
    const held = await lock.acquire('alpha');
    // Simulate the TTL running out and another worker taking the target.
    await redis.set(key, 'someone-else');
    await held!.release();
    expect(await redis.get(key)).toBe('someone-else');
    await redis.del(key);
  });
});
