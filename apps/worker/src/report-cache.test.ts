import { describe, expect, it } from 'vitest';
import { cachedReport } from './report-cache.js';

function source(initial: string | null) {
  let production = initial;
  let renders = 0;
  let fail = false;
  return {
    set: (runId: string | null) => void (production = runId),
    failNext: () => void (fail = true),
    renders: () => renders,
    source: {
      productionRunId: async () => production,
      render: async () => {
        renders++;
        if (fail) {
          fail = false;
          throw new Error('warehouse gone');
        }
        return production === null ? null : { runId: production, html: `<p>${production} #${renders}</p>` };
      },
    },
  };
}

describe('cachedReport', () => {
  it('renders once per production run and again when another run becomes production', async () => {
    const s = source('run-a');
    const report = cachedReport(s.source);
    const [first, second] = await Promise.all([report(), report()]);
    expect(first).toBe('<p>run-a #1</p>');
    expect(second).toBe(first);
    expect(await report()).toBe(first);
    s.set('run-b');
    expect(await report()).toBe('<p>run-b #2</p>');
    expect(s.renders()).toBe(2);
  });

  it('answers null while nothing is published, and tries again after a failed rendering', async () => {
    const s = source(null);
    const report = cachedReport(s.source);
    expect(await report()).toBeNull();
    s.set('run-a');
    s.failNext();
    await expect(report()).rejects.toThrow('warehouse gone');
    expect(await report()).toBe('<p>run-a #2</p>');
  });
});
