import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { requireScope, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { AUTH_ERRORS, createRoute, mount, needs } from '../openapi.js';

const ModelInfo = z.object({
  name: z.string(),
  engine: z.string(),
  default: z.boolean(),
  description: z.string().optional(),
  labels: z.array(z.string()).describe('Labels its regions can carry'),
  settings: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('PaddleX layout settings: threshold, layout_nms, layout_unclip_ratio, ...'),
  serverModel: z.string().optional().describe('The model name on the inference server (triton, paddlex-hps)'),
});

const listModels = createRoute({
  method: 'get',
  path: '/v1/models',
  operationId: 'listModels',
  tags: ['models'],
  summary: 'The models a job can pick with `options.model`, the default first, with their labels and layout settings',
  security: needs('jobs:read'),
  responses: {
    200: {
      description: 'Models of this deployment (pipeline_config.yaml `Models`, or the one ROCHE_ENGINE model)',
      content: { 'application/json': { schema: z.object({ data: z.array(ModelInfo) }) } },
    },
    ...AUTH_ERRORS,
  },
});

/** `GET /v1/models`. */
export function modelRoutes(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  mount(app, listModels, requireScope('jobs:read'), async (c) => {
    return c.json({ data: deps.models?.list() ?? [] });
  });
  return app;
}
