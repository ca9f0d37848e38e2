import type { Queue } from 'bullmq';
import type { MountedHandler } from './health-server.js';

/**
 * A read-only Bull Board for `queue`, served under `basePath`. Loaded lazily: only workers started with
 * `FUNNELCAST_BULL_BOARD=1` pay for Express and the board's UI.
 */
export async function createBullBoard(queue: Queue, basePath = '/queues'): Promise<MountedHandler> {
  const [{ createBullBoard: create }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  // @bull-board/express 9.10.1 nests its own copy of @bull-board/api 9.10.1, whose private fields make the two
  // adapter types differ to TypeScript though they are the same at run time.
  create({ queues: [new BullMQAdapter(queue, { readOnlyMode: true })], serverAdapter: serverAdapter as unknown as Parameters<typeof create>[0]['serverAdapter'] });
  const app = serverAdapter.getRouter() as MountedHandler & { set(setting: string, value: unknown): void };
  // Express answers an error with its stack trace unless it runs in production mode.
  app.set('env', 'production');
  return app;
}
