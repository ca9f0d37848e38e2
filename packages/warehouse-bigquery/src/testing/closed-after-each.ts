import { afterEach } from 'vitest';
import type { FakeBigQuery } from './fake-bigquery.js';

/**
 * Wraps what starts the BigQuery test server (alone, or inside a warehouse) for a test file: each test's server is
 * closed after the test, whether it passed or not. Call it at the top level of the file.
 */
export function closedAfterEach<A extends unknown[], R>(start: (...args: A) => Promise<R>, fakeOf: (started: R) => FakeBigQuery): (...args: A) => Promise<R> {
  let fake: FakeBigQuery | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return async (...args) => {
    const started = await start(...args);
    fake = fakeOf(started);
    return started;
  };
}
