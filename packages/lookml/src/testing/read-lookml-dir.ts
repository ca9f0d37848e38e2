import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The LookML files under `root` (`.lkml`, `.lookml`), by `/`-separated relative path; empty when `root` is absent. */
export async function readLookmlDir(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const paths = entries.filter((entry) => entry.isFile() && /\.(lkml|lookml)$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  return new Map(await Promise.all(paths.map(async (path) => [relative(root, path).split(sep).join('/'), await readFile(path, 'utf8')] as const)));
}
