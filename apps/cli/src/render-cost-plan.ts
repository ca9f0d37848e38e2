import type { PricedPlan } from '@funnelcast/pipeline';
import { table } from './output.js';

/** Bytes in binary units for people: `0 B`, `12.3 MiB`, `1.50 TiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Dollars for people, with cents of a cent visible: `$0.0001`, `$12.35`; below a hundredth of a cent, `<$0.0001`. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/**
 * The cost plan of a BigQuery dry run: one line per statement, then the total and what was left unpriced. `what` names
 * the command planned, e.g. `a refresh of prod as of 2026-11-01, 90 days`.
 */
export function renderCostPlan(plan: PricedPlan, what: string): string {
  const rows = plan.statements.map((s) => [s.step, s.statement, s.bytes === null ? 'n/a' : formatBytes(s.bytes), s.costUsd === null ? `not priced: ${s.error ?? ''}` : formatUsd(s.costUsd)]);
  return [
    `Dry run of ${what} (BigQuery): only dry-run jobs were sent; nothing ran and nothing was written.`,
    '',
    table(['step', 'statement', 'bytes', 'cost'], rows),
    '',
    `Total: ${formatBytes(plan.totalBytes)} in ${plan.statements.length} statements, about ${formatUsd(plan.totalCostUsd)} at $${plan.pricePerTib}/TiB (pricePerTiB in the target)` +
      (plan.unpriced > 0 ? `; ${plan.unpriced} statement(s) could not be priced (see above).` : '.'),
  ].join('\n');
}
