import type { RunRecord } from './columns.js';

/**
 * Run leases: a running run's owner renews `heartbeat_at` while it works. A run whose owner stopped renewing (a killed
 * process) is stored as `abandoned` once its lease has run out, instead of staying `running` forever.
 */

/** The instant a running run's lease runs out: its last heartbeat (its start, before the first) plus the lease. */
export function leaseExpiry(run: Pick<RunRecord, 'started_at' | 'heartbeat_at'>, leaseMs: number): Date {
  return new Date(Date.parse(run.heartbeat_at ?? run.started_at) + leaseMs);
}

/** Runs last renewed before this instant have outlived their lease at `now`. */
export function leaseCutoff(now: Date, leaseMs: number): Date {
  return new Date(now.getTime() - leaseMs);
}

/** Why a run was abandoned for an expired lease, as its `error` says. */
export function expiredLeaseError(run: Pick<RunRecord, 'started_at' | 'heartbeat_at' | 'owner'>, leaseMs: number): string {
  return `lease expired at ${leaseExpiry(run, leaseMs).toISOString()} (owner ${run.owner ?? 'unknown'} stopped heartbeating)`;
}

/** Why an execution of a request was abandoned at publish: another execution of the same request published first. */
export function duplicateRequestError(requestId: string): string {
  return `another execution of request ${requestId} published first; this one published nothing`;
}
