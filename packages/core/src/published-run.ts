import type { RunRecord } from './columns.js';

/** What a warehouse knows at the moment it publishes a run. */
export interface PublishMoment {
  /** The warehouse's clock. */
  readonly now: Date;
  /** The latest `published_at` of any other run, in epoch milliseconds; null when no other run was published. */
  readonly latestOtherPublishedMs: number | null;
  readonly rowCount: number;
  readonly mappingRowCount: number;
}

/**
 * The record a run is published with. `published_at` is strictly after every other run's, even when clocks tie or
 * step back: among the runs of the newest as-of date the views show the latest `published_at`, so a re-run of the
 * production as-of date always replaces it. Every warehouse stamps its publish through this one rule.
 */
export function publishedRunRecord(record: RunRecord, moment: PublishMoment): RunRecord & { readonly published_at: string } {
  const publishedAt = new Date(Math.max(moment.now.getTime(), (moment.latestOtherPublishedMs ?? -Infinity) + 1)).toISOString();
  return {
    ...record,
    status: 'published',
    finished_at: record.finished_at ?? publishedAt,
    published_at: publishedAt,
    row_count: moment.rowCount,
    mapping_row_count: moment.mappingRowCount,
    error: null,
  };
}
