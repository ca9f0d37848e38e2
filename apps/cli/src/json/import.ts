import { z } from 'zod';

/** `funnelcast import --json`. */
export const importJsonSchema = z
  .strictObject({
    source: z.string().describe('The file imported.'),
    imported: z.number().int().describe('Leads written by this import.'),
    replaced: z.boolean().describe('The import replaced every earlier lead (--replace).'),
    total_leads: z.number().int().describe('Leads in the warehouse after the import.'),
  })
  .describe('funnelcast import --json: what the import loaded.');
