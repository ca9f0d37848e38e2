import type { Stage } from '@funnelcast/core';
import { BACKTEST_LEVELS, type BacktestLevel, type BacktestMetric, type BacktestReport, type BacktestSummaryRow } from './backtest-types.js';
import { stagesAt } from './level-units.js';

/** One column of a backtest table: a metric, how to print it, and what "best" means for it. */
interface MetricColumn {
  readonly title: string;
  readonly metric: BacktestMetric;
  /** Show the ratio to v1 instead of the value. */
  readonly ratio?: boolean;
  readonly format: (value: number) => string;
  /** Distance from ideal: the smallest is best. */
  readonly badness: (value: number) => number;
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
// Core's signed and absolute errors are already in percent; the other rates are fractions.
const signedPct = (value: number) => `${value > 0 ? '+' : ''}${value.toFixed(1)}%`;
const inPct = (value: number) => `${value.toFixed(1)}%`;
const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const lowest = (value: number) => value;
const near = (target: number) => (value: number) => Math.abs(value - target);

const COLUMNS: readonly MetricColumn[] = [
  { title: 'error', metric: 'signed_pct_error', format: signedPct, badness: near(0) },
  { title: '|error|', metric: 'abs_pct_error', format: inPct, badness: lowest },
  { title: 'captured', metric: 'capture_rate', format: pct, badness: near(1) },
  { title: 'WAPE', metric: 'wape', format: pct, badness: lowest },
  { title: 'WAPE ÷ v1', metric: 'wape', ratio: true, format: (v) => `${v.toFixed(2)}×`, badness: lowest },
  { title: 'MASE', metric: 'mase', format: fixed(2), badness: lowest },
  { title: 'cov 50', metric: 'coverage_50', format: pct, badness: near(0.5) },
  { title: 'cov 95', metric: 'coverage_95', format: pct, badness: near(0.95) },
  { title: 'total cov 50', metric: 'period_coverage_50', format: pct, badness: near(0.5) },
  { title: 'total cov 95', metric: 'period_coverage_95', format: pct, badness: near(0.95) },
  { title: 'pinball', metric: 'pinball', format: fixed(3), badness: lowest },
];

const LEVEL_TITLES: Record<BacktestLevel, string> = { total: 'Total', super_segment: 'Super-segment', channel_source: 'Channel × Source' };
const STAGE_TITLES: Record<Stage, string> = { mqls: 'MQLs', sqls: 'SQLs', sqos: 'SQOs' };

/** One cell of a table: its text and whether it is the best of its column. */
export interface BacktestCell {
  readonly text: string;
  readonly best: boolean;
}

/** A table of the report: a title, a header and rows of cells (the first cell of a row names it). */
export interface BacktestTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly BacktestCell[])[];
}

/** Marks the best cell(s) of each column; a column where every model ties has no best. */
function markBest(values: readonly (number | null)[], badness: (value: number) => number): boolean[] {
  const scores = values.map((v) => (v === null ? Infinity : badness(v)));
  const best = Math.min(...scores);
  const ties = scores.filter((s) => s === best).length;
  return scores.map((s) => Number.isFinite(best) && s === best && ties < scores.length);
}

/**
 * The report as tables, in reading order: models × metrics for each level and stage (metrics averaged over the
 * origins, the best of each column marked), then the mapping windows and the time per origin. The CLI prints
 * them for a terminal and as Markdown; the benchmark quotes them.
 */
export function backtestTables(report: BacktestReport): BacktestTable[] {
  const tables: BacktestTable[] = [];
  const find = (model: string, level: BacktestLevel, stage: Stage, metric: BacktestMetric): BacktestSummaryRow | undefined =>
    report.summary.find((r) => r.model === model && r.level === level && r.stage === stage && r.metric === metric);
  for (const level of BACKTEST_LEVELS) {
    for (const stage of stagesAt(level)) {
      const columns = COLUMNS.map((column) =>
        report.models.map((model) => {
          const row = find(model, level, stage, column.metric);
          return (column.ratio ? row?.ratioToV1 : row?.value) ?? null;
        }),
      );
      const best = COLUMNS.map((column, i) => markBest(columns[i]!, column.badness));
      tables.push({
        title: `${LEVEL_TITLES[level]} — ${STAGE_TITLES[stage]}`,
        header: ['model', ...COLUMNS.map((c) => c.title)],
        rows: report.models.map((model, m) => [
          { text: model, best: false },
          ...COLUMNS.map((column, i) => {
            const value = columns[i]![m] ?? null;
            return { text: value === null ? '' : column.format(value), best: best[i]![m] ?? false };
          }),
        ]),
      });
    }
  }
  const mappingBest = markBest(report.mapping.map((m) => m.wape), lowest);
  tables.push({
    title: 'Mapping windows — actual segment SQLs distributed to Channel × Source',
    header: ['window', 'WAPE', ...report.origins],
    rows: report.mapping.map((row, i) => [
      { text: `${row.windowDays} days`, best: false },
      { text: row.wape === null ? '' : pct(row.wape), best: mappingBest[i] ?? false },
      ...report.origins.map((origin) => {
        const value = row.perOrigin.find((o) => o.origin === origin)?.wape ?? null;
        return { text: value === null ? '' : pct(value), best: false };
      }),
    ]),
  });
  tables.push({
    title: 'Time per origin',
    header: ['origin', 'seconds'],
    rows: report.timings.map((t) => [{ text: t.origin, best: false }, { text: (t.ms / 1000).toFixed(2), best: false }]),
  });
  return tables;
}

/** Escapes a Markdown table cell. */
const mdCell = (text: string) => text.replaceAll('|', '\\|');

/** The report as Markdown: a heading, what was compared, and every table with the best values in bold. */
export function backtestMarkdown(report: BacktestReport): string {
  const lines = [
    `# Backtest ${report.backtestId}`,
    '',
    `${report.origins.length} origin(s) (${report.origins.join(', ')}), each forecasting the rest of its ${report.period}; ` +
      `models: ${report.models.join(', ')}. Target ${report.target} (${report.warehouse}), run ${report.createdAt}. ` +
      'Metrics are means over the origins; **bold** is the best of each column.',
  ];
  for (const table of backtestTables(report)) {
    lines.push('', `## ${table.title}`, '', `| ${table.header.map(mdCell).join(' | ')} |`, `|${table.header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
    for (const row of table.rows) lines.push(`| ${row.map((c) => (c.best && c.text ? `**${mdCell(c.text)}**` : mdCell(c.text))).join(' | ')} |`);
  }
  if (report.warnings.length > 0) lines.push('', '## Warnings', '', ...report.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}
