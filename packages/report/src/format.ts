const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const wholeCounts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count as the report prints it: one decimal below 1,000, whole above. */
export function formatCount(value: number): string {
  return Math.abs(value) >= 1000 ? wholeCounts.format(value) : counts.format(value);
}

/** A share or rate as a percentage with one decimal. */
export function formatPercent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** An interval as `low – high`. */
export function formatInterval(low: number, high: number): string {
  return `${formatCount(low)} – ${formatCount(high)}`;
}
