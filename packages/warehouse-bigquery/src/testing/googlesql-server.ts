import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * GoogleSQL (ZetaSQL), the SQL front end BigQuery parses and analyses with, as a local gRPC server: the Linux
 * binary `@fivetrandevelopers/zetasql` ships. One server serves the whole test run (vitest `globalSetup`); test
 * files find it through `GOOGLESQL_ADDRESS` and write the statements they analysed under `GOOGLESQL_LOG_DIR`.
 */

/** The environment variable holding the server's `host:port`. */
export const ADDRESS_VARIABLE = 'GOOGLESQL_ADDRESS';
/** The environment variable naming the folder where each test process logs the statements it analysed. */
export const LOG_DIR_VARIABLE = 'GOOGLESQL_LOG_DIR';

// The package's own launcher picks the binary the same way but never says when the server is up.
function serverBinary(): string {
  const lib = dirname(createRequire(import.meta.url).resolve('@fivetrandevelopers/zetasql'));
  const arm = process.arch === 'arm64' ? '_arm' : '';
  return join(lib, 'zetasql', `remote_server${arm}${process.platform === 'darwin' ? '' : '.so'}`);
}

// The server cannot be told to pick a port itself (asked for port 0 it reports 0), so the OS picks one first.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** A running GoogleSQL server. */
export interface GoogleSqlServer {
  /** `127.0.0.1:port`, for the gRPC client. */
  readonly address: string;
  stop(): Promise<void>;
}

/** Starts the GoogleSQL server on a free loopback port and resolves once it says it listens. */
export async function launchGoogleSqlServer(): Promise<GoogleSqlServer> {
  const port = await freePort();
  const server: ChildProcess = spawn(serverBinary(), ['127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  server.stdout!.on('data', collect);
  server.stderr!.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`cannot start the GoogleSQL server ${serverBinary()}: ${error.message}`)));
    server.once('exit', (code) => reject(new Error(`the GoogleSQL server exited with ${code}:\n${output}`)));
    server.stdout!.on('data', () => {
      if (output.includes('Server listening on')) resolve();
    });
  });
  server.removeAllListeners('exit');
  // A fatal check in the server (a malformed catalog) would otherwise surface only as refused connections.
  server.once('exit', (code, signal) => {
    if (signal !== 'SIGTERM') process.stderr.write(`the GoogleSQL server died (${code ?? signal}):\n${output.slice(-4000)}\n`);
  });
  for (const stream of [server.stdout!, server.stderr!]) stream.removeAllListeners('data').on('data', collect);
  return {
    address: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null || server.signalCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}

/** What the test processes of a run logged: distinct statements analysed, parsed only, and refused. */
export function statementTotals(logDir: string): { analysed: number; parsedOnly: number; refused: number } {
  const lines = readdirSync(logDir).flatMap((file) => readFileSync(join(logDir, file), 'utf8').split('\n').filter(Boolean));
  const distinct = (outcome: string) => new Set(lines.filter((l) => l.startsWith(`${outcome}\t`))).size;
  return { analysed: distinct('analysed'), parsedOnly: distinct('parsed-only'), refused: distinct('refused') };
}

/**
 * Vitest global setup: one GoogleSQL server for every test file of the run; after the run, the number of distinct
 * statements the test server had analysed.
 * @returns the teardown
 */
export async function setup(): Promise<() => Promise<void>> {
  const server = await launchGoogleSqlServer();
  const logDir = mkdtempSync(join(tmpdir(), 'googlesql-'));
  process.env[ADDRESS_VARIABLE] = server.address;
  process.env[LOG_DIR_VARIABLE] = logDir;
  return async () => {
    await server.stop();
    const totals = statementTotals(logDir);
    rmSync(logDir, { recursive: true, force: true });
    process.stdout.write(
      `GoogleSQL analysed ${totals.analysed} distinct statements over this run (${totals.parsedOnly} parsed only: scripts with a construct the analyser cannot follow), ` +
        `${totals.refused} refused (each a deliberate refusal test or a failed test)\n`,
    );
  };
}
