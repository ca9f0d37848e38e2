import { hostname } from 'node:os';
import type { FunnelcastConfig, Warehouse } from '@funnelcast/core';
import { withWarehouse } from './open-warehouse.js';

/** The lease of a run, in milliseconds, from the config's `runLeaseSeconds`. */
export const leaseMsOf = (config: FunnelcastConfig): number => config.runLeaseSeconds * 1000;

/** Who runs a refresh by default: this host and process. */
export const defaultOwner = (): string => `${hostname()}:${process.pid}`;

/** A running heartbeat; `stop` waits for a renewal in flight, so the warehouse can be closed after it. */
export interface Heartbeat {
  stop(): Promise<void>;
}

/**
 * Renews a run's lease every third of it, so two renewals may fail before the run counts as abandoned. Renewals
 * never overlap, a failed one is only a missed beat, and the timer does not keep the process alive.
 */
export function startHeartbeat(warehouse: Warehouse, runId: string, leaseMs: number, now: () => Date): Heartbeat {
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    beating = beating.then(() => warehouse.heartbeatRun(runId, now().toISOString())).catch(() => undefined);
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await beating;
    },
  };
}

/**
 * Stores the target's running runs whose lease expired (their process stopped heartbeating) as `abandoned`, and
 * returns their ids. `funnelcast runs` and every refresh call it first.
 */
export async function reapAbandonedRuns(config: FunnelcastConfig, target?: string, now: Date = new Date()): Promise<string[]> {
  return withWarehouse(config, target, async (warehouse) => {
    await warehouse.ensureSchema();
    return warehouse.abandonExpiredRuns(now, leaseMsOf(config));
  });
}
