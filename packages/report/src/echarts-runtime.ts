import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as EChartsCore from 'echarts/core';

// One ECharts build for both sides: the common bundle (line charts, legends, tooltips, the SVG renderer). Node loads
// it as one file, several times faster than the ES module tree, and the page inlines the same file.
const BUNDLE = 'echarts/dist/echarts.common.min';
const require = createRequire(import.meta.url);

let runtime: string | undefined;

/**
 * The bundle's source, inlined so the page needs no network; read once per process. A build that could close the
 * `<script>` element it is inlined in is refused rather than written into a page.
 */
export function echartsRuntime(): string {
  if (runtime === undefined) {
    const text = readFileSync(require.resolve(BUNDLE), 'utf8');
    if (/<\/script|<!--/i.test(text)) throw new Error('the ECharts bundle contains text that would end its inline <script>');
    runtime = text;
  }
  return runtime;
}

/** ECharts in Node, from the bundle the page inlines. */
export function serverEcharts(): Pick<typeof EChartsCore, 'init'> {
  return require(BUNDLE) as typeof EChartsCore;
}
