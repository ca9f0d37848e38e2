#!/usr/bin/env node
// Fails when a workspace depends on a funnelcast package its layer may not use, or when the layer table of
// docs/architecture.md no longer says what scripts/layers.json declares. The rules live in that one declaration, not in
// reviewers' heads.
//
// Usage: node scripts/check-layers.mjs [--write-doc]   (--write-doc rewrites the table of docs/architecture.md)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const DOC = join(root, 'docs/architecture.md');
const BEGIN = '<!-- layers: generated from scripts/layers.json by `node scripts/check-layers.mjs --write-doc` -->';
const END = '<!-- /layers -->';

/** The declaration: layers in order, each with its packages, what they own and what they may use. */
export function readLayers(file = join(root, 'scripts/layers.json')) {
  return JSON.parse(readFileSync(file, 'utf8')).layers;
}

/** Package folder name → the funnelcast packages it may use (null: anything). */
export function allowedDependencies(layers) {
  return Object.fromEntries(layers.flatMap((layer) => Object.entries(layer.packages).map(([name, pkg]) => [name, pkg.mayUse])));
}

/** Every layer problem of the workspaces' package.json files, as messages. */
export function layerProblems(manifests, layers) {
  const allowed = allowedDependencies(layers);
  const problems = [];
  for (const pkg of manifests) {
    const name = pkg.name.replace('@funnelcast/', '');
    const rule = allowed[name];
    if (rule === undefined) {
      problems.push(`${pkg.name}: not declared in scripts/layers.json`);
      continue;
    }
    if (rule === null) continue;
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@funnelcast/'));
    for (const dep of deps) {
      if (!rule.includes(dep.replace('@funnelcast/', ''))) problems.push(`${pkg.name} may not depend on ${dep} (scripts/layers.json)`);
    }
  }
  return problems;
}

/** The Markdown table of the layers, as docs/architecture.md carries it between its markers. */
export function layersTable(layers) {
  const rows = layers.flatMap((layer) =>
    Object.entries(layer.packages).map(
      ([name, pkg]) => `| ${layer.name} | \`${name}\` | ${pkg.owns} | ${pkg.mayUse === null ? 'anything' : pkg.mayUse.length ? pkg.mayUse.map((d) => `\`${d}\``).join(', ') : 'nothing'} |`,
    ),
  );
  return [BEGIN, '| layer | package | owns | may use |', '| --- | --- | --- | --- |', ...rows, END].join('\n');
}

/** The doc with its table replaced by the one the declaration gives. */
export function withLayersTable(doc, layers) {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/architecture.md has no layer table between ${BEGIN} and ${END}`);
  return doc.slice(0, start) + layersTable(layers) + doc.slice(end + END.length);
}

function workspaceManifests() {
  return ['packages', 'apps']
    .flatMap((folder) => readdirSync(join(root, folder)).map((dir) => join(root, folder, dir, 'package.json')))
    .concat(join(root, 'test', 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')));
}

function main() {
  const layers = readLayers();
  const doc = readFileSync(DOC, 'utf8');
  const expected = withLayersTable(doc, layers);
  if (process.argv.includes('--write-doc')) {
    writeFileSync(DOC, expected);
    return;
  }
  const problems = layerProblems(workspaceManifests(), layers);
  if (expected !== doc) problems.push('docs/architecture.md: the layer table differs from scripts/layers.json; run `node scripts/check-layers.mjs --write-doc`');
  if (problems.length) {
    console.error(`Layer violations:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('layers ok');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
