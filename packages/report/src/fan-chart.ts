import { STAGE_LABELS, STAGES, type DailyTotal } from '@funnelcast/core';
import type { EChartsCoreOption } from 'echarts/core';
import { serverEcharts } from './echarts-runtime.js';

/** The series names of a fan chart: the legend toggles each across the three stages at once. */
export const SERIES_NAMES = { actual: 'Actual', forecast: 'Forecast', band50: '50% interval', band95: '95% interval' } as const;

// Fits the printable width of A4 landscape (277 mm ≈ 1047 px at 96 dpi) without scaling.
export const CHART_WIDTH = 1000;

/** The values a tooltip shows for one day of one stage, rounded: `[actual, forecast, lower95, lower50, upper50, upper95]`. */
export type TooltipPoint = readonly (number | null)[];

/** A fan chart ready for both renderings: the option ECharts draws, and the exact values tooltips show. */
export interface FanChart {
  readonly option: EChartsCoreOption;
  readonly width: number;
  readonly height: number;
  /** Per stage (the grid index), per day: what the client-side tooltip prints. */
  readonly points: readonly (readonly TooltipPoint[])[];
}

const ACTUAL = '#1f2937';
const FORECAST = '#1d4ed8';
const BAND50 = 'rgba(37, 99, 235, 0.34)';
const BAND95 = 'rgba(37, 99, 235, 0.16)';

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/**
 * A row of three fan charts (MQLs, SQLs, SQOs) from daily totals: the actual line, then the forecast line inside its
 * 50% and 95% bands. Each band is two stacked lines, an invisible lower bound and the band's width filled above it:
 * ECharts draws areas from a baseline, and stacking makes the lower bound that baseline.
 */
export function fanChart(totals: readonly DailyTotal[], height: number): FanChart {
  const dates = [...new Set(totals.map((t) => t.date))].sort();
  const gridWidth = 100 / STAGES.length;
  const option = {
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    legend: { top: 0, data: Object.values(SERIES_NAMES) },
    tooltip: { trigger: 'axis' },
    title: STAGES.map((stage, i) => ({ text: STAGE_LABELS[stage], left: `${i * gridWidth + 1}%`, top: 22, textStyle: { fontSize: 12 } })),
    grid: STAGES.map((_, i) => ({ left: `${i * gridWidth + 4}%`, width: `${gridWidth - 6}%`, top: 48, bottom: 24 })),
    xAxis: STAGES.map((_, i) => ({ type: 'category', gridIndex: i, data: dates, boundaryGap: false, axisLabel: { fontSize: 9 } })),
    yAxis: STAGES.map((_, i) => ({ type: 'value', gridIndex: i, axisLabel: { fontSize: 9 } })),
    series: STAGES.flatMap((stage, i) => {
      const byDate = new Map(totals.filter((t) => t.stage === stage).map((t) => [t.date, t]));
      const values = (pick: (t: DailyTotal) => number | null) => dates.map((d) => {
        const t = byDate.get(d);
        return t ? round(pick(t)) : null;
      });
      const width = (low: keyof DailyTotal, high: keyof DailyTotal) =>
        values((t) => (t[high] === null || t[low] === null ? null : (t[high] as number) - (t[low] as number)));
      const axes = { xAxisIndex: i, yAxisIndex: i, symbol: 'none', connectNulls: false };
      const line = (name: string, data: (number | null)[], color: string, type: 'solid' | 'dashed') =>
        ({ ...axes, type: 'line', name, data, itemStyle: { color }, lineStyle: { width: 1.3, type, color } });
      // A band's lower bound is drawn invisible and its width, stacked on it, filled. Both carry the band's colour:
      // the legend takes a name's colour from its first series.
      const bound = (name: string, stack: string, data: (number | null)[], color: string, filled: boolean) => ({
        ...axes,
        type: 'line',
        name,
        stack: `${stack}-${stage}`,
        data,
        silent: true,
        itemStyle: { color },
        lineStyle: { opacity: 0 },
        ...(filled ? { areaStyle: { color } } : {}),
      });
      return [
        bound(SERIES_NAMES.band95, 'band95', values((t) => t.lower95), BAND95, false),
        bound(SERIES_NAMES.band95, 'band95', width('lower95', 'upper95'), BAND95, true),
        bound(SERIES_NAMES.band50, 'band50', values((t) => t.lower50), BAND50, false),
        bound(SERIES_NAMES.band50, 'band50', width('lower50', 'upper50'), BAND50, true),
        line(SERIES_NAMES.actual, values((t) => t.actual), ACTUAL, 'solid'),
        line(SERIES_NAMES.forecast, values((t) => t.forecast), FORECAST, 'dashed'),
      ];
    }),
  };
  const points = STAGES.map((stage) => {
    const byDate = new Map(totals.filter((t) => t.stage === stage).map((t) => [t.date, t]));
    return dates.map((d) => {
      const t = byDate.get(d);
      return t ? [t.actual, t.forecast, t.lower95, t.lower50, t.upper50, t.upper95].map(round) : [];
    });
  });
  return { option, width: CHART_WIDTH, height, points };
}

/** The chart as an SVG document, drawn by ECharts in Node: what the page shows before (or without) scripts. */
export function renderSvg(chart: FanChart): string {
  const instance = serverEcharts().init(null, null, { renderer: 'svg', ssr: true, width: chart.width, height: chart.height });
  try {
    instance.setOption(chart.option);
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
