import { describe, expect, it } from 'vitest';
import { buildCli } from './cli.js';
import { exitCodeFor, ExitCode, UsageError } from './exit-codes.js';

/** Parses and runs a command line as `main.ts` does, returning what it threw. */
async function failureOf(argv: string[]): Promise<unknown> {
  try {
    await buildCli(argv).parseAsync();
  } catch (error) {
    return error;
  }
  throw new Error(`${argv.join(' ')} did not fail`);
}

describe('command-line parsing', () => {
  it('refuses an unknown command with a suggestion, as a usage error', async () => {
    const error = await failureOf(['forcast']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('Did you mean forecast?');
    expect(exitCodeFor(error)).toBe(ExitCode.usage);
  });

  it('refuses a value outside an option\'s choices, listing them', async () => {
    const error = await failureOf(['forecast', '--by', 'fortnight']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/Choices: "day", "week", "month", "quarter"/);
  });

  it('refuses forecast --csv with --json before reading any config or warehouse', async () => {
    const error = await failureOf(['forecast', '--csv', '--json', '--config', '/nonexistent/funnelcast.yaml']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('--csv and --json are mutually exclusive: pick one output format');
  });

  it('refuses an option no command knows (strict parsing)', async () => {
    const error = await failureOf(['refresh', '--horizn', '30']);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('horizn');
  });
});
