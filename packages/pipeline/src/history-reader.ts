import type { HistoryReader, Warehouse } from '@funnelcast/core';

/**
 * What a refresh or a backtest reads its histories through: the warehouse's {@link HistoryReader} when it has one (its
 * reads at several as-of dates share work), otherwise each read on its own. Closing it never throws: what the reads
 * shared only holds memory until the connection closes, and failing to release it must not fail a run, least of all
 * one that has published.
 */
export function openHistoryReader(warehouse: Warehouse): HistoryReader {
  const reader = warehouse.historyReader?.();
  if (!reader) return { readHistory: (request) => warehouse.readHistory(request), close: () => Promise.resolve() };
  return { readHistory: (request) => reader.readHistory(request), close: () => reader.close().catch(() => undefined) };
}
