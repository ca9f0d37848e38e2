import { runCli } from './cli.js';

/**
 * The examples users are shown: the `funnelcast …` lines of README.md's `sh` blocks and of every command's `--help`,
 * as shell lines ready to run.
 */
export interface Example {
  /** Where it is shown: `README.md:76` or `funnelcast forecast --help`. */
  readonly from: string;
  /** The shell line, `npx ` and comments removed. */
  readonly line: string;
  /** README lines of one block share it: they run in order, in one folder (the second builds on the first). */
  readonly block: string;
}

/** The line without its trailing `# comment` (a `#` inside quotes is kept). */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Every `funnelcast` line of the README's `sh` blocks (indented ones too); each block is a scenario. */
export function readmeExamples(readme: string): Example[] {
  const examples: Example[] = [];
  let block: string | null = null;
  readme.split('\n').forEach((text, i) => {
    const fence = /^\s*```(\w*)\s*$/.exec(text);
    if (fence) {
      block = block === null && fence[1] === 'sh' ? `README.md:${i + 1}` : null;
      return;
    }
    const command = /^\s*(?:npx\s+)?(funnelcast\s.*)$/.exec(text);
    if (block !== null && command) examples.push({ from: `README.md:${i + 1}`, line: withoutComment(command[1]!), block });
  });
  return examples;
}

/** The lines of a `--help` section (`Commands:`, `Examples:`) that start with `funnelcast `, up to the blank line ending it. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && line.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end).flatMap((line) => {
    // An entry is `  funnelcast <words>` then two or more spaces and its description; wrapped descriptions are indented further.
    const entry = /^ {2}(funnelcast .+?)(?: {2,}.*)?$/.exec(line);
    return entry ? [entry[1]!] : [];
  });
}

/**
 * The examples of `funnelcast --help` and of every command's and subcommand's `--help`, found by walking the
 * `Commands:` sections, so a new command's examples are run without listing it here.
 */
export async function helpExamples(): Promise<Example[]> {
  const examples: Example[] = [];
  const visit = async (path: readonly string[]) => {
    const help = await runCli([...path, '--help']);
    if (help.code !== 0) throw new Error(`funnelcast ${path.join(' ')} --help exited ${help.code}: ${help.stderr}`);
    const from = ['funnelcast', ...path, '--help'].join(' ');
    for (const line of section(help.stdout, 'Examples')) examples.push({ from, line, block: `${from}: ${line}` });
    for (const entry of section(help.stdout, 'Commands')) {
      // `funnelcast queue <command>`: the words before the first placeholder or option name the command.
      const words = entry.split(' ').slice(1 + path.length);
      const end = words.findIndex((word) => /^[<[-]/.test(word));
      const command = end < 0 ? words : words.slice(0, end);
      if (command.length > 0) await visit([...path, ...command]);
    }
  };
  await visit([]);
  return examples;
}

/** Which schema of docs/json a `funnelcast` invocation's `--json` output follows: its command, `queue status` for a subcommand. */
export function jsonOutputOf(args: readonly string[]): string {
  return args[0] === 'queue' ? `queue ${args[1]}` : (args[0] ?? '');
}
