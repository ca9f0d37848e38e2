import type { FunnelcastConfig } from '@funnelcast/core';
import { REFRESH_JOB_NAME, REFRESH_JOB_OPTIONS, TRAIN_JOB_NAME, type RefreshQueue } from './queue.js';

/** The id of the scheduler of a target's refresh: one per target, so upserting it again updates it in place. */
export function schedulerId(target: string): string {
  return `refresh:${target}`;
}

/** The id of the scheduler of a BigQuery target's `funnelcast train`. */
export function trainSchedulerId(target: string): string {
  return `train:${target}`;
}

const OURS = /^(refresh|train):/;

/**
 * The schedulers the config asks for: a refresh of every target on `schedule.cron`, and — when the worker can train —
 * a train of every BigQuery target on `training.cron` (weekly by default; embedded targets have nothing to train).
 */
function wantedSchedules(config: FunnelcastConfig, train: boolean) {
  const { tz } = config.schedule;
  const targets = Object.entries(config.targets);
  return [
    ...targets.map(([target]) => ({ id: schedulerId(target), pattern: config.schedule.cron, tz, name: REFRESH_JOB_NAME, target })),
    ...(train ? targets.filter(([, t]) => t.type === 'bigquery').map(([target]) => ({ id: trainSchedulerId(target), pattern: config.training.cron, tz, name: TRAIN_JOB_NAME, target })) : []),
  ];
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
 * Makes the queue's schedulers match the config: a refresh per configured target on `config.schedule` and, with
 * `train`, a train per BigQuery target on `config.training.cron`, upserted (so restarts and several workers never
 * duplicate them, and a changed cron updates in place), and the schedulers of targets no longer configured removed.
 * Scheduled jobs carry only the target: the as-of date is the day they run.
 */
export async function syncSchedules(queue: RefreshQueue, config: FunnelcastConfig, train = false): Promise<ScheduleInfo[]> {
  const wanted = wantedSchedules(config, train);
  for (const s of wanted) {
    await queue.upsertJobScheduler(s.id, { pattern: s.pattern, tz: s.tz }, { name: s.name, data: { target: s.target }, opts: REFRESH_JOB_OPTIONS });
  }
  const ids = new Set(wanted.map((s) => s.id));
  for (const scheduler of await queue.getJobSchedulers()) {
    if (OURS.test(scheduler.key) && !ids.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
  }
  return listSchedules(queue);
}

/** The schedulers of the config that are not in Redis (e.g. after Redis restarted empty). */
export async function missingSchedules(queue: RefreshQueue, config: FunnelcastConfig, train = false): Promise<string[]> {
  const registered = new Set((await queue.getJobSchedulers(0, -1)).map((s) => s.key));
  return wantedSchedules(config, train)
    .map((s) => s.id)
    .filter((id) => !registered.has(id));
}

/** The queue's refresh and train schedulers with their next run. */
export async function listSchedules(queue: RefreshQueue): Promise<ScheduleInfo[]> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return schedulers
    .filter((s) => OURS.test(s.key))
    .map((s) => ({ id: s.key, pattern: s.pattern ?? '', tz: s.tz ?? 'UTC', ...(s.next !== undefined ? { next: s.next } : {}) }));
}
