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
    const lock = createTargetLock(redis, { prefix, ttlMs: 60 });
    const held = await lock.acquire('alpha');
    // Wait for three TTLs by watching the key, not the clock: it must still exist after each expiry would have hit.
    for (let i = 0; i < 3; i++) {
      const deadline = Date.now() + 60;
      while (Date.now() < deadline) await redis.pttl(`${prefix}:lock:alpha`);
      expect(await redis.exists(`${prefix}:lock:alpha`)).toBe(1);
    }
    await held!.release();
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
