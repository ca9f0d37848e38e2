import { z } from 'zod';

const out = z.string().describe('The LookML folder, absolute.');
const files = z.array(z.string()).describe('Every generated file, relative to out.');

/** `funnelcast lookml --json`: what was written, or (with --check) that the folder is in sync. */
export const lookmlJsonSchema = z
  .union([
    z.strictObject({ out, in_sync: z.literal(true), files }),
    z.strictObject({
      out,
      files,
      written: z.array(z.string()).describe('Files written because they changed or were missing.'),
      removed: z.array(z.string()).describe('Stale generated files removed.'),
    }),
  ])
  .describe('funnelcast lookml --json: the files written and removed, or with --check that the folder is up to date.');
