import { PRODUCTION_FORECAST, SEGMENT_MAPPING, type RelationDeclaration } from '@funnelcast/core';
import { parse } from 'lookml-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { GENERATED_HEADER } from './generate-lookml.js';
import { lookmlString, oneLine, yamlString } from './quote.js';
import { renderTemplate } from './render-template.js';
import { child, stripMeta } from './testing/parse-lookml.js';
import { buildView } from './view-model.js';

const HOSTILE = [
  'He said "hi" \\ then left',
  'ends the block ;; sql: DROP TABLE x ;;',
  'x" } measure: injected { type: count } dimension: y { label: "',
  '} } view: injected { dimension: evil { sql: 1 ;; } }',
  'first line\nmeasure: injected {\r\n  type: count\n}',
  'liquid ${TABLE}.secret and {{ _user_attributes }} and @{DATASET}',
  '# not a comment " \\" \\\\" ',
  '\u0000\u001b[31mred\u2028next',
];

/** The relation with every column's label and description replaced by `text`. */
function withText(relation: RelationDeclaration, text: string): RelationDeclaration {
  return { ...relation, description: text, columns: relation.columns.map((column) => ({ ...column, label: text, description: text })) };
}

function parsedView(relation: RelationDeclaration) {
  const tree = parse(renderTemplate('view.lkml', { header: GENERATED_HEADER, view: buildView(relation) }));
  return child(tree, 'view')[relation.name]!;
}

/** The view tree with every label and description blanked: its shape. */
function shape(view: unknown): unknown {
  return JSON.parse(JSON.stringify(stripMeta(view), (key, value: unknown) => (key === 'label' || key === 'description' ? '' : value)));
}

describe('quoting', () => {
  it.each(HOSTILE)('a LookML string round-trips through the parser: %j', (text) => {
    const tree = parse(`view: v {\n  dimension: d {\n    label: ${lookmlString(text)}\n  }\n}\n`);
    expect(child(child(tree, 'view')['v'], 'dimension')['d']?.['label']).toBe(oneLine(text));
  });

  it.each(HOSTILE)('a YAML string round-trips: %j', (text) => {
    expect(parseYaml(`title: ${yamlString(text)}\n`)).toEqual({ title: oneLine(text) });
  });

  it('flattens line breaks and drops control characters, keeping the rest', () => {
    expect(oneLine('a\r\nb\nc\rd\u2028e\u0000f\tg')).toBe('a b c d ef\tg');
  });
});

describe.each([PRODUCTION_FORECAST, SEGMENT_MAPPING])('hostile labels and descriptions in $name', (relation) => {
  const reference = shape(parsedView(relation));

  it.each(HOSTILE)('parse into the same tree, with the text intact: %j', (text) => {
    const view = parsedView(withText(relation, text));
    expect(shape(view)).toEqual(reference);
    for (const column of relation.columns) {
      const field = child(view, 'dimension')[column.name] ?? child(view, 'dimension_group')[column.name];
      expect(field?.['label']).toBe(oneLine(text));
      // Running totals append a fixed usage note after the declared description.
      expect(String(field?.['description']).startsWith(oneLine(text)), column.name).toBe(true);
    }
  });
});
