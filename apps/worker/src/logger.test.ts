import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@funnelcast/core';
import { redactUrl, urlSecrets } from './connection.js';
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

  it('keep credentials out of errors: ioredis command arguments, Invalid URL input, URLs in messages, known secrets', () => {
    const out = memory();
    const logger = createLogger({ destination: out, secrets: urlSecrets('redis://127.0.0.1:6379/?password=pa%24%24word') });
    const auth = Object.assign(new Error('WRONGPASS invalid username-password pair'), { command: { name: 'hello', args: ['3', 'AUTH', 'default', 'hunter2'] } });
    let invalid: unknown;
    try {
      new URL('redis://:hunter3@host:port');
    } catch (error) {
      invalid = error;
    }
    logger.error({ err: auth }, 'worker error');
    logger.error({ err: invalid }, 'bad url');
    logger.error({ err: new Error('cannot reach redis://admin:hunter4@10.0.0.1:6379') }, 'unreachable');
    logger.warn('password pa$$word leaked in a message');
    const text = JSON.stringify(out.lines);
    for (const secret of ['hunter2', 'hunter3', 'hunter4', 'pa$$word', 'pa%24%24word']) expect(text).not.toContain(secret);
    expect(out.lines[0]).toMatchObject({ err: { message: 'WRONGPASS invalid username-password pair', command: { name: 'hello' } } });
    expect(out.lines[2]).toMatchObject({ err: { message: 'cannot reach redis://***@10.0.0.1:6379' } });
    expect(out.lines[3]).toMatchObject({ msg: 'password *** leaked in a message' });
  });

  it('hide passwords of Redis URLs, in the user info or a query parameter', () => {
    expect(redactUrl('redis://user:s3cret@redis:6379/0')).toBe('redis://user:***@redis:6379/0');
    expect(redactUrl('redis://redis:6379/?password=s3cret&db=1')).toBe('redis://redis:6379/?password=***&db=1');
    expect(redactUrl('redis://:s3cret@redis:port')).toBe('(unparseable Redis URL)');
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
