import { readFile } from 'node:fs/promises';
import { LEAD_RULES, LEADS } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { leadsContractTables, LEADS_CONTRACT_MARKERS, referenceDocs } from './reference-docs.js';

const readme = new URL('../../../README.md', import.meta.url);

describe('the leads contract, generated from core', () => {
  it("is the README's table, word for word (regenerate the block between the markers from leadsContractTables())", async () => {
    const text = await readFile(readme, 'utf8');
    const start = text.indexOf(LEADS_CONTRACT_MARKERS.start);
    const end = text.indexOf(LEADS_CONTRACT_MARKERS.end);
    expect(start, 'the README has the leads-contract markers').toBeGreaterThanOrEqual(0);
    expect(text.slice(start + LEADS_CONTRACT_MARKERS.start.length, end).trim()).toBe(leadsContractTables());
  });

  it('lists every column and every rule in docs/leads-contract.md', () => {
    const doc = referenceDocs().find((d) => d.file === 'leads-contract.md')?.content ?? '';
    for (const column of LEADS.columns) expect(doc).toContain(`| \`${column.name}\` | ${column.type} |`);
    for (const rule of LEAD_RULES) expect(doc).toContain(`| \`${rule.column}\` | ${rule.rule} |`);
  });
});
