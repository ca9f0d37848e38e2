import { ARIMA_PLUS, ENSEMBLE, FUNNEL_COHORT, MSTL_ETS, SEASONAL_NAIVE, STAGE_LABELS, V1_AUTO_ARIMA, V31_BQML, V3_RIDGE, type SelectionGroup } from '@funnelcast/core/terms';
import type { RefreshSummary } from '@funnelcast/pipeline';
import { landingRow } from './forecast-rows.js';
import { formatNumber, formatTimings, table, totalSeconds } from './output.js';

const SPLIT_NAMES: Readonly<Record<string, string>> = { historical: 'historical shares', forecast_proportions: 'forecast proportions' };

// What each model name means, in words: the summary names models, and a reader should not need the README to read it.
const MODEL_WORDS: Readonly<Record<string, string>> = {
  [MSTL_ETS]: 'weekday and yearly seasonality pooled across combinations, each with its own exponential-smoothing level and trend',
  [SEASONAL_NAIVE]: "the same weekday's mean over the last 8 weeks",
  [V1_AUTO_ARIMA]: 'one AutoARIMA model per series',
  [V3_RIDGE]: 'the V3.1 regressor: calendar, weekend, lagged means and trend',
  [FUNNEL_COHORT]: 'MQLs already open × their chance to convert by age, plus forecast MQLs × conversion spread by the MQL→SQL lag',
  [ARIMA_PLUS]: "BigQuery ML's ARIMA_PLUS per combination",
  [V31_BQML]: 'the V3.1 boosted tree in BigQuery ML',
  [ENSEMBLE]: 'every scored model, weighted by how well it backtested',
  'historical shares': "each combination's share of its super-segment's SQLs over the mapping window",
  'forecast proportions': 'the shares the funnel-aware forecast itself gives the combinations',
};

/** One line per model or split the summary names (a blend's parts included), saying what it is. */
function modelLegend(names: readonly string[]): string[] {
  const parts = new Set(names.flatMap((name) => (name.startsWith('blend:') ? name.slice('blend:'.length).split('+') : [name])));
  const lines = [...parts].filter((name) => MODEL_WORDS[name]).map((name) => `      ${name}: ${MODEL_WORDS[name]}`);
  const blends = names.some((name) => name.startsWith('blend:')) ? ['      blend:a+b: the average of the two models that backtested best'] : [];
  return lines.length + blends.length > 0 ? ['    what the names mean:', ...blends, ...lines] : [];
}

const chosenOf = (group: SelectionGroup | undefined): string | undefined => group?.scores.find((s) => s.chosen)?.candidate;

/**
 * What forecast each stage: one line per stage, and one per super-segment for SQLs when the segments chose different
 * models or splits. A stage with one model to choose from (a configured model) reads as configured, not chosen.
 */
function renderModels(summary: RefreshSummary): string[] {
  const { selection } = summary;
  const chose = (groups: readonly SelectionGroup[]) => groups.some((g) => g.scores.length > 1);
  const choosing = chose(selection.mqls) || chose(selection.sqls);
  const origins = Math.max(0, ...[...selection.mqls, ...selection.sqls].flatMap((g) => g.scores.map((s) => s.origins)));
  // Only worth saying when the other stage was chosen by backtest.
  const configured = (groups: readonly SelectionGroup[]) => (choosing && !chose(groups) ? ' (configured)' : '');
  const sqlOf = (segment: string) => chosenOf(selection.sqls.find((g) => g.group === segment)) ?? summary.models.sqls;
  const splitOf = (segment: string) => SPLIT_NAMES[chosenOf(selection.split.find((g) => g.group === segment)) ?? 'historical'] ?? 'historical shares';
  const segments = summary.superSegments.map((segment) => ({ segment, model: sqlOf(segment), split: splitOf(segment) }));
  const uniform = new Set(segments.map((s) => `${s.model} ${s.split}`)).size <= 1;
  const width = Math.max(...segments.map((s) => s.segment.length));
  const modelWidth = Math.max(...segments.map((s) => s.model.length));
  const sqls = uniform
    ? [`    SQLs  ${segments[0]?.model ?? summary.models.sqls}${configured(selection.sqls)} per super-segment, split to Channel × Source by ${segments[0]?.split ?? 'historical shares'}`]
    : segments.map(({ segment, model, split }, i) => `    ${i === 0 ? 'SQLs' : '    '}  ${segment.padEnd(width)}  ${model.padEnd(modelWidth)}  split by ${split}`);
  return [
    choosing ? `  models, chosen by backtest at ${origins} origins (funnelcast models shows the scores):` : '  models, as configured:',
    `    MQLs  ${summary.models.mqls}${configured(selection.mqls)}`,
    ...sqls,
    '    SQOs  hybrid rate × SQL→SQO lag (each combination\'s SQL→SQO rate, shrunk toward its segment\'s when it has few SQLs)',
    ...modelLegend([summary.models.mqls, ...segments.map((s) => s.model), ...segments.map((s) => s.split)]),
  ];
}

/**
 * A refresh summary as `--json` prints it: its landings are `funnelcast forecast --total` rows (period labels,
 * `actual`, `lower_50` …), so the two outputs read alike.
 */
export function summaryJson(summary: RefreshSummary) {
  return { ...summary, landings: summary.landings.map((landing) => landingRow(landing, null)) };
}

/** The human summary of a refresh: what was published, with which models, and where each stage lands this month and quarter. */
export function renderRefreshSummary(summary: RefreshSummary): string {
  const seconds = totalSeconds(summary.timings);
  const head = summary.published
    ? `Published run ${summary.runId} to ${summary.target} (${summary.warehouse}) in ${seconds}s`
    : `Dry run ${summary.runId} on ${summary.target} (${summary.warehouse}): computed and validated in ${seconds}s, nothing published`;
  const { productionRun } = summary;
  // A publish that is not what Looker shows must say so: an older as-of date is kept, not promoted.
  const notProduction =
    summary.published && !summary.production && productionRun
      ? [`  not production: kept for tracking; production stays run ${productionRun.runId} as of ${productionRun.asOf}`]
      : [];
  const duplicate = summary.alreadyPublished ? ['  already published by another execution of the same request: nothing new was published'] : [];
  const rows = summaryJson(summary).landings.map((l) => [
    `${l.period}${l.partial ? ' *' : ''}`,
    STAGE_LABELS[l.stage],
    formatNumber(l.actual, 0),
    formatNumber(l.forecast),
    formatNumber(l.landing),
    `${formatNumber(l.lower50)} – ${formatNumber(l.upper50)}`,
    `${formatNumber(l.lower95)} – ${formatNumber(l.upper95)}`,
  ]);
  return [
    head,
    ...duplicate,
    ...notProduction,
    `  as of ${summary.asOf}, ${summary.horizon}-day horizon, ${summary.combinations} active Channel × Source combinations, ` +
      `${summary.superSegments.length} super-segments, ${summary.rows.toLocaleString('en-US')} rows`,
    ...(summary.asOf !== summary.requestedAsOf
      ? [`  stale data: asked for ${summary.requestedAsOf}, but the data ends on ${summary.dataEnd.lastDay}: forecast from ${summary.asOf} (see Warnings)`]
      : []),
    ...renderModels(summary),
    '',
    'Where we land',
    table(['period', 'stage', 'actual to date', 'forecast rest', 'landing', '50% interval', '95% interval'], rows),
    ...(summary.landings.some((l) => l.partial) ? ['  * the horizon ends before the period does: its last days are not counted'] : []),
    '',
    `  timings: ${formatTimings(summary.timings)}`,
    ...(summary.warnings.length ? ['', 'Warnings', ...summary.warnings.map((w) => `  ! ${w}`)] : []),
  ].join('\n');
}
