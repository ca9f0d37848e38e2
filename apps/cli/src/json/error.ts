import { z } from 'zod';

const problem = z.strictObject({ where: z.string().describe('Where: a file and line, a config key path, a flag.'), message: z.string() });

/** What any command prints on stdout with `--json` when it fails (besides its exit code). */
export const errorJsonSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('A stable code: INPUT_INVALID, CONFIG_INVALID, NOT_FOUND, USAGE, COMMAND_FAILED, ENVIRONMENT, …'),
      message: z.string(),
      problems: z.array(problem).optional().describe('Every problem of an invalid input or config.'),
      rules: z
        .array(z.strictObject({ rule: z.string(), rows: z.number().int().describe('Every row that broke it, not just the examples shown.') }))
        .optional()
        .describe('Input that breaks the leads contract: every broken rule with its count of rows.'),
      violations: z.array(z.unknown()).optional().describe('The invariants a forecast broke.'),
      details: z.unknown().optional().describe('What a failed command knew (e.g. the files lookml --check found out of date).'),
    }),
  })
  .describe('Any command with --json, when it fails: the error as JSON on stdout (the exit code says its kind).');
