import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GeneratedFile } from '../generate-lookml.js';

/** Writes generated files under `root`, creating folders (the committed `lookml/` is produced this way). */
export async function writeLookmlDir(root: string, files: readonly GeneratedFile[]): Promise<void> {
  for (const file of files) {
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.contents);
  }
}
