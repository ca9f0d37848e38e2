import { GENERATED_HEADER, type GeneratedFile } from './generate-lookml.js';

/** How a LookML folder differs from the files that would be generated into it. */
export interface LookmlDrift {
  /** Generated files whose contents differ from the folder's. */
  readonly changed: readonly string[];
  /** Generated files the folder lacks. */
  readonly missing: readonly string[];
  /** Files in the folder that carry the generated header but are no longer generated (stale output). */
  readonly extra: readonly string[];
}

/** True when a folder holds exactly what would be generated. */
export function isInSync(drift: LookmlDrift): boolean {
  return drift.changed.length + drift.missing.length + drift.extra.length === 0;
}

/**
 * Compares a folder's LookML files (`existing`: relative path → contents, read by the caller) with `files`. The
 * team's own files (refinements, other explores) may sit beside the generated ones; a file not generated any more
 * counts as stale only when it starts with the generated header.
 */
export function diffLookml(existing: ReadonlyMap<string, string>, files: readonly GeneratedFile[]): LookmlDrift {
  const generated = new Set(files.map((file) => file.path));
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    changed: files.filter((file) => existing.has(file.path) && existing.get(file.path) !== file.contents).map((file) => file.path),
    missing: files.filter((file) => !existing.has(file.path)).map((file) => file.path),
    extra: [...existing]
      .filter(([path, contents]) => !generated.has(path) && contents.startsWith(GENERATED_HEADER))
      .map(([path]) => path)
      .sort(byPath),
  };
}
