import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@funnelcast/core';
import { createLogger } from './logger.js';
import { enqueueRefresh, refreshJobId } from './queue.js';
import { nextJobEvent, stubRefresh, testConfig, workerPool } from './testing/fixtures.js';

/** A pino destination that keeps the parsed lines. */
function memory(): { lines: Record<string, unknown>[]; write(line: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
}

const pool = workerPool();
afterEach(() => pool.closeAll());

describe('worker logs', () => {
  it('are JSON lines with credentials censored wherever they appear', () => {
    const out = memory();
    const logger = createLogger({ destination: out });
    logger.info({ redisUrl: 'redis://:s3cret@redis:6379', target: { keyFilename: '/keys/sa.json', password: 'pw1' }, token: 'tok' }, 'hello');
    expect(out.lines).toEqual([expect.objectContaining({ name: 'funnelcast-worker', level: 30, msg: 'hello', redisUrl: '***', token: '***', target: { keyFilename: '***', password: '***' } })]);
    expect(JSON.stringify(out.lines)).not.toMatch(/s3cret|pw1|tok"|sa\.json/);
  });

  it('name the job and its target on every line about a job', async () => {
    const config = testConfig(['alpha']);
    const out = memory();
    const { refresh } = stubRefresh((call) => {
      if (call.asOf === '2025-06-03') throw new InputError([{ where: 'leads', message: 'no history' }]);
    });
    const running = await pool.start(config, { logger: createLogger({ destination: out }), refresh, concurrency: 1 });
    const completed = nextJobEvent(running.worker, 'completed');
    const failed = nextJobEvent(running.worker, 'failed');
    await enqueueRefresh(running.queue, config, { asOf: '2025-06-02' });
    await enqueueRefresh(running.queue, config, { asOf: '2025-06-03' });
    await Promise.all([completed, failed]);
    await running.close();

    const lifecycle = new Set(['worker started', 'shutting down: waiting for running refreshes', 'worker stopped']);
    const jobLines = out.lines.filter((line) => !lifecycle.has(line.msg as string));
    expect(jobLines.map((l) => l.msg)).toEqual(['refresh started', 'refresh completed', 'refresh started', 'refresh failed']);
    for (const line of jobLines) expect(line).toMatchObject({ jobId: expect.stringMatching(/^refresh:alpha:2025-06-0[23]_h90$/), target: 'alpha' });
    expect(jobLines[3]).toMatchObject({ jobId: refreshJobId('alpha', '2025-06-03', 90), err: expect.objectContaining({ type: 'InputError' }) });
  });
});
