import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Queue } from 'bullmq';
import { authenticate, requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** Bull Board over Roche's queues (documents, pages, webhooks), for operators with the `admin` scope only. */
export function queueBoardRoutes(deps: ApiDeps, queues: Queue[]): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const adapter = new HonoAdapter(serveStatic);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
  adapter.setBasePath(QUEUE_BOARD_PATH);
  app.use(`${QUEUE_BOARD_PATH}/*`, authenticate(deps), requireScope('admin'));
  app.use(QUEUE_BOARD_PATH, authenticate(deps), requireScope('admin'));
  app.route(QUEUE_BOARD_PATH, adapter.registerPlugin() as never);
  return app;
}
