import { LEAD_COLUMNS, type LeadRow } from '@funnelcast/core';

// RFC 4180: quote a field holding a comma, quote or line break, doubling embedded quotes.
function field(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line (without line break) of a lead; null stage dates are empty fields. */
export function toCsvLine(lead: LeadRow): string {
  return LEAD_COLUMNS.map((column) => field(lead[column])).join(',');
}

/** The leads as a CSV document: the contract header, then one line per lead, each ending in `\n`. */
export function toCsv(leads: Iterable<LeadRow>): string {
  const lines = [LEAD_COLUMNS.join(',')];
  for (const lead of leads) lines.push(toCsvLine(lead));
  return `${lines.join('\n')}\n`;
}
