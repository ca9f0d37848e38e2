// Accuracy against the noise floor (issue 3). The demo process is known, so the best possible forecast is known too:
// the expected future given the snapshot, with exact count quantiles (from many independent draws) as its bounds.
// The published forecast and two peers — per-combination AutoARIMA on each stage (the old "V1" way) and a
// same-weekday 8-week mean — are scored on other independent futures, at the Channel × Source grain, over the first
// 30 days.
import { combinationKey, countBounds, coverage, meanPinball, parseConfig, wape, addDays, daysBetween, SEASONAL_NAIVE, V1_AUTO_ARIMA } from '@funnelcast/core';
import { drawFutures, generateLeads, sumByCombination } from '@funnelcast/demo';
import { createForecaster } from '@funnelcast/models';
import { historyRequest, refresh } from '@funnelcast/pipeline';
import { createDuckDbWarehouse } from '@funnelcast/warehouse-duckdb';
import { join } from 'node:path';
import { quantileOfSorted, round, scratch, writeResult } from './support.mjs';

const AS_OF = '2025-10-01';
const DAYS = 30;
const FLOOR_DRAWS = 400;
const SCORE_DRAWS = 60;
const STAGES = ['mqls', 'sqls', 'sqos'];
// The messy profiles come after the clean ones, each in its own warehouse: the clean figures do not change.
const PROFILES = [
  { name: 'large', profile: 'large', scale: 1 },
  { name: 'small', profile: 'small', scale: 1 },
  { name: 'ramp', profile: 'ramp', scale: 1 },
  { name: 'sparse', profile: 'sparse', scale: 1 },
];

/** Per combination key: for each draw, the daily counts of each stage. */
function drawsByCombination(draws) {
  const size = draws.cells.length * draws.days;
  const out = new Map();
  for (let d = 0; d < draws.count; d++) {
    draws.cells.forEach((cell, index) => {
      const key = combinationKey(cell);
      if (!out.has(key)) out.set(key, { mqls: [], sqls: [], sqos: [] });
      const entry = out.get(key);
      for (const stage of STAGES) {
        entry[stage][d] ??= new Array(draws.days).fill(0);
        const source = draws[stage];
        for (let day = 0; day < draws.days; day++) entry[stage][d][day] += source[d * size + index * draws.days + day];
      }
    });
  }
  return out;
}

/** Forecast of the floor: expected value, bounds = exact (empirical over many draws) count quantiles. */
function floorForecast(floorDraws) {
  const mean = sumByCombination(floorDraws.mean);
  const byCombination = drawsByCombination(floorDraws);
  const out = new Map();
  for (const [key, stages] of byCombination) {
    const entry = {};
    for (const stage of STAGES) {
      entry[stage] = Array.from({ length: DAYS }, (_, day) => {
        const values = stages[stage].map((draw) => draw[day]).sort((a, b) => a - b);
        const m = mean.get(key)[stage][day];
        const lower50 = Math.min(quantileOfSorted(values, 0.25), m);
        const upper50 = Math.max(quantileOfSorted(values, 0.75), m);
        return { mean: m, lower95: Math.min(quantileOfSorted(values, 0.025), lower50), lower50, upper50, upper95: Math.max(quantileOfSorted(values, 0.975), upper50) };
      });
    }
    out.set(key, entry);
  }
  return out;
}

/** The published forecast as { key → stage → day → {mean, bounds} }. */
function publishedForecast(rows) {
  const out = new Map();
  for (const row of rows) {
    const key = combinationKey({ channel: row.Channel_Grouping_Name, source: row.Original_source });
    const day = daysBetween(AS_OF, row.date_day);
    if (day < 0 || day >= DAYS) continue;
    if (!out.has(key)) out.set(key, Object.fromEntries(STAGES.map((s) => [s, new Array(DAYS)])));
    for (const stage of STAGES) {
      out.get(key)[stage][day] = {
        mean: row[`${stage}_forecast`],
        lower95: row[`${stage}_lower_95`],
        lower50: row[`${stage}_lower_50`],
        upper50: row[`${stage}_upper_50`],
        upper95: row[`${stage}_upper_95`],
      };
    }
  }
  return out;
}

/** A peer: one forecaster per combination and stage, straight on that stage's own series. */
async function peerForecast(name, history, keys) {
  const forecaster = createForecaster(name);
  const earliest = addDays(AS_OF, -730);
  const out = new Map(keys.map((key) => [key, {}]));
  for (const stage of STAGES) {
    const values = new Map(keys.map((key) => [key, new Array(daysBetween(earliest, AS_OF)).fill(0)]));
    for (const row of history.daily) {
      const key = combinationKey(row);
      if (values.has(key) && row.date >= earliest) values.get(key)[daysBetween(earliest, row.date)] += row[stage];
    }
    const series = keys.map((key) => {
      // Like the production path, a series starts at its first event.
      const all = values.get(key);
      const first = Math.max(0, all.findIndex((v) => v > 0));
      return { key, start: addDays(earliest, first), values: all.slice(first).length ? all.slice(first) : [0] };
    });
    const forecasts = await forecaster.forecast({ asOf: AS_OF, horizon: DAYS, series });
    for (const f of forecasts) {
      out.get(f.key)[stage] = f.mean.map((mean, day) => ({ mean, ...countBounds(mean, f.variance[day]) }));
    }
  }
  return out;
}

/** Scores a forecast against the scoring draws: averages over draws of pooled cell metrics. */
function score(forecast, scoring, keys) {
  const result = {};
  for (const stage of STAGES) {
    const wapes = [];
    const pinballs = [];
    const coverages = [];
    const totalErrors = [];
    for (let d = 0; d < SCORE_DRAWS; d++) {
      const actual = [];
      const cells = [];
      for (const key of keys) {
        const realised = scoring.get(key)?.[stage][d] ?? new Array(DAYS).fill(0);
        const predicted = forecast.get(key)?.[stage] ?? new Array(DAYS).fill({ mean: 0, lower95: 0, lower50: 0, upper50: 0, upper95: 0 });
        for (let day = 0; day < DAYS; day++) {
          actual.push(realised[day]);
          cells.push(predicted[day]);
        }
      }
      wapes.push(wape(actual, cells.map((c) => c.mean)));
      pinballs.push(meanPinball(actual, cells));
      coverages.push(coverage(actual, cells.map((c) => c.lower95), cells.map((c) => c.upper95)));
      const actualTotal = actual.reduce((a, b) => a + b, 0);
      const forecastTotal = cells.reduce((a, c) => a + c.mean, 0);
      totalErrors.push(((forecastTotal - actualTotal) / actualTotal) * 100);
    }
    const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
    result[stage] = {
      wape: mean(wapes),
      pinball: mean(pinballs),
      coverage95: mean(coverages),
      totalPctError: mean(totalErrors),
      totalPctErrorAbs: mean(totalErrors.map(Math.abs)),
    };
  }
  return result;
}

const report = { asOf: AS_OF, scoredDays: DAYS, floorDraws: FLOOR_DRAWS, scoreDraws: SCORE_DRAWS, profiles: {} };
for (const { name, profile, scale } of PROFILES) {
  const dir = scratch(`accuracy-${name}`);
  try {
    const options = { seed: 42, end: AS_OF, profile, scale };
    const leads = generateLeads(options);
    const path = join(dir.path, 'demo.duckdb');
    const warehouse = await createDuckDbWarehouse({ path });
    await warehouse.ensureSchema();
    await warehouse.insertLeads(leads, { replace: true });
    const config = parseConfig({ targets: { local: { type: 'duckdb', path } } });
    const started = performance.now();
    const summary = await refresh(config, { asOf: AS_OF, horizon: 90, warehouse });
    const refreshMs = performance.now() - started;
    const rows = await warehouse.readPublished({ from: AS_OF, to: addDays(AS_OF, DAYS - 1) });
    const history = await warehouse.readHistory(historyRequest(config, AS_OF));
    await warehouse.close();

    const floorDraws = drawFutures(options, AS_OF, addDays(AS_OF, DAYS), FLOOR_DRAWS, 1);
    const scoring = drawsByCombination(drawFutures(options, AS_OF, addDays(AS_OF, DAYS), SCORE_DRAWS, 2));
    const production = publishedForecast(rows);
    const keys = [...new Set([...production.keys(), ...scoring.keys()])];
    const forecasts = {
      floor: floorForecast(floorDraws),
      production,
      v1: await peerForecast(V1_AUTO_ARIMA, history, keys),
      naive: await peerForecast(SEASONAL_NAIVE, history, keys),
    };
    const scores = Object.fromEntries(Object.entries(forecasts).map(([model, f]) => [model, score(f, scoring, keys)]));
    const ratios = {};
    for (const model of ['production', 'v1', 'naive']) {
      ratios[model] = Object.fromEntries(
        STAGES.map((stage) => [
          stage,
          {
            wapeVsFloor: round(scores[model][stage].wape / scores.floor[stage].wape),
            pinballVsFloor: round(scores[model][stage].pinball / scores.floor[stage].pinball),
            coverage95: round(scores[model][stage].coverage95),
            totalPctError: round(scores[model][stage].totalPctError, 2),
            totalPctErrorAbs: round(scores[model][stage].totalPctErrorAbs, 2),
          },
        ]),
      );
    }
    const sqlsPerDay = leads.filter((l) => l.sql_date && l.sql_date >= addDays(AS_OF, -90)).length / 90;
    const targets = {
      sqlWape: ratios.production.sqls.wapeVsFloor <= 1.1,
      mqlWape: ratios.production.mqls.wapeVsFloor <= 1.1,
      sqoWape: ratios.production.sqos.wapeVsFloor <= 1.2,
      pinball: STAGES.every((s) => ratios.production[s].pinballVsFloor <= 1.15),
      sqlTotalWithin8pct: Math.abs(ratios.production.sqls.totalPctError) <= 8,
      coverage95: STAGES.every((s) => ratios.production[s].coverage95 >= 0.9),
    };
    report.profiles[name] = {
      leads: leads.length,
      sqlsPerDay: round(sqlsPerDay, 1),
      combinations: keys.length,
      refreshMs: Math.round(refreshMs),
      publishedRows: summary.rows,
      ratios,
      targets,
      raw: Object.fromEntries(Object.entries(scores).map(([m, s]) => [m, Object.fromEntries(STAGES.map((st) => [st, Object.fromEntries(Object.entries(s[st]).map(([k, v]) => [k, round(v, 4)]))]))])),
    };
    console.log(`\n${name}: ${leads.length} leads, ${round(sqlsPerDay, 1)} SQLs/day, ${keys.length} combinations`);
    console.table(Object.fromEntries(['production', 'v1', 'naive'].flatMap((m) => STAGES.map((s) => [`${m} ${s}`, ratios[m][s]]))));
    console.log('targets', targets);
  } finally {
    dir.cleanup();
  }
}
writeResult('accuracy', report);
