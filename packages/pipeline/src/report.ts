import { NotFoundError, type Warehouse } from '@funnelcast/core';
import type { ReportData, ReportGrouping } from '@funnelcast/report';

/** What `funnelcast report` and the worker's `/report` ask for. */
export interface ReportRequest {
  /** A published run; the production run when absent. */
  readonly runId?: string;
  readonly by?: ReportGrouping;
  readonly top?: number;
  /** The clock, for the page's footer. */
  readonly now?: () => Date;
}

/** A rendered report and the run it shows. */
export interface RenderedReport {
  readonly html: string;
  readonly runId: string;
  readonly asOf: string;
}

/**
 * Reads what the report of a run shows, through the warehouse port: the run's rows, mapping and model selection, its
 * record, every published run's forecast against actuals and the latest backtest. Null when no run is published
 * (and none is named); a named run that is not published is a {@link NotFoundError}.
 */
export async function readReportData(warehouse: Warehouse, runId?: string): Promise<ReportData | null> {
  const production = await warehouse.productionRun();
  const id = runId ?? production?.runId;
  if (id === undefined) return null;
  const [written, runs] = await Promise.all([warehouse.readRun(id), warehouse.listRuns()]);
  const run = runs.find((r) => r.run_id === id);
  if (!written || !run) {
    const published = runs.filter((r) => r.published_at !== null).map((r) => r.run_id);
    throw new NotFoundError('published run', id, published.slice(0, 10));
  }
  return {
    ...written,
    run,
    production: id === production?.runId,
    forecastVsActual: await warehouse.readForecastVsActual(),
    backtest: await warehouse.readLatestBacktest(),
  };
}

/** The report of a run as one self-contained HTML page, or null when no run is published (and none is named). */
export async function buildReport(warehouse: Warehouse, request: ReportRequest = {}): Promise<RenderedReport | null> {
  const data = await readReportData(warehouse, request.runId);
  if (!data) return null;
  // The renderer (and its chart library) loads for a report only, not with every import of the pipeline.
  const { renderReport } = await import('@funnelcast/report');
  const html = renderReport(data, {
    ...(request.by ? { by: request.by } : {}),
    ...(request.top === undefined ? {} : { top: request.top }),
    generatedAt: (request.now ?? (() => new Date()))().toISOString(),
  });
  return { html, runId: data.run.run_id, asOf: data.run.as_of };
}
