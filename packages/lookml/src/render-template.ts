import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { lookmlComment, lookmlString, yamlList, yamlString } from './quote.js';

/**
 * The templates sit beside the generator, in the package's `templates/` (one level above `src/` and `dist/`). They are
 * found from the package's entry point rather than from this module, which the CLI's bundle inlines far from them.
 */
const TEMPLATE_DIR = fileURLToPath(new URL('../templates/', import.meta.resolve('@funnelcast/lookml')));

/** The templates, by file name without `.ejs`. */
export type TemplateName = 'view.lkml' | 'manifest.lkml' | 'model.lkml' | 'explore.lkml' | 'dashboard.lookml' | 'tests.lkml';

/** The quoting helpers every template gets as `q`. */
const q = { string: lookmlString, comment: lookmlComment, yaml: yamlString, yamlList };

/**
 * SQL and expression blocks end at `;;`. They are assembled from declared column names and fixed text only, so a
 * `;;` inside one is a bug in the generator, refused before it can end a block early.
 */
function sql(text: string): string {
  if (text.includes(';;')) throw new Error(`generated SQL must not contain ";;": ${text}`);
  return text;
}

const compiled = new Map<TemplateName, ejs.TemplateFunction>();

/** Renders one template with `data`, plus `q` (quoting) and `sql` (block guard) helpers. */
export function renderTemplate(name: TemplateName, data: Record<string, unknown>): string {
  let template = compiled.get(name);
  if (!template) {
    const filename = join(TEMPLATE_DIR, `${name}.ejs`);
    template = ejs.compile(readFileSync(filename, 'utf8'), { filename });
    compiled.set(name, template);
  }
  return template({ ...data, q, sql });
}
