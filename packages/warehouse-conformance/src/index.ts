/**
 * @funnelcast/warehouse-conformance — one test suite, written once, that every `Warehouse` implementation runs.
 */
export { describeWarehouseConformance, type WarehouseConformanceSetup } from './describe-warehouse-conformance.js';
export {
  EXPECTED_HISTORY,
  HISTORY_REQUEST,
  LEADS,
  mappingRows,
  productionRows,
  recountMqlToSql,
  runRecord,
  selectionRows,
  SIMULATED_LEADS,
  SIMULATED_REQUEST,
  sortHistory,
} from './fixtures.js';
