import { addDays, createRng, samplePoisson, type IsoDate, type LeadRow } from '@funnelcast/core';

/** A one-combination funnel whose MQL rate and MQL→SQL conversion are functions of the day. */
export interface SimulatedFunnel {
  readonly start: IsoDate;
  /** Exclusive: no event is dated on or after it. */
  readonly end: IsoDate;
  readonly seed: number;
  readonly superSegment: string;
  readonly channel: string;
  readonly source: string;
  /** Expected MQLs on day `d` (days since `start`). */
  readonly mqlsPerDay: (d: number) => number;
  /** Chance an MQL of day `d` becomes an SQL. */
  readonly conversion: (d: number) => number;
  /** MQL→SQL lag in days, uniform on `[min, max]`. */
  readonly lag: readonly [number, number];
}

/** Leads of a simulated funnel, for tests whose right answer is known; ids prefixed to keep funnels apart. */
export function simulateLeads(funnel: SimulatedFunnel, prefix = 'lead'): LeadRow[] {
  const rng = createRng(funnel.seed);
  const leads: LeadRow[] = [];
  const [minLag, maxLag] = funnel.lag;
  for (let d = 0, date = funnel.start; date < funnel.end; d++, date = addDays(date, 1)) {
    const count = samplePoisson(rng, funnel.mqlsPerDay(d));
    for (let i = 0; i < count; i++) {
      const converts = rng() < funnel.conversion(d);
      const sqlDate = converts ? addDays(date, minLag + Math.floor(rng() * (maxLag - minLag + 1))) : null;
      leads.push({
        lead_id: `${prefix}-${leads.length}`,
        channel_grouping_name: funnel.channel,
        original_source: funnel.source,
        super_segment: funnel.superSegment,
        mql_date: date,
        sql_date: sqlDate !== null && sqlDate < funnel.end ? sqlDate : null,
        sqo_date: null,
      });
    }
  }
  return leads;
}
