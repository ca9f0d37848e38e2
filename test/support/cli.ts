import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/support/cli.ts). */
export const repoRoot = resolve(import.meta.dirname, '..', '..');

/** The CLI's launcher, as `npx funnelcast` runs it (it imports the esbuild bundle, dist/bundle/main.js). */
export const cliPath = join(repoRoot, 'apps', 'cli', 'bin', 'funnelcast.js');

/** What a finished command printed and how it exited. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and as whom a command runs: `uid`/`gid` run it as another user (the caller must be root). */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs the built `funnelcast` with `args` in `cwd`, as a user would, and waits for it to exit. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
        ...(options.uid !== undefined ? { uid: options.uid } : {}),
        ...(options.gid !== undefined ? { gid: options.gid } : {}),
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI with `--json` and parses stdout; fails loudly with stderr when stdout is not JSON. */
export async function runCliJson<T = unknown>(args: readonly string[], options?: { cwd?: string }): Promise<{ code: number; json: T; stderr: string }> {
  const result = await runCli([...args, '--json'], options);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`stdout of funnelcast ${args.join(' ')} is not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix = 'funnelcast-e2e-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
