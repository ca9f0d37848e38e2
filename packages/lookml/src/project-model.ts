import { FORECAST_VS_ACTUAL, MODEL_SELECTION, PRODUCTION_FORECAST, SEGMENT_MAPPING, STAGES, type RelationDeclaration } from '@funnelcast/core';
import { fieldRef, GROUP_LABELS, type LookmlView } from './view-model.js';

/** An explore over one generated view. */
export interface LookmlExplore {
  readonly name: string;
  readonly view: string;
  readonly label: string;
  readonly description: string;
  /** Why the explore stands alone, printed as a comment. */
  readonly why: string;
}

/** One tile of the LookML dashboard. */
export interface DashboardElement {
  readonly name: string;
  readonly title: string;
  readonly note?: string;
  readonly explore: string;
  readonly type: 'looker_line' | 'looker_grid';
  readonly fields: readonly string[];
  readonly sorts: readonly string[];
  readonly limit: number;
  readonly row: number;
  readonly col: number;
  readonly width: number;
  readonly height: number;
}

/** The LookML dashboard: YAML, rendered by its template. */
export interface LookmlDashboard {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly model: string;
  readonly elements: readonly DashboardElement[];
}

/** A Looker data test: a query on an explore and an assertion every row of it must satisfy. */
export interface LookmlDataTest {
  readonly name: string;
  readonly description: string;
  readonly explore: string;
  readonly columns: readonly { readonly name: string; readonly field: string }[];
  readonly assert: { readonly name: string; readonly expression: string };
}

/** The model every generated dashboard element runs in. */
export const MODEL_NAME = 'funnelcast';

/** The explores, dashboards and data tests built on the generated views. */
export interface ProjectModel {
  readonly explores: readonly LookmlExplore[];
  readonly dashboard: LookmlDashboard;
  readonly tests: readonly LookmlDataTest[];
}

/**
 * Explores, dashboard and data tests. Every field is named through {@link fieldRef}, so a field that the views do
 * not generate fails here, at generation time, not in Looker's validator.
 */
export function buildProjectModel(views: ReadonlyMap<string, LookmlView>): ProjectModel {
  const view = (relation: RelationDeclaration) => {
    const found = views.get(relation.name);
    if (!found) throw new Error(`no generated view ${relation.name}`);
    return found;
  };
  const forecast = view(PRODUCTION_FORECAST);
  const mapping = view(SEGMENT_MAPPING);
  const versus = view(FORECAST_VS_ACTUAL);
  const selection = view(MODEL_SELECTION);
  const f = (field: string) => fieldRef(forecast, field);
  const m = (field: string) => fieldRef(mapping, field);
  const s = (field: string) => fieldRef(selection, field);

  const explores: LookmlExplore[] = [
    {
      name: 'funnel_forecast',
      view: forecast.name,
      label: 'Funnel forecast',
      description: 'Daily MQL, SQL and SQO actuals and forecasts by Channel × Source, with honest interval totals and landing.',
      why:
        'The mapping is not joined: its grain is super-segment × Channel × Source, so a join on Channel × Source ' +
        'would repeat forecast rows once per segment. It has an explore of its own.',
    },
    {
      name: 'segment_mapping',
      view: mapping.name,
      label: 'Super-segment mapping',
      description: 'How each super-segment SQL forecast is shared among Channel × Source combinations.',
      why: 'Weights of the published run, one row per super-segment × Channel × Source.',
    },
    {
      name: 'forecast_vs_actual',
      view: versus.name,
      label: 'Forecast vs actual',
      description: "Each published run's forecast days that have passed, beside what happened.",
      why: 'Accuracy over past runs, one row per run × day × Channel × Source.',
    },
    {
      name: 'model_selection',
      view: selection.name,
      label: 'Model selection',
      description: 'Which models the published forecast uses, and the backtest errors and weights that chose them.',
      why: 'Evidence of the published run, one row per stage × super-segment × candidate.',
    },
  ];

  const bandChart = (stage: (typeof STAGES)[number], row: number): DashboardElement => ({
    name: `${stage}_forecast_vs_actual_by_month`,
    title: `${GROUP_LABELS[stage]} by month: actual, forecast and 50% / 95% bands`,
    note: 'Bands of monthly totals by the one rule for totals: a normal approximation whose variance adds each cell\'s own noise and one level error the cells share (see the field descriptions).',
    explore: 'funnel_forecast',
    type: 'looker_line',
    fields: [
      f('date_day_month'),
      f(`total_${stage}_actual`),
      f(`total_${stage}_combined`),
      f(`total_${stage}_lower_95`),
      f(`total_${stage}_lower_50`),
      f(`total_${stage}_upper_50`),
      f(`total_${stage}_upper_95`),
    ],
    sorts: [`${f('date_day_month')} asc`],
    limit: 500,
    row,
    col: 0,
    width: 24,
    height: 8,
  });
  const landing = (period: 'month' | 'quarter', col: number): DashboardElement => ({
    name: `landing_this_${period}`,
    title: `Landing this ${period} (with 95% interval)`,
    note: `Actuals so far plus the forecast for the rest of the ${period} of the as-of date.`,
    explore: 'funnel_forecast',
    type: 'looker_grid',
    fields: STAGES.flatMap((stage) => [
      f(`${stage}_landing_${period}_lower_95`),
      f(`${stage}_landing_${period}`),
      f(`${stage}_landing_${period}_upper_95`),
    ]),
    sorts: [],
    limit: 1,
    row: 0,
    col,
    width: 12,
    height: 4,
  });
  const dashboard: LookmlDashboard = {
    name: 'funnel_forecast',
    title: 'Funnel forecast',
    description: 'Where MQLs, SQLs and SQOs land this month and quarter, how sure we are, and where they come from.',
    model: MODEL_NAME,
    elements: [
      landing('month', 0),
      landing('quarter', 12),
      ...STAGES.map((stage, i) => bandChart(stage, 4 + 8 * i)),
      {
        name: 'channel_source_breakdown',
        title: 'Channel × Source: landing this quarter',
        explore: 'funnel_forecast',
        type: 'looker_grid',
        fields: [f('Channel_Grouping_Name'), f('Original_source'), ...STAGES.map((stage) => f(`${stage}_landing_quarter`))],
        sorts: [`${f('sqls_landing_quarter')} desc`],
        limit: 500,
        row: 28,
        col: 0,
        width: 24,
        height: 10,
      },
      {
        name: 'mapping_weights',
        title: 'Super-segment → Channel × Source weights',
        note: 'Gross–Sohl proportion of historical averages; a whole super-segment sums to 100%.',
        explore: 'segment_mapping',
        type: 'looker_grid',
        fields: [m('super_segment'), m('Channel_Grouping_Name'), m('Original_source'), m('weight_method'), m('total_sql_count'), m('total_normalized_fraction')],
        sorts: [`${m('super_segment')} asc`, `${m('total_normalized_fraction')} desc`],
        limit: 500,
        row: 38,
        col: 0,
        width: 24,
        height: 10,
      },
      {
        name: 'model_selection',
        title: 'Models chosen by backtest',
        note: 'Rolling-origin backtest at refresh: lower WAPE and pinball loss are better; a stage × super-segment weighs to 100%.',
        explore: 'model_selection',
        type: 'looker_grid',
        fields: [s('stage'), s('super_segment'), s('candidate'), s('chosen'), s('origins'), s('average_wape'), s('average_pinball'), s('total_weight')],
        sorts: [`${s('stage')} asc`, `${s('super_segment')} asc`, `${s('average_wape')} asc`],
        limit: 500,
        row: 48,
        col: 0,
        width: 24,
        height: 10,
      },
    ],
  };

  const tests: LookmlDataTest[] = [
    {
      name: 'forecast_bounds_are_ordered',
      description: 'Every forecast row has 0 ≤ lower_95 ≤ lower_50 ≤ forecast ≤ upper_50 ≤ upper_95 for every stage.',
      explore: 'funnel_forecast',
      columns: [{ name: 'violations', field: f('interval_order_violations') }],
      assert: { name: 'no_row_breaks_the_order', expression: `${'$'}{${f('interval_order_violations')}} = 0` },
    },
    {
      name: 'forecast_vs_actual_bounds_are_ordered',
      description: 'Every past forecast row has 0 ≤ lower_95 ≤ forecast ≤ upper_95 for every stage.',
      explore: 'forecast_vs_actual',
      columns: [{ name: 'violations', field: fieldRef(versus, 'interval_order_violations') }],
      assert: { name: 'no_row_breaks_the_order', expression: `${'$'}{${fieldRef(versus, 'interval_order_violations')}} = 0` },
    },
    {
      name: 'mapping_shares_sum_to_one',
      description: "Each super-segment's Channel × Source shares sum to 1.",
      explore: 'segment_mapping',
      columns: [
        { name: 'super_segment', field: m('super_segment') },
        { name: 'share', field: m('total_normalized_fraction') },
      ],
      assert: { name: 'every_segment_sums_to_one', expression: `abs(${'$'}{${m('total_normalized_fraction')}} - 1) < 0.000001` },
    },
    {
      name: 'model_selection_weights_sum_to_one',
      description: 'The candidate weights of each stage × super-segment sum to 1.',
      explore: 'model_selection',
      columns: [
        { name: 'stage', field: s('stage') },
        { name: 'super_segment', field: s('super_segment') },
        { name: 'weight', field: s('total_weight') },
      ],
      assert: { name: 'every_stage_and_segment_sums_to_one', expression: `abs(${'$'}{${s('total_weight')}} - 1) < 0.000001` },
    },
  ];
  return { explores, dashboard, tests };
}
