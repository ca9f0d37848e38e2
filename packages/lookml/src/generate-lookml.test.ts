import { COLUMN_TYPES, ConfigError, parseConfig, PUBLISHED_VIEWS, STAGES } from '@funnelcast/core';
import type { ParsedProject } from 'lookml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_HEADER, generateLookml, type GeneratedFile } from './generate-lookml.js';
import { LOOKER_TYPES } from './looker-types.js';
import { child, parsedFieldNames, parseGenerated, type Node } from './testing/parse-lookml.js';

const defaults = parseConfig({}).lookml;
let files: GeneratedFile[];
let project: ParsedProject;
let dashboards: Map<string, unknown>;

beforeAll(async () => {
  files = generateLookml(defaults);
  ({ project, dashboards } = await parseGenerated(files));
});

/** The parsed views, by name, across all view files. */
function parsedViews(): Map<string, Node> {
  return new Map(Object.values(project.file).flatMap((file) => Object.entries(child(file, 'view'))));
}

/** `${x}` references of a SQL or expression block. */
function references(sql: string): string[] {
  return [...sql.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]!);
}

/** Every field that a view may be referenced by, as `view.field`. */
function qualifiedFields(): Set<string> {
  return new Set([...parsedViews()].flatMap(([name, view]) => parsedFieldNames(view).map((field) => `${name}.${field}`)));
}

/** explore name → its base view name. */
function exploreViews(): Map<string, string> {
  const file = project.file['explores/funnel_forecast.explore']!;
  return new Map(Object.entries(child(file, 'explore')).map(([name, explore]) => [name, String(explore['view_name'])]));
}

describe('generateLookml', () => {
  it('writes the layout Looker developers expect, every file headed and in path order', () => {
    expect(files.map((file) => file.path)).toEqual([
      'dashboards/funnel_forecast.dashboard.lookml',
      'explores/funnel_forecast.explore.lkml',
      'funnelcast.model.lkml',
      'manifest.lkml',
      'tests/funnel_forecast.test.lkml',
      'views/vw_forecast_vs_actual.view.lkml',
      'views/vw_model_selection.view.lkml',
      'views/vw_production_forecast.view.lkml',
      'views/vw_super_segment_to_channel_source_mapping.view.lkml',
    ]);
    for (const file of files) expect(file.contents.split('\n')[0], file.path).toBe(GENERATED_HEADER);
  });

  it('is deterministic', () => {
    expect(generateLookml({ ...defaults })).toEqual(files);
  });

  it('parses every LookML file with the real lookml-parser, with zero errors', () => {
    expect(project.errors ?? []).toEqual([]);
    expect(Object.keys(project.file).sort()).toHaveLength(files.filter((file) => file.path.endsWith('.lkml')).length);
    for (const [path, dashboard] of dashboards) expect(Array.isArray(dashboard), path).toBe(true);
  });

  it('assembles the thin model from its includes: an explore per view, the views, the data tests', () => {
    const model = project.model?.['funnelcast'];
    expect(model?.['connection']).toBe('@{CONNECTION_NAME}');
    expect(Object.keys(child(model, 'explore')).sort()).toEqual(['forecast_vs_actual', 'funnel_forecast', 'model_selection', 'segment_mapping']);
    expect(Object.keys(child(model, 'view')).sort()).toEqual(PUBLISHED_VIEWS.map((view) => view.name).sort());
    expect(Object.keys(child(model, 'test')).sort()).toEqual([
      'forecast_bounds_are_ordered',
      'forecast_vs_actual_bounds_are_ordered',
      'mapping_shares_sum_to_one',
      'model_selection_weights_sum_to_one',
    ]);
  });

  it('keeps the connection and the dataset in manifest constants that every view and the model use', () => {
    const constants = child(project.manifest, 'constant');
    expect(constants['CONNECTION_NAME']?.['value']).toBe('funnelcast_bigquery');
    expect(constants['DATASET']?.['value']).toBe('funnelcast');
    for (const [name, view] of parsedViews()) expect(view['sql_table_name']).toBe(` \`@{DATASET}.${name}\` `);
  });

  it('prefixes the dataset with the project and reads renamed BigQuery views under the declared LookML names', async () => {
    const custom = generateLookml({ connection: 'bq_prod', project: 'acme-analytics', dataset: 'revops', viewNames: { vw_production_forecast: 'vw_forecast_eu' } });
    const { project: parsed } = await parseGenerated(custom);
    expect(child(parsed.manifest, 'constant')['DATASET']?.['value']).toBe('acme-analytics.revops');
    expect(child(parsed.manifest, 'constant')['CONNECTION_NAME']?.['value']).toBe('bq_prod');
    const view = child(parsed.file['views/vw_production_forecast.view'], 'view')['vw_production_forecast'];
    expect(view?.['sql_table_name']).toBe(' `@{DATASET}.vw_forecast_eu` ');
  });

  it('maps every core column type in one table', () => {
    for (const type of COLUMN_TYPES) expect(LOOKER_TYPES[type], type).toBeDefined();
  });

  describe.each(PUBLISHED_VIEWS.map((relation) => [relation.name, relation] as const))('view %s', (name, relation) => {
    const view = () => parsedViews().get(name)!;

    it('gives every declared column its field, reading that column', () => {
      const dimensions = child(view(), 'dimension');
      const groups = child(view(), 'dimension_group');
      for (const column of relation.columns) {
        const field = dimensions[column.name] ?? groups[column.name];
        expect(field, column.name).toBeDefined();
        expect(field?.['sql'], column.name).toBe(` \${TABLE}.${column.name} `);
        expect(field?.['label']).toBe(column.label);
        expect(String(field?.['description']).startsWith(column.description), column.name).toBe(true);
      }
    });

    it('points at no column that is not declared, and at no field that does not exist', () => {
      const declared = new Set(relation.columns.map((column) => column.name));
      const fields = new Set(parsedFieldNames(view()));
      const all = [...Object.values(child(view(), 'dimension')), ...Object.values(child(view(), 'dimension_group')), ...Object.values(child(view(), 'measure'))];
      for (const field of all) {
        const sql = String(field['sql'] ?? '');
        for (const column of sql.matchAll(/\$\{TABLE\}\.(\w+)/g)) expect(declared.has(column[1]!), `${field['$name']}: ${sql}`).toBe(true);
        for (const reference of references(sql).filter((r) => r !== 'TABLE')) expect(fields.has(reference), `${field['$name']}: ${sql}`).toBe(true);
      }
      const detail = child(child(view(), 'set'), 'detail')['fields'] as unknown as string[];
      for (const field of detail) expect(fields.has(field), field).toBe(true);
    });

    it('has unique field names and one hidden compound primary key over the declared key', () => {
      const names = parsedFieldNames(view());
      expect(new Set(names).size).toBe(names.length);
      // The parser keeps one entry per name and kind, so a repeated declaration shows as fewer parsed fields.
      const declarations = files.find((file) => file.path === `views/${name}.view.lkml`)!.contents.match(/^ {2}(dimension|dimension_group|measure): /gm);
      expect(Object.keys({ ...child(view(), 'dimension'), ...child(view(), 'dimension_group'), ...child(view(), 'measure') })).toHaveLength(declarations!.length);
      const keys = Object.values(child(view(), 'dimension')).filter((field) => field['primary_key'] === true);
      expect(keys).toHaveLength(1);
      expect(keys[0]?.['hidden']).toBe(true);
      for (const column of relation.primaryKey) expect(String(keys[0]?.['sql'])).toMatch(new RegExp(`\\$\\{TABLE\\}\\.${column}\\b`));
    });

    it('gives every measure a value format and drill fields, and every stage field its group label', () => {
      for (const [measureName, measure] of Object.entries(child(view(), 'measure'))) {
        expect(measure['value_format_name'], measureName).toMatch(/^(decimal_[0-2]|percent_1)$/);
        expect(measure['drill_fields'], measureName).toEqual(['detail*']);
      }
      for (const column of relation.columns.filter((c) => c.stage)) {
        const field = child(view(), 'dimension')[column.name];
        expect(field?.['group_label'], column.name).toBe({ mqls: 'MQLs', sqls: 'SQLs', sqos: 'SQOs' }[column.stage!]);
      }
    });

    it('makes date columns time dimension groups of calendar days', () => {
      for (const column of relation.columns.filter((c) => c.type === 'DATE')) {
        const group = child(view(), 'dimension_group')[column.name];
        expect(group).toMatchObject({ type: 'time', datatype: 'date', convert_tz: false, timeframes: ['raw', 'date', 'week', 'month', 'quarter', 'year'] });
      }
    });
  });

  it('offers honest interval totals and landing measures for every stage of the production view', () => {
    const measures = child(parsedViews().get('vw_production_forecast'), 'measure');
    for (const stage of STAGES) {
      for (const suffix of ['lower_95', 'lower_50', 'upper_50', 'upper_95']) {
        const total = measures[`total_${stage}_${suffix}`];
        expect(total?.['description']).toMatch(/share a level error/);
        expect(String(total?.['sql'])).toContain(`SQRT(COALESCE(\${total_${stage}_own_var}, 0) + POW(COALESCE(\${total_${stage}_shared_sd}, 0), 2))`);
        expect(String(measures[`${stage}_landing_quarter_${suffix}`]?.['sql'])).toContain(`POW(COALESCE(\${${stage}_landing_quarter_shared_sd}, 0), 2)`);
        expect(measures[`${stage}_landing_quarter_${suffix}`]).toBeDefined();
      }
      expect(String(measures[`total_${stage}_lower_95`]?.['sql'])).toMatch(/^ GREATEST\(0, \$\{total_\w+_combined\} - 1\.959964 \* SQRT/);
      expect(String(measures[`total_${stage}_upper_50`]?.['sql'])).toMatch(/\+ 0\.67449 \* SQRT/);
      expect(String(measures[`total_${stage}_own_var`]?.['sql']).trim()).toBe(`\${${stage}_own_var}`);
      expect(String(measures[`total_${stage}_shared_sd`]?.['sql']).trim()).toBe(`\${${stage}_shared_sd}`);
      expect(String(measures[`${stage}_landing_month_shared_sd`]?.['sql'])).toMatch(/^ ?CASE WHEN DATE_TRUNC\(.*MONTH\) THEN \$\{\w+_shared_sd\} END/);
      expect(String(measures[`${stage}_landing_month`]?.['sql'])).toContain('DATE_TRUNC(${date_day_raw}, MONTH) = DATE_TRUNC(${as_of_raw}, MONTH)');
      expect(measures[`${stage}_landing_month`]?.['type']).toBe('sum');
    }
  });

  it('bases each explore on a generated view', () => {
    const views = parsedViews();
    for (const [explore, view] of exploreViews()) expect(views.has(view), explore).toBe(true);
  });

  it('puts on the dashboard only fields of the explore each element queries', () => {
    expect(dashboards.size).toBe(1);
    const [dashboard] = [...dashboards.values()][0] as [{ dashboard: string; elements: { name: string; model: string; explore: string; fields: string[]; sorts?: string[] }[] }];
    const explores = exploreViews();
    const fields = qualifiedFields();
    const titles = dashboard.elements.map((element) => element.name);
    expect(new Set(titles).size).toBe(titles.length);
    for (const element of dashboard.elements) {
      expect(element.model).toBe('funnelcast');
      const base = explores.get(element.explore);
      expect(base, element.name).toBeDefined();
      for (const field of [...element.fields, ...(element.sorts ?? []).map((sort) => sort.replace(/ (asc|desc)$/, ''))]) {
        expect(fields.has(field), `${element.name}: ${field}`).toBe(true);
        expect(field.startsWith(`${base}.`), `${element.name}: ${field}`).toBe(true);
      }
    }
    expect(dashboard.elements.flatMap((e) => e.fields)).toEqual(expect.arrayContaining(['vw_production_forecast.total_sqls_upper_95', 'vw_production_forecast.sqls_landing_quarter', 'vw_super_segment_to_channel_source_mapping.total_normalized_fraction']));
  });

  it('writes data tests that query existing explores and fields', () => {
    const explores = exploreViews();
    const fields = qualifiedFields();
    const tests = child(project.file['tests/funnel_forecast.test'], 'test');
    expect(Object.keys(tests)).toHaveLength(4);
    for (const [name, test] of Object.entries(tests)) {
      const sources = Object.entries(child(test, 'explore_source'));
      expect(sources, name).toHaveLength(1);
      const [explore, source] = sources[0]!;
      expect(explores.has(explore), name).toBe(true);
      for (const column of Object.values(child(source, 'column'))) expect(fields.has(String(column['field'])), name).toBe(true);
      for (const assert of Object.values(child(test, 'assert'))) {
        const refs = references(String(assert['expression']));
        expect(refs.length).toBeGreaterThan(0);
        for (const reference of refs) expect(fields.has(reference), `${name}: ${reference}`).toBe(true);
      }
    }
  });

  it('refuses names that could break the LookML, listing every bad key', () => {
    const attempt = () =>
      generateLookml({ connection: 'prod" }\nexplore: x {', dataset: 'funnelcast;; DROP', project: 'Bad_Project', viewNames: { vw_production_forecast: 'v}`', nope: 'x' } });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.where).sort()).toEqual([
        'lookml.connection',
        'lookml.dataset',
        'lookml.project',
        'lookml.viewNames.nope',
        'lookml.viewNames.vw_production_forecast',
      ]);
    }
  });
});
