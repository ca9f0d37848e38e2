import type { HistoryReader, Warehouse } from '@funnelcast/core';

/**
 * `warehouse` with its history reads logged into `log`: `plain <as-of>` for each read of its own `readHistory`, and
 * `open`, `read <as-of>`, `close` for a history reader's life (its own reader's, or one over `readHistory` when it has
 * none), so a test sees which path each read took.
 */
export function loggedHistoryReads<W extends Warehouse>(warehouse: W, log: string[]): W {
  return {
    ...warehouse,
    readHistory: (request) => {
      log.push(`plain ${request.asOf}`);
      return warehouse.readHistory(request);
    },
    historyReader: (): HistoryReader => {
      const reader = warehouse.historyReader?.() ?? { readHistory: warehouse.readHistory, close: () => Promise.resolve() };
      log.push('open');
      return {
        readHistory: (request) => {
          log.push(`read ${request.asOf}`);
          return reader.readHistory(request);
        },
        close: () => {
          log.push('close');
          return reader.close();
        },
      };
    },
  };
}
