/**
 * The worker's timing defaults, shared by the library options and the environment. Worst-case recovery of a killed
 * worker's job is `max(lock duration + stalled interval, target lock TTL + lock retry)`: the job is found stalled at
 * the first stalled check after its lock expires, and then waits for the dead worker's target lock to expire.
 * 20 s + 10 s = 30 s with these values, as the README states.
 */
export const DEFAULT_LOCK_DURATION_MS = 20_000;
export const DEFAULT_STALLED_INTERVAL_MS = 10_000;
export const DEFAULT_TARGET_LOCK_TTL_MS = 20_000;
/** How long a job whose target is busy waits before trying again. */
export const DEFAULT_LOCK_RETRY_MS = 5_000;
export const DEFAULT_SCHEDULE_CHECK_INTERVAL_MS = 60_000;
/** BullMQ's limit: a job found stalled more often than this fails ("job stalled more than allowable limit"). */
export const MAX_STALLED_COUNT = 2;
