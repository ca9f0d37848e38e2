import type { LeadRecord } from './generate-leads.js';

/** The leads CSV header, in contract order. */
export const LEADS_CSV_HEADER = [
  'lead_id',
  'channel_grouping_name',
  'original_source',
  'super_segment',
  'mql_date',
  'sql_date',
  'sqo_date',
] as const satisfies readonly (keyof LeadRecord)[];

// RFC 4180: quote a field holding a comma, quote or line break, doubling embedded quotes.
function field(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line (without line break) of a lead; null stage dates are empty fields. */
export function toCsvLine(lead: LeadRecord): string {
  return LEADS_CSV_HEADER.map((column) => field(lead[column])).join(',');
}

/** The leads as a CSV document: the contract header, then one line per lead, each ending in `\n`. */
export function toCsv(leads: Iterable<LeadRecord>): string {
  const lines = [LEADS_CSV_HEADER.join(',')];
  for (const lead of leads) lines.push(toCsvLine(lead));
  return `${lines.join('\n')}\n`;
}
