import {
  addDays,
  combinationKey,
  combinationLabel,
  parseCombinationKey,
  type DailyCounts,
  type DailySeries,
  type Forecaster,
  type FunnelHistory,
  type IsoDate,
  type PredictiveSeries,
  type SegmentMapping,
  type SelectionGroup,
  type SelectionRule,
  type Stage,
} from '@funnelcast/core';
import { byCombination, bySegment, denseSeries, windowCounts } from '../history-series.js';
import type { ProgressListener } from '../progress.js';
import { applyGuardrails } from './apply-guardrails.js';
import { forecasterCandidate, type Candidate, type StageInput } from './candidate.js';
import { funnelCandidate } from './funnel-candidate.js';
import { selectSplit, type SplitSelection } from './select-split.js';
import { selectStage, type SelectionOriginInput } from './select-stage.js';

/** The models of the two modelled stages (SQOs follow from SQLs). */
export interface StageForecasters {
  /** MQL candidates, the default first; a single one is used without a selection backtest. */
  readonly mqls: readonly Forecaster[];
  /** SQL candidates per super-segment, the default first. */
  readonly sqls: readonly Forecaster[];
  /**
   * Whether the funnel-aware SQL model competes too (second, after the default), and splits segments by forecast
   * proportions where that splits better. It needs lead-level conversion facts; without them it stands down.
   */
  readonly funnelSqls: boolean;
  /** The robust model the guardrails fall back to. */
  readonly robust: Forecaster;
}

/**
 * The selection backtest: origins four weeks apart, each scored on the totals of its next four weeks per unit — the
 * month-ahead Channel × Source (or super-segment) totals dashboards read. Daily or weekly errors of a few leads
 * would be mostly Poisson noise, and absolute errors of noise favour whichever model forecasts low.
 */
export const SELECTION = { origins: 6, stepDays: 28, scoredDays: 28, minHistoryDays: 56, seriesOrigins: 1500, minOrigins: 2 } as const;

/**
 * How many selection origins a refresh of `series` Channel × Source series scores: all six up to 250 series, then
 * fewer, keeping series × origins within {@link SELECTION}'s `seriesOrigins` (but never under two origins). Each
 * origin fits every candidate to every series, which is what made a thousand-combination refresh take half a
 * minute; by then one origin already holds hundreds of series' evidence for the one stage-wide MQL choice.
 */
export function selectionOriginCount(series: number): number {
  const affordable = Math.floor(SELECTION.seriesOrigins / Math.max(1, series));
  return Math.max(SELECTION.minOrigins, Math.min(SELECTION.origins, affordable));
}
const RULE: SelectionRule = { bucketDays: SELECTION.scoredDays, margin: 0.05, blend: true };

/** Which series a stage forecasts, cut from a history. */
interface StageGrain {
  readonly stage: Stage;
  readonly keys: readonly string[];
  readonly keyOf: (row: DailyCounts) => string;
  readonly groupOf: (key: string) => string | null;
  readonly label: (key: string) => string;
}

/** What {@link forecastStages} needs. */
export interface StagesInput {
  readonly history: FunnelHistory;
  readonly horizon: number;
  readonly earliest: (asOf: IsoDate) => IsoDate;
  /** The shortest exposure a series is read over (the mapping's exposure floor), however recent its first event. */
  readonly minSeriesDays: number;
  readonly combinationKeys: readonly string[];
  readonly superSegments: readonly string[];
  readonly forecasters: StageForecasters;
  /** Credibility κ of the funnel-aware model's conversion rates. */
  readonly credibility: number;
  /** The Gross–Sohl mapping of a history (what the split by forecast proportions competes with). */
  readonly mappingAt: (history: FunnelHistory) => SegmentMapping;
  /** The history as of an earlier date, for the selection backtest; without it, no selection. */
  readonly historyAt?: (asOf: IsoDate) => Promise<FunnelHistory>;
  readonly onProgress?: ProgressListener;
  readonly signal?: { readonly aborted: boolean };
}

/** One stage's forecast, with the evidence of how its models were chosen. */
export interface StageForecast {
  readonly series: PredictiveSeries[];
  readonly groups: readonly SelectionGroup[];
  /** The forecast at each selection origin (empty without a selection backtest). */
  readonly atOrigins: readonly PredictiveSeries[][];
  /** What the candidates forecast from: at each selection origin, and at the as-of date. */
  readonly inputs: readonly StageInput[];
  readonly finalInput: StageInput;
}

/** What every stage forecast says, and what went wrong on the way. */
export interface StagesForecast {
  readonly mqls: StageForecast;
  readonly sqls: StageForecast;
  /** How each super-segment's SQLs are split across Channel × Source. */
  readonly split: SplitSelection;
  readonly warnings: readonly string[];
  /** Milliseconds per stage, its selection backtest included. */
  readonly timings: { readonly fit_mqls: number; readonly fit_sqls: number };
}

/**
 * Daily counts of each of the stage's units over `[from, from + days)`, zeros for a unit without events: a forecast
 * of a unit that then had nothing is an error too.
 */
function actualsOf(daily: readonly DailyCounts[], grain: StageGrain, from: IsoDate, days: number): Map<string, number[]> {
  const counts = windowCounts(daily, grain.stage, grain.keyOf, from, days);
  return new Map(grain.keys.map((key) => [key, counts.get(key) ?? new Array<number>(days).fill(0)]));
}

/** SQLs per super-segment and combination over `[from, from + days)`. */
function segmentCombinationActuals(daily: readonly DailyCounts[], from: IsoDate, days: number): Map<string, Map<string, number>> {
  const to = addDays(from, days);
  const out = new Map<string, Map<string, number>>();
  for (const row of daily) {
    if (row.date < from || row.date >= to || row.sqls <= 0) continue;
    let segment = out.get(row.superSegment);
    if (!segment) out.set(row.superSegment, (segment = new Map()));
    const key = combinationKey(row);
    segment.set(key, (segment.get(key) ?? 0) + row.sqls);
  }
  return out;
}

/** The candidates' own forecasts of a unit, in the order its group's selection scored them (best WAPE first). */
function alternativesOf(
  groups: readonly SelectionGroup[],
  group: string | null,
  byCandidate: ReadonlyMap<string, readonly PredictiveSeries[]>,
  key: string,
): { name: string; series: PredictiveSeries }[] {
  const scores = groups.find((g) => g.group === group)?.scores ?? [];
  return [...scores]
    .filter((s) => s.wape !== null && byCandidate.has(s.candidate))
    .sort((a, b) => a.wape! - b.wape!)
    .flatMap((s) => {
      const series = byCandidate.get(s.candidate)!.find((unit) => unit.key === key);
      return series ? [{ name: s.candidate, series }] : [];
    });
}

/**
 * The latest `count` origins the selection backtest of `asOf` may use, oldest first: each a full scored span before
 * the as-of date.
 */
export function selectionOriginDates(asOf: IsoDate, count: number = SELECTION.origins): IsoDate[] {
  return Array.from({ length: count }, (_, i) => addDays(asOf, -(count - i) * SELECTION.stepDays));
}

/** Histories being read in turn, and how to stop reading them. */
interface Readings {
  readonly histories: readonly Promise<FunnelHistory>[];
  /** Reads no more and resolves once the read in flight, if any, has ended. */
  stop(): Promise<void>;
}

/**
 * The histories at `dates`, read one after another (a warehouse connection reads one at a time) but not waited for
 * together: a read waits on the database, not on JavaScript, so the fits at one origin run while the next is read.
 * Each promise is marked handled here, so a read that fails while nobody awaits it yet is reported by whoever awaits
 * it, not as an unhandled rejection.
 */
function readInTurn(dates: readonly IsoDate[], read: (asOf: IsoDate) => Promise<FunnelHistory>): Readings {
  let stopped = false;
  let previous: Promise<unknown> = Promise.resolve();
  const histories = dates.map((date) => {
    const reading = previous.then(() => {
      if (stopped) throw new Error(`the history as of ${date} was not read: the selection had stopped`);
      return read(date);
    });
    reading.catch(() => undefined);
    previous = reading;
    return reading;
  });
  return {
    histories,
    stop: async () => {
      stopped = true;
      await Promise.allSettled(histories);
    },
  };
}

/** The latest `count` origins of the selection backtest with enough history before them. */
function selectionOrigins(history: FunnelHistory, count: number): IsoDate[] {
  const first = history.daily[0]?.date;
  if (first === undefined) return [];
  return selectionOriginDates(history.asOf, count).filter((origin) => addDays(first, SELECTION.minHistoryDays) <= origin);
}

/**
 * MQLs per Channel × Source and SQLs per super-segment, each by the candidates its own history prefers (scored at
 * a few recent origins when there is more than one), then checked by the guardrails: a series its recent history
 * cannot support falls back to the robust model, with a warning.
 */
export async function forecastStages(input: StagesInput): Promise<StagesForecast> {
  const { history, horizon, forecasters } = input;
  const warnings: string[] = [];
  // Every candidate of a stage reads the same series from the same history: cut them once per history.
  const cut = new Map<Stage, WeakMap<FunnelHistory, DailySeries[]>>();
  const seriesOf = (grain: StageGrain) => (h: FunnelHistory): DailySeries[] => {
    let byHistory = cut.get(grain.stage);
    if (!byHistory) cut.set(grain.stage, (byHistory = new WeakMap()));
    let series = byHistory.get(h);
    if (!series) byHistory.set(h, (series = denseSeries(h.daily, grain.stage, grain.keyOf, grain.keys, h.asOf, input.earliest(h.asOf), input.minSeriesDays)));
    return series;
  };
  const mqlGrain: StageGrain = {
    stage: 'mqls',
    keys: input.combinationKeys,
    keyOf: byCombination,
    groupOf: () => null,
    label: (key) => combinationLabel(parseCombinationKey(key)),
  };
  const sqlGrain: StageGrain = { stage: 'sqls', keys: input.superSegments, keyOf: bySegment, groupOf: (key) => key, label: (key) => `super-segment ${key}` };

  const selecting = forecasters.mqls.length > 1 || forecasters.sqls.length > 1 || forecasters.funnelSqls;
  const origins = selecting && input.historyAt ? selectionOrigins(history, selectionOriginCount(input.combinationKeys.length)) : [];
  // Read once for both stages: both score at the same origins, and SQL candidates read the MQL forecasts there. The
  // reads are part of the MQL stage's selection backtest and are timed with it (on ten million leads they take longer
  // than the fits).
  let started = performance.now();
  const readings = readInTurn(origins, input.historyAt!);

  const run = async (grain: StageGrain, models: readonly Candidate[], progressPhase: 'fit_mqls' | 'fit_sqls', mqlsAt?: StageForecast): Promise<StageForecast> => {
    const candidates = [...models];
    const robust = forecasterCandidate(forecasters.robust, seriesOf(grain));
    if (!candidates.some((c) => c.name === robust.name)) candidates.push(robust);
    // Scored even for a single model when there are origins: a later stage may read its forecasts there.
    const scoredOrigins = readings.histories.map(async (reading, i): Promise<SelectionOriginInput> => {
      const past = await reading;
      return {
        input: { history: past, horizon: SELECTION.scoredDays, ...(mqlsAt ? { mqls: mqlsAt.atOrigins[i]! } : {}) } satisfies StageInput,
        actual: actualsOf(history.daily, grain, past.asOf, SELECTION.scoredDays),
      };
    });
    const final: StageInput = {
      history,
      horizon,
      ...(mqlsAt ? { mqls: mqlsAt.series } : {}),
      onProgress: (done, total) => input.onProgress?.({ phase: progressPhase, done, total }),
      ...(input.signal ? { signal: input.signal } : {}),
    };
    const selection = await selectStage({
      // A single configured model competes with nobody: the robust model only stands by for the guardrails.
      candidates: models.length > 1 ? candidates : candidates.slice(0, 1),
      final,
      origins: scoredOrigins,
      groupOf: grain.groupOf,
      rule: RULE,
    });
    // Only when a forecast strays are the losing candidates (the robust one among them) fitted at the as-of date.
    let everyCandidate: Promise<Map<string, readonly PredictiveSeries[]>> | undefined;
    const fitAll = () =>
      (everyCandidate ??= (async () => {
        const byCandidate = new Map(selection.byCandidate);
        // `candidates` holds the robust model (by name) too.
        const missing = candidates.filter((c) => !byCandidate.has(c.name));
        const forecasts = await Promise.all(missing.map((c) => c.forecast(final)));
        missing.forEach((c, i) => byCandidate.set(c.name, forecasts[i]!));
        return byCandidate;
      })());
    const guarded = await applyGuardrails({
      stage: grain.stage,
      label: grain.label,
      series: selection.series,
      history: new Map(seriesOf(grain)(history).map((s) => [s.key, s.values])),
      robust: { name: robust.name, series: async () => (await fitAll()).get(robust.name)! },
      alternatives: async (key) => alternativesOf(selection.groups, grain.groupOf(key), await fitAll(), key),
    });
    warnings.push(...guarded.warnings);
    const inputs = (await Promise.all(scoredOrigins)).map((origin) => origin.input);
    return { series: guarded.series, groups: selection.groups, atOrigins: selection.atOrigins, inputs, finalInput: final };
  };

  // A model trained beforehand cannot forecast from the past selection origins: the robust model stands in there.
  const pastOrigins = { standIn: forecasters.robust, before: history.asOf };
  const sqlCandidates = forecasters.sqls.map((m) => forecasterCandidate(m, seriesOf(sqlGrain), pastOrigins));
  const funnel = forecasters.funnelSqls && history.conversion ? funnelCandidate(input.credibility) : null;
  if (funnel) sqlCandidates.splice(1, 0, funnel);
  let mqls: StageForecast;
  let sqls: StageForecast;
  let fitMqls: number;
  try {
    mqls = await run(mqlGrain, forecasters.mqls.map((m) => forecasterCandidate(m, seriesOf(mqlGrain), pastOrigins)), 'fit_mqls');
    fitMqls = performance.now() - started;
    started = performance.now();
    sqls = await run(sqlGrain, sqlCandidates, 'fit_sqls', mqls);
  } finally {
    // A failed stage leaves no read behind it: the caller closes the reader next.
    await readings.stop();
  }
  const split = selectSplit({
    segments: input.superSegments,
    origins: sqls.inputs.map((at) => ({
      history: at.history,
      fine: funnel?.fine(at) ?? null,
      actual: segmentCombinationActuals(history.daily, at.history.asOf, SELECTION.scoredDays),
    })),
    mappingAt: input.mappingAt,
    finalFine: funnel?.fine(sqls.finalInput) ?? null,
  });
  return { mqls, sqls, split, warnings, timings: { fit_mqls: fitMqls, fit_sqls: performance.now() - started } };
}
