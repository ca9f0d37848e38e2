import {
  blendSeries,
  selectCandidates,
  type CandidateScore,
  type PredictiveSeries,
  type SelectionOrigin,
  type SelectionGroup,
  type SelectionRule,
} from '@funnelcast/core';
import type { Candidate, StageInput } from './candidate.js';

/** One origin of a stage's selection backtest: what the candidates forecast from, and what then happened. */
export interface SelectionOriginInput {
  readonly input: StageInput;
  /** Actual daily counts per unit over the scored days (`input.horizon` of them). */
  readonly actual: ReadonlyMap<string, readonly number[]>;
}

/** A stage forecast by its selected models. */
export interface StageSelection {
  /** The forecast per unit: each unit's group's winner, or the blend of its two best. */
  readonly series: PredictiveSeries[];
  readonly groups: readonly SelectionGroup[];
  /** Every candidate's own forecast at the as-of date that was computed (the winners, and the default). */
  readonly byCandidate: ReadonlyMap<string, readonly PredictiveSeries[]>;
  /** The selected forecast at each selection origin, in order: what a later stage sees there. */
  readonly atOrigins: readonly PredictiveSeries[][];
}

/** What {@link selectStage} works on. */
export interface StageSelectionInput {
  /** Competing models; the first is the default, kept unless another is clearly better. */
  readonly candidates: readonly Candidate[];
  /** The real forecast's input, at the as-of date. */
  readonly final: StageInput;
  /**
   * Origins of the selection backtest, oldest first; none keeps the default without scoring. They may still be being
   * read: each origin's fits start when it is there.
   */
  readonly origins: readonly (SelectionOriginInput | Promise<SelectionOriginInput>)[];
  /** Which selection a unit belongs to: one per super-segment for SQLs, one for the whole stage (`null`) for MQLs. */
  readonly groupOf: (key: string) => string | null;
  readonly rule: SelectionRule;
}

/** Each unit's forecast as its group's weighted blend of the candidates' forecasts. */
function combine(
  byCandidate: ReadonlyMap<string, readonly PredictiveSeries[]>,
  weightsOf: (group: string | null) => readonly { readonly model: string; readonly weight: number }[],
  groupOf: (key: string) => string | null,
  name: (group: string | null) => string,
): PredictiveSeries[] {
  const indexes = new Map([...byCandidate].map(([model, list]) => [model, new Map(list.map((s) => [s.key, s]))]));
  const units = byCandidate.values().next().value ?? [];
  return units.map((unit) => {
    const group = groupOf(unit.key);
    const parts = weightsOf(group).map(({ model, weight }) => ({ series: indexes.get(model)?.get(unit.key) ?? unit, weight }));
    return parts.length === 1 ? parts[0]!.series : blendSeries(parts, name(group));
  });
}

/**
 * Forecasts a stage with the models its own history prefers: every candidate forecasts from each origin, is scored
 * per group against what happened, and the winners (or blends) forecast at the as-of date. Only the candidates that
 * carry weight somewhere (and the default) are fitted at the as-of date.
 */
export async function selectStage(input: StageSelectionInput): Promise<StageSelection> {
  const { candidates, groupOf, rule } = input;
  const names = candidates.map((c) => c.name);
  // Every fit is asked for as soon as its input is there, so fits on a pool of threads run side by side, and fits
  // run while later origins are still being read: each candidate at each origin, and the default at the as-of date,
  // which is always needed.
  const [atOriginLists, defaultFinal] = await Promise.all([
    Promise.all(
      input.origins.map(async (origin) => {
        const at = (await origin).input;
        return Promise.all(candidates.map((candidate) => candidate.forecast(at)));
      }),
    ),
    candidates[0]!.forecast(input.final),
  ]);
  const origins = await Promise.all(input.origins);
  // In candidate order, the default first, as `combine` needs.
  const atOrigin = atOriginLists.map((lists) => new Map(lists.map((list, i) => [names[i]!, list])));

  const groupNames = new Set<string | null>();
  for (const origin of origins) for (const key of origin.actual.keys()) groupNames.add(groupOf(key));
  const groups: SelectionGroup[] = [];
  for (const group of groupNames) {
    const inGroup = (key: string) => groupOf(key) === group;
    const scored: SelectionOrigin[] = origins.map((origin, i) => ({
      actual: new Map([...origin.actual].filter(([key]) => inGroup(key))),
      forecasts: new Map([...atOrigin[i]!].map(([name, list]) => [name, list.filter((s) => inGroup(s.key))])),
    }));
    groups.push({ group, scores: selectCandidates(names, scored, rule) });
  }
  const defaultWeights = [{ model: names[0]!, weight: 1 }];
  const weightsOf = (group: string | null) => {
    const found = groups.find((g) => g.group === group);
    return found ? found.scores.filter((s) => s.weight > 0).map((s) => ({ model: s.candidate, weight: s.weight })) : defaultWeights;
  };
  const nameOf = (group: string | null) => groups.find((g) => g.group === group)?.scores.find((s) => s.chosen)?.candidate ?? names[0]!;

  const needed = new Set([names[0]!]);
  for (const { scores } of groups) for (const s of scores) if (s.weight > 0) needed.add(s.candidate);
  const winners = candidates.slice(1).filter((candidate) => needed.has(candidate.name));
  const winnerForecasts = await Promise.all(winners.map((candidate) => candidate.forecast(input.final)));
  // The default first, so `combine` walks its units.
  const byCandidate = new Map<string, PredictiveSeries[]>([[names[0]!, defaultFinal], ...winners.map((c, i) => [c.name, winnerForecasts[i]!] as const)]);
  return {
    series: combine(byCandidate, weightsOf, groupOf, nameOf),
    groups: groups.length > 0 ? groups : [{ group: null, scores: [{ candidate: names[0]!, origins: 0, wape: null, pinball: null, weight: 1, chosen: true }] }],
    byCandidate,
    atOrigins: atOrigin.map((forecasts) => combine(forecasts, weightsOf, groupOf, nameOf)),
  };
}
