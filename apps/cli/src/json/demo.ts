import { z } from 'zod';
import { refreshJsonSchema } from './refresh.js';

/** `funnelcast demo --json`: the generated leads and the refresh of them. */
export const demoJsonSchema = z
  .strictObject({
    demo: z.strictObject({
      leads: z.number().int(),
      sqls: z.number().int(),
      sqos: z.number().int(),
      combinations: z.number().int().describe('Channel × Source combinations in the generated leads, retired ones included.'),
      first_date: z.iso.date(),
      end: z.iso.date().describe('The as-of date: leads are dated before it.'),
    }),
    refresh: refreshJsonSchema,
  })
  .describe('funnelcast demo --json: the demo leads generated and the refresh of them.');
