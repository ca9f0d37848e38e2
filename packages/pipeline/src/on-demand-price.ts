const TIB = 2 ** 40;

/** What BigQuery bills on demand for `bytes` processed, at `pricePerTiB` dollars per TiB. */
export const costUsd = (bytes: number, pricePerTiB: number): number => (bytes / TIB) * pricePerTiB;
