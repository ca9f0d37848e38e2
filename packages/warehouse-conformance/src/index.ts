/**
 * @funnelcast/warehouse-conformance — one test suite, written once, that every `Warehouse` implementation runs.
 */
export { describeWarehouseConformance, type WarehouseConformanceSetup } from './describe-warehouse-conformance.js';
export { HISTORY_REQUEST, mappingRows, productionRows, runRecord, selectionRows } from './fixtures.js';
