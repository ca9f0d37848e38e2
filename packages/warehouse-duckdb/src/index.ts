/**
 * @funnelcast/warehouse-duckdb — the embedded warehouse: leads import with every problem reported, aggregation in
 * SQL, the schema derived from core's declarations, and atomic publish.
 */
export { createDuckDbWarehouse, type DuckDbWarehouse } from './duckdb-warehouse.js';
export type { ImportPhase, ImportSummary } from './import-leads.js';
