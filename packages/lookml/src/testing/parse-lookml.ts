import { parseFiles, type ParsedProject } from 'lookml-parser';
import { parse as parseYaml } from 'yaml';
import type { GeneratedFile } from '../generate-lookml.js';

/** A parsed LookML node without the parser's whitespace and position bookkeeping (`$strings`, `$file_*`). */
export type Node = { readonly [key: string]: unknown };

/** Drops the parser's `$…` bookkeeping keys (except `$name`), so trees compare by content. */
export function stripMeta(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMeta);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('$') || key === '$name')
      .map(([key, inner]) => [key, stripMeta(inner)]),
  );
}

const silent = { log() {}, warn() {}, error() {} };

/** Parses every `.lkml` file in memory with the real lookml-parser, and every dashboard with `yaml`. */
export async function parseGenerated(files: readonly GeneratedFile[]): Promise<{ project: ParsedProject; dashboards: Map<string, unknown> }> {
  const lkml = files.filter((file) => file.path.endsWith('.lkml'));
  const project = await parseFiles({ source: lkml.map((file) => ({ path: file.path, content: file.contents })), console: silent });
  const dashboards = new Map(files.filter((file) => file.path.endsWith('.dashboard.lookml')).map((file) => [file.path, parseYaml(file.contents) as unknown]));
  return { project, dashboards };
}

/** The object at `key` of a parsed node, or an empty object. */
export function child(node: unknown, key: string): Record<string, Node> {
  const value = (node as Record<string, unknown> | undefined)?.[key];
  return value !== null && typeof value === 'object' ? (value as Record<string, Node>) : {};
}

/** All field names of a parsed view: dimensions, measures and the fields each dimension group expands to. */
export function parsedFieldNames(view: Node): string[] {
  const groups = Object.entries(child(view, 'dimension_group')).flatMap(([name, group]) =>
    ((group['timeframes'] as string[] | undefined) ?? []).map((frame) => `${name}_${frame}`),
  );
  return [...Object.keys(child(view, 'dimension')), ...groups, ...Object.keys(child(view, 'measure'))];
}
