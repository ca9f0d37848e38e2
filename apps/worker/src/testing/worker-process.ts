import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built worker entry point, as `npx funnelcast-worker` runs it (this file is built beside it, in dist/testing). */
export const workerPath = fileURLToPath(new URL('../main.js', import.meta.url));

/** One JSON log line of the worker. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** A `funnelcast-worker` process with its parsed log lines. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  /** Resolves with the first log line (past or future) that matches; rejects if the process exits first. */
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the built worker with `args` and extra environment, collecting its stdout JSON logs; for the end-to-end
 * tests and `bench/queue.bench.mjs`.
 */
export function startWorkerProcess(args: readonly string[], env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [workerPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, notJson: true };
    }
    logs.push(line);
    for (const waiter of waiters.filter((w) => w.predicate(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  // 'close', not 'exit': it comes after stdout has been read to its end, so the last log lines are in `logs`.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    child,
    logs,
    waitForLog(predicate) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<LogLine>((resolve) => waiters.push({ predicate, resolve })),
        exited.then((code) => {
          throw new Error(`worker exited (${code}) before the awaited log line.\nlogs: ${logs.map((l) => JSON.stringify(l)).join('\n')}\nstderr: ${stderr}`);
        }),
      ]);
    },
    async stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
