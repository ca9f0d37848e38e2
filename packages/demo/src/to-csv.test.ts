import { describe, expect, it } from 'vitest';
import { LEAD_COLUMNS, type LeadRow } from '@funnelcast/core';
import { generateLeads } from './generate-leads.js';
import { toCsv } from './to-csv.js';

// A strict RFC 4180 reader, written independently of the writer so the round trip means something.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function fromRow(row: readonly string[]): LeadRow {
  const [lead_id = '', channel = '', source = '', segment = '', mql = '', sql = '', sqo = ''] = row;
  return {
    lead_id,
    channel_grouping_name: channel,
    original_source: source,
    super_segment: segment,
    mql_date: mql,
    sql_date: sql === '' ? null : sql,
    sqo_date: sqo === '' ? null : sqo,
  };
}

describe('toCsv', () => {
  it('writes the contract header and leaves null stage dates empty', () => {
    const csv = toCsv(generateLeads({ end: '2026-01-01', start: '2025-12-01' }));
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...LEAD_COLUMNS]);
    expect(header?.join(',')).toBe('lead_id,channel_grouping_name,original_source,super_segment,mql_date,sql_date,sqo_date');
    expect(rows.some((row) => row[5] === '' && row[6] === '')).toBe(true);
    expect(csv.endsWith('\n')).toBe(true);
  });

  it('round-trips values holding commas, quotes and line breaks', () => {
    const leads: LeadRow[] = [
      {
        lead_id: 'a,1',
        channel_grouping_name: 'Paid "Search"',
        original_source: 'google, inc',
        super_segment: 'Line\nbreak',
        mql_date: '2026-01-02',
        sql_date: null,
        sqo_date: null,
      },
      {
        lead_id: 'plain',
        channel_grouping_name: 'Direct',
        original_source: 'direct',
        super_segment: 'Other',
        mql_date: '2026-01-02',
        sql_date: '2026-01-03',
        sqo_date: '2026-01-09',
      },
    ];
    const csv = toCsv(leads);
    expect(csv).toContain('"Paid ""Search"""');
    expect(csv).toContain('plain,Direct,direct,Other,2026-01-02,2026-01-03,2026-01-09\n');
    expect(parseCsv(csv).slice(1).map(fromRow)).toEqual(leads);
  });

  it('round-trips the generated leads', () => {
    const leads = generateLeads({ end: '2026-01-01', start: '2025-10-01', seed: 5 });
    expect(parseCsv(toCsv(leads)).slice(1).map(fromRow)).toEqual(leads);
  });
});
