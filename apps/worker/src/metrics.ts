import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How a processed job ended, as counted by `funnelcast_worker_jobs_total`. */
export type JobOutcome = 'completed' | 'failed' | 'retrying' | 'waiting_for_lock';

/** The worker's Prometheus metrics, in their own registry (served at `/metrics`). */
export interface WorkerMetrics {
  readonly registry: Registry;
  /** Counts a job's outcome and, for refreshes that ran, observes their duration. */
  recordJob(target: string, outcome: JobOutcome, seconds?: number): void;
}

/** Options of {@link createWorkerMetrics}. */
export interface WorkerMetricsOptions {
  /** Counts the config's schedules missing from Redis, at each scrape; without it the gauge is not served. */
  readonly schedulesMissing?: () => Promise<number>;
}

/**
 * Creates the metrics: jobs by outcome and target, refresh duration (seconds) by target and outcome, the time of
 * the last successful refresh per target, the schedules missing from Redis, plus Node's process metrics.
 */
export function createWorkerMetrics(options: WorkerMetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'funnelcast_worker_' });
  const jobs = new Counter({
    name: 'funnelcast_worker_jobs_total',
    help: 'Refresh jobs processed, by target and outcome',
    labelNames: ['target', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'funnelcast_worker_refresh_duration_seconds',
    help: 'Wall time of refreshes, by target and outcome',
    labelNames: ['target', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: 'funnelcast_worker_last_success_timestamp_seconds',
    help: 'Unix time of the last successful refresh, by target',
    labelNames: ['target'] as const,
    registers: [registry],
  });
  const { schedulesMissing } = options;
  if (schedulesMissing) {
    new Gauge({
      name: 'funnelcast_worker_schedules_missing',
      help: "Configured schedules not registered in Redis (each worker registers them again within FUNNELCAST_SCHEDULE_CHECK_INTERVAL_MS); -1 when Redis cannot tell",
      registers: [registry],
      async collect() {
        this.set(await schedulesMissing().catch(() => -1));
      },
    });
  }
  return {
    registry,
    recordJob(target, outcome, seconds) {
      jobs.inc({ target, outcome });
      if (seconds !== undefined) duration.observe({ target, outcome }, seconds);
      if (outcome === 'completed') lastSuccess.set({ target }, Date.now() / 1000);
    },
  };
}
