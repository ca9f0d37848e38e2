import type { FunnelcastConfig } from '@funnelcast/core';
import { REFRESH_JOB_NAME, REFRESH_JOB_OPTIONS, type RefreshQueue } from './queue.js';

/** The id of the scheduler of a target's refresh: one per target, so upserting it again updates it in place. */
export function schedulerId(target: string): string {
  return `refresh:${target}`;
}

/** A registered schedule, for logs and `queue status`. */
export interface ScheduleInfo {
  readonly id: string;
  readonly pattern: string;
  readonly tz: string;
  /** Unix milliseconds of the next run, when known. */
  readonly next?: number;
}

/**
 * Makes the queue's schedulers match the config: one per configured target on `config.schedule`, upserted (so
 * restarts and several workers never duplicate them, and a changed cron updates in place), and the schedulers of
 * targets no longer configured removed. Scheduled jobs carry only the target: the as-of date is the day they run.
 */
export async function syncSchedules(queue: RefreshQueue, config: FunnelcastConfig): Promise<ScheduleInfo[]> {
  const { cron: pattern, tz } = config.schedule;
  const wanted = new Set(Object.keys(config.targets).map(schedulerId));
  for (const target of Object.keys(config.targets)) {
    await queue.upsertJobScheduler(schedulerId(target), { pattern, tz }, { name: REFRESH_JOB_NAME, data: { target }, opts: REFRESH_JOB_OPTIONS });
  }
  for (const scheduler of await queue.getJobSchedulers()) {
    if (scheduler.key.startsWith('refresh:') && !wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
  }
  return listSchedules(queue);
}

/** The schedulers of the config's targets that are not in Redis (e.g. after Redis restarted empty). */
export async function missingSchedules(queue: RefreshQueue, config: FunnelcastConfig): Promise<string[]> {
  const registered = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
  return Object.keys(config.targets)
    .map(schedulerId)
    .filter((id) => !registered.has(id));
}

/** The queue's refresh schedulers with their next run. */
export async function listSchedules(queue: RefreshQueue): Promise<ScheduleInfo[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return schedulers
    .filter((s) => s.key.startsWith('refresh:'))
    .map((s) => ({ id: s.key, pattern: s.pattern ?? '', tz: s.tz ?? 'UTC', ...(s.next !== undefined ? { next: s.next } : {}) }));
}
