import type { ColumnDeclaration, IntervalLevel, RelationDeclaration, Stage } from '@funnelcast/core';
import { LOOKER_TYPES } from './looker-types.js';

/** One LookML field, typed; the view template prints the properties that are set, in a fixed order. */
export interface LookmlField {
  readonly kind: 'dimension' | 'dimension_group' | 'measure';
  readonly name: string;
  readonly type: string;
  /** SQL built only from declared column names and fixed text: never from labels or descriptions. */
  readonly sql?: string;
  readonly label?: string;
  readonly description?: string;
  readonly groupLabel?: string;
  readonly hidden?: boolean;
  readonly primaryKey?: boolean;
  readonly datatype?: string;
  readonly convertTz?: boolean;
  readonly timeframes?: readonly string[];
  readonly valueFormatName?: string;
  readonly drillFields?: readonly string[];
}

/** A LookML view built from one relation declaration. */
export interface LookmlView {
  /** The LookML view name: the declared relation name. */
  readonly name: string;
  /** The BigQuery view the LookML reads (without dataset). */
  readonly table: string;
  readonly description: string;
  /** Fields of the `detail` set every measure drills into. */
  readonly detail: readonly string[];
  readonly fields: readonly LookmlField[];
}

/** The name of the hidden compound primary key of every view. */
export const PRIMARY_KEY_FIELD = 'compound_primary_key';

/** Looker group labels: one per stage, so each stage's fields sit together in the field picker. */
export const GROUP_LABELS: Readonly<Record<ColumnDeclaration['group'], string>> = {
  mqls: 'MQLs',
  sqls: 'SQLs',
  sqos: 'SQOs',
  grain: 'Channel × Source',
  calendar: 'Calendar',
  run: 'Run',
  mapping: 'Mapping',
  backtest: 'Backtest',
  selection: 'Model selection',
  training: 'Model training',
};

/** Standard-normal quantiles of the central interval levels: Φ⁻¹(0.75) and Φ⁻¹(0.975). */
export const Z_SCORES: Readonly<Record<IntervalLevel, number>> = { 0.5: 0.67449, 0.95: 1.959964 };

/** The period of each running-total column suffix, as BigQuery's DATE_TRUNC names it. */
const RUNNING_TOTAL_PERIODS: Readonly<Record<string, { readonly part: 'MONTH' | 'QUARTER'; readonly noun: string }>> = {
  mtd: { part: 'MONTH', noun: 'month' },
  qtd: { part: 'QUARTER', noun: 'quarter' },
};

/**
 * Rates that are averaged with a weight: the rate column → the additive column that weighs it. The SQL→SQO rate of
 * a group of rows is the SQL-weighted mean of its rows' rates.
 */
const RATE_WEIGHTS: Readonly<Record<string, string>> = { sql_to_sqo_rate: 'sqls_combined' };

/** Rates averaged without a weight that are compared in hundredths (backtest errors), rather than read as counts. */
const FINE_RATES: ReadonlySet<string> = new Set(['wape', 'pinball']);

/**
 * Shares that add up within a partition: a super-segment's `normalized_fraction`s sum to 1, and so do the candidate
 * `weight`s of one stage × super-segment.
 */
const SHARE_PARTITIONS: Readonly<Record<string, readonly string[]>> = {
  normalized_fraction: ['super_segment'],
  weight: ['stage', 'super_segment'],
};

const ref = (field: string) => `\${${field}}`;
const table = (column: string) => `\${TABLE}.${column}`;

/** The fields a dimension group generates, e.g. `date_day` → `date_day_raw`, `date_day_date`, … */
export function expandedNames(field: LookmlField): string[] {
  return field.kind === 'dimension_group' ? (field.timeframes ?? []).map((frame) => `${field.name}_${frame}`) : [field.name];
}

/** Every field name a view offers (dimension groups expanded), for reference checks. */
export function fieldNames(view: LookmlView): string[] {
  return view.fields.flatMap(expandedNames);
}

/** `view.field` for explores, dashboards and tests; throws when the view has no such field. */
export function fieldRef(view: LookmlView, field: string): string {
  if (!fieldNames(view).includes(field)) throw new Error(`LookML view ${view.name} has no field ${field}`);
  return `${view.name}.${field}`;
}

/** The field a declared column becomes: a dimension, a time dimension group, or a hidden dimension under measures. */
function columnField(column: ColumnDeclaration): LookmlField {
  const looker = LOOKER_TYPES[column.type];
  // A running total summed over days counts each day many times; say where the honest total is.
  const note = column.aggregation === 'running_total' ? ' Read it one day at a time; for where a period lands, use the landing measures.' : '';
  const common = {
    name: column.name,
    sql: table(column.name),
    label: column.label,
    description: `${column.description}${note}`,
    groupLabel: GROUP_LABELS[column.group],
  };
  if (looker.field === 'dimension_group') {
    return {
      ...common,
      kind: 'dimension_group',
      type: looker.type,
      datatype: looker.datatype ?? 'date',
      // Dates are calendar days (a zone conversion would shift them); timestamps stay in UTC, as their descriptions say.
      convertTz: false,
      timeframes: looker.timeframes ?? [],
    };
  }
  // Additive facts, bounds and rates are read through measures; a running total is meaningful per row only.
  const hidden = column.role === 'measure' && column.aggregation !== 'running_total';
  return { ...common, kind: 'dimension', type: looker.type, ...(hidden ? { hidden: true } : {}) };
}

function primaryKey(relation: RelationDeclaration): LookmlField {
  // A JSON array cannot collide the way a delimiter-joined string can when a name contains the delimiter. BigQuery
  // refuses a NULL array element, so a nullable part goes in as its own JSON text: `null`, or the quoted value.
  const nullable = new Set(relation.columns.filter((c) => c.nullable).map((c) => c.name));
  const parts = relation.primaryKey
    .map((column) => (nullable.has(column) ? `TO_JSON_STRING(${table(column)})` : `CAST(${table(column)} AS STRING)`))
    .join(', ');
  return {
    kind: 'dimension',
    name: PRIMARY_KEY_FIELD,
    type: 'string',
    sql: `TO_JSON_STRING([${parts}])`,
    primaryKey: true,
    hidden: true,
    description: `One row per ${relation.primaryKey.join(' × ')}.`,
  };
}

const INTERVAL_METHOD =
  'The total of cells (days × Channel × Source) that share a level error, by funnelcast\'s one rule for totals: ' +
  'total ± z·√(SUM(own_var) + SUM(shared_sd)²), normal approximation. Each forecast cell\'s predictive variance ' +
  'splits into its own count noise (own_var, independent between cells) and the excess over the mean, whose ' +
  'standard deviation (shared_sd) adds across cells as one common error; actual days count as known; the lower ' +
  'bound is clamped at 0. Bounds of single cells do not add; for one day and one Channel × Source, read the ' +
  'published bound columns instead.';

/** Builds a view's fields: its columns, totals of additive columns, honest interval totals and landing measures. */
class ViewBuilder {
  readonly fields: LookmlField[] = [];
  private readonly columns: ReadonlyMap<string, ColumnDeclaration>;

  constructor(private readonly relation: RelationDeclaration) {
    this.columns = new Map(relation.columns.map((column) => [column.name, column]));
  }

  private measure(field: Omit<LookmlField, 'kind' | 'drillFields'>): void {
    this.fields.push({ kind: 'measure', ...field, drillFields: ['detail*'] });
  }

  private has(name: string): boolean {
    return this.columns.has(name);
  }

  build(): LookmlField[] {
    const { relation } = this;
    this.fields.push(primaryKey(relation), ...relation.columns.map(columnField));
    this.measure({ name: 'count', type: 'count', label: 'Rows', description: 'Number of rows.', valueFormatName: 'decimal_0' });
    for (const column of relation.columns) {
      if (column.aggregation === 'sum') this.total(column);
      if (column.aggregation === 'rate') this.rate(column);
    }
    for (const stage of new Set(relation.columns.flatMap((c) => (c.bound && c.stage ? [c.stage] : [])))) this.intervals(stage);
    for (const column of relation.columns) if (column.aggregation === 'running_total') this.landing(column);
    this.orderViolations();
    return this.fields;
  }

  private total(column: ColumnDeclaration): void {
    this.measure({
      name: `total_${column.name}`,
      type: 'sum',
      sql: ref(column.name),
      label: `Total ${column.label}`,
      description: `${column.description} Summed over the rows of the query.`,
      groupLabel: GROUP_LABELS[column.group],
      valueFormatName: column.type === 'INT64' ? 'decimal_0' : 'decimal_1',
    });
  }

  private rate(column: ColumnDeclaration): void {
    const group = GROUP_LABELS[column.group];
    const weight = RATE_WEIGHTS[column.name];
    const partition = SHARE_PARTITIONS[column.name];
    if (weight !== undefined && this.columns.get(weight)?.aggregation === 'sum') {
      const product = `${column.name}_weighted_sum`;
      this.measure({ name: product, type: 'sum', sql: `${ref(column.name)} * ${ref(weight)}`, hidden: true, valueFormatName: 'decimal_2' });
      this.measure({
        name: `weighted_${column.name}`,
        type: 'number',
        sql: `${ref(product)} / NULLIF(${ref(`total_${weight}`)}, 0)`,
        label: `${column.label} (weighted)`,
        description: `${column.description} A rate does not add: this is the mean of the rows' rates weighted by ${weight}.`,
        groupLabel: group,
        valueFormatName: 'percent_1',
      });
    } else if (partition !== undefined && partition.every((name) => this.has(name))) {
      const within = partition.join(' × ');
      this.measure({
        name: `total_${column.name}`,
        type: 'sum',
        sql: ref(column.name),
        label: `Total ${column.label}`,
        description: `${column.description} Shares add up within one ${within} only (a whole ${within} sums to 1).`,
        groupLabel: group,
        valueFormatName: 'percent_1',
      });
    } else {
      this.measure({
        name: `average_${column.name}`,
        type: 'average',
        sql: ref(column.name),
        label: `Average ${column.label}`,
        description: `${column.description} Not additive: the unweighted mean over the rows of the query.`,
        groupLabel: group,
        valueFormatName: FINE_RATES.has(column.name) ? 'decimal_2' : 'decimal_1',
      });
    }
  }

  /** The stage's bound columns (one interval measure each), its total-moment columns and the interval's centre. */
  private stageMoments(stage: Stage) {
    const bounds = this.relation.columns.filter((c) => c.stage === stage && c.bound);
    const own = this.relation.columns.find((c) => c.stage === stage && c.moment === 'own_variance');
    const shared = this.relation.columns.find((c) => c.stage === stage && c.moment === 'shared_sd');
    const centre = [`${stage}_combined`, `${stage}_forecast`].find((name) => this.columns.get(name)?.aggregation === 'sum');
    if (!own || !shared || !centre) {
      throw new Error(`${this.relation.name}: stage ${stage} needs own-variance and shared-sd columns and a summable forecast for interval measures`);
    }
    const sum = (column: ColumnDeclaration, when?: string) => (when ? `CASE WHEN ${when} THEN ${ref(column.name)} END` : ref(column.name));
    return { bounds, centre, own: (when?: string) => sum(own, when), shared: (when?: string) => sum(shared, when) };
  }

  /** Hidden sums of the two moments over the rows (those where `when` holds), named `<prefix>_own_var` and so on. */
  private momentSums(stage: Stage, prefix: string, when?: string): { own: string; shared: string } {
    const { own, shared } = this.stageMoments(stage);
    const names = { own: `${prefix}_own_var`, shared: `${prefix}_shared_sd` };
    this.measure({ name: names.own, type: 'sum', sql: own(when), hidden: true, description: 'SUM(own_var) of the forecast cells (see the interval measures).', valueFormatName: 'decimal_2' });
    this.measure({ name: names.shared, type: 'sum', sql: shared(when), hidden: true, description: 'SUM(shared_sd) of the forecast cells (see the interval measures).', valueFormatName: 'decimal_2' });
    return names;
  }

  /** Interval measures for a sum over rows: mean ± z·√(Σown + (Σshared)²), labelled `<label> lower 95%` and so on. */
  private intervalMeasures(stage: Stage, names: { prefix: string; mean: string; own: string; shared: string; label: string; what: string }): void {
    for (const bound of this.stageMoments(stage).bounds) {
      const { level, side } = bound.bound!;
      const pct = level === 0.5 ? 50 : 95;
      const z = Z_SCORES[level];
      const spread = `${z} * SQRT(COALESCE(${ref(names.own)}, 0) + POW(COALESCE(${ref(names.shared)}, 0), 2))`;
      this.measure({
        name: `${names.prefix}_${side}_${pct}`,
        type: 'number',
        sql: side === 'lower' ? `GREATEST(0, ${ref(names.mean)} - ${spread})` : `${ref(names.mean)} + ${spread}`,
        label: `${names.label} ${side} ${pct}%`,
        description: `${side === 'lower' ? 'Lower' : 'Upper'} bound of the central ${pct}% interval of ${names.what}, z = ${z}. ${INTERVAL_METHOD}`,
        groupLabel: GROUP_LABELS[stage],
        valueFormatName: 'decimal_1',
      });
    }
  }

  private intervals(stage: Stage): void {
    const { centre } = this.stageMoments(stage);
    this.intervalMeasures(stage, {
      prefix: `total_${stage}`,
      mean: `total_${centre}`,
      ...this.momentSums(stage, `total_${stage}`),
      label: `Total ${GROUP_LABELS[stage]}`,
      what: `the sum of ${centre}`,
    });
  }

  /**
   * A running total is read at its period's last day. Rather than find that day per combination, the landing
   * measure sums `*_combined` over the whole period containing the as-of date: actuals before it plus the forecast
   * after it — the same number, and correct for any grouping except a filter that cuts the period.
   */
  private landing(column: ColumnDeclaration): void {
    const suffix = column.name.slice(column.name.lastIndexOf('_') + 1);
    const period = RUNNING_TOTAL_PERIODS[suffix];
    const stage = column.stage;
    const combined = `${stage}_combined`;
    if (!period || !stage || !this.has(combined) || !this.has('date_day') || !this.has('as_of')) {
      throw new Error(`${this.relation.name}.${column.name}: a running total needs a known period, date_day, as_of and ${combined}`);
    }
    const inPeriod = `DATE_TRUNC(${ref('date_day_raw')}, ${period.part}) = DATE_TRUNC(${ref('as_of_raw')}, ${period.part})`;
    const name = `${stage}_landing_${period.noun}`;
    const label = `${GROUP_LABELS[stage]} landing (${period.noun})`;
    this.measure({
      name,
      type: 'sum',
      sql: `CASE WHEN ${inPeriod} THEN ${ref(combined)} END`,
      label,
      description:
        `Where ${GROUP_LABELS[stage]} land for the ${period.noun} of the as-of date: ${combined} summed over that whole ` +
        `${period.noun} (actuals before the as-of date, forecast from it on), i.e. ${column.name} on the ${period.noun}'s ` +
        `last day summed across Channel × Source. Do not filter Date inside the ${period.noun}.`,
      groupLabel: GROUP_LABELS[stage],
      valueFormatName: 'decimal_1',
    });
    this.intervalMeasures(stage, {
      prefix: name,
      mean: name,
      ...this.momentSums(stage, name, inPeriod),
      label,
      what: `${GROUP_LABELS[stage]} landing this ${period.noun}`,
    });
  }

  /** Rows whose published bounds are out of order or negative: the data tests assert this is 0. */
  private orderViolations(): void {
    const stages = [...new Set(this.relation.columns.flatMap((c) => (c.bound && c.stage ? [c.stage] : [])))];
    const chain = (stage: Stage) =>
      ['lower_95', 'lower_50', 'forecast', 'upper_50', 'upper_95'].filter((suffix) => this.has(`${stage}_${suffix}`));
    const checks = stages.map((stage) => {
      const names = chain(stage).map((suffix) => ref(`${stage}_${suffix}`));
      const pairs = names.slice(1).map((name, i) => `${names[i]!} <= ${name}`);
      return `(${ref(`${stage}_forecast`)} IS NULL OR (0 <= ${names[0]!} AND ${pairs.join(' AND ')}))`;
    });
    if (stages.length === 0) return;
    this.measure({
      name: 'interval_order_violations',
      type: 'sum',
      sql: `CASE WHEN ${checks.join(' AND ')} THEN 0 ELSE 1 END`,
      hidden: true,
      description: `Forecast rows where a stage breaks 0 ≤ ${chain(stages[0]!).join(' ≤ ')}; the data tests assert there are none.`,
      valueFormatName: 'decimal_0',
    });
  }
}

/** Builds the typed LookML view of a declared relation, reading the BigQuery view `table`. */
export function buildView(relation: RelationDeclaration, tableName: string = relation.name): LookmlView {
  const detail = relation.primaryKey.map((name) => {
    const column = relation.columns.find((c) => c.name === name);
    return column && LOOKER_TYPES[column.type].field === 'dimension_group' ? `${name}_date` : name;
  });
  return { name: relation.name, table: tableName, description: relation.description, detail, fields: new ViewBuilder(relation).build() };
}
