import { z } from 'zod';

/** `funnelcast import --json`. */
export const importJsonSchema = z
  .strictObject({
    source: z.string().describe('The file imported.'),
    mode: z
      .enum(['append', 'replace', 'upsert'])
      .describe('How the import treated the leads already there: added to them (default), replaced them (--replace), or added and updated by lead_id (--upsert).'),
    imported: z.number().int().describe('Leads written by this import: added plus updated.'),
    added: z.number().int().describe('Leads whose lead_id was not in the warehouse.'),
    updated: z.number().int().describe('Leads of an upsert whose lead_id was there with other values, now overwritten.'),
    unchanged: z.number().int().describe('Leads of an upsert already there exactly as in the file.'),
    total_leads: z.number().int().describe('Leads in the warehouse after the import.'),
  })
  .describe('funnelcast import --json: what the import loaded.');
