import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let runtime: string | undefined;

/**
 * ECharts' browser build (the common bundle: line charts, legends, tooltips), inlined so the page needs no network.
 * Read once per process. A build that could close the `<script>` element it is inlined in is refused rather than
 * written into a page.
 */
export function echartsRuntime(): string {
  if (runtime === undefined) {
    const text = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.common.min'), 'utf8');
    if (/<\/script|<!--/i.test(text)) throw new Error('the ECharts bundle contains text that would end its inline <script>');
    runtime = text;
  }
  return runtime;
}
