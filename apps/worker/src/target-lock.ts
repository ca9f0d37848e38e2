import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DEFAULT_TARGET_LOCK_TTL_MS } from './defaults.js';

/** Deletes the key only while it still holds our token, so a lock that expired and was retaken is left alone. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the key's TTL only while it still holds our token. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** A held lock on one target. */
export interface HeldTargetLock {
  /**
   * Aborted when a renewal finds the lock no longer ours (it expired while Redis or this process stalled, and
   * another worker may have taken the target): the refresh holding it must stop before it publishes.
   */
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/** Options of {@link createTargetLock}. */
export interface TargetLockOptions {
  /** Redis key prefix; the lock of target `t` is `<prefix>:lock:<t>`. */
  readonly prefix: string;
  /**
   * How long a lock outlives a worker that stopped renewing it (a killed worker). Renewed every third of it.
   * @defaultValue 20000
   */
  readonly ttlMs?: number;
}

/** Mutual exclusion per target across every worker on one Redis. */
export interface TargetLock {
  /** Takes the lock on `target`, or returns undefined when another refresh holds it. */
  acquire(target: string): Promise<HeldTargetLock | undefined>;
}

/**
 * A Redis lock per target (SET NX PX with a random token, renewed while held, released by compare-and-delete), so
 * one target is refreshed by one worker at a time while other targets run in parallel.
 */
export function createTargetLock(redis: Redis, options: TargetLockOptions): TargetLock {
  const ttlMs = options.ttlMs ?? DEFAULT_TARGET_LOCK_TTL_MS;
  return {
    async acquire(target) {
      const key = `${options.prefix}:lock:${target}`;
      const token = randomUUID();
      if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
      const lost = new AbortController();
      // A renewal that fails to reach Redis is retried on the next tick; if Redis stays away the TTL frees the
      // target for others. One that reaches Redis and finds another token means the target is no longer ours.
      const renew = async () => {
        if ((await redis.eval(RENEW, 1, key, token, ttlMs)) === 0) {
          clearInterval(timer);
          lost.abort(new Error(`lost the lock on target ${target}: it expired and may have been taken by another worker`));
        }
      };
      const timer = setInterval(() => void renew().catch(() => undefined), Math.max(10, Math.floor(ttlMs / 3)));
      timer.unref();
      let released = false;
      return {
        lost: lost.signal,
        async release() {
          if (released) return;
          released = true;
          clearInterval(timer);
          await redis.eval(RELEASE, 1, key, token);
        },
      };
    },
  };
}
