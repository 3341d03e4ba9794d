import { describe, expect, it } from 'vitest';
import { startTestService } from '../../../test/support/service.js';

type Op = { operationId?: string; security?: unknown[]; responses: Record<string, unknown> };
type Doc = {
  paths: Record<string, Record<string, Op>>;
  components: { securitySchemes: Record<string, unknown> };
  webhooks: Record<string, unknown>;
};

/** Hono's `:id` and `*` as OpenAPI's `{id}` and `{path}`. */
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{path}');

describe('OpenAPI document generated from the routes', () => {
  it('describes every registered route with a unique operationId, auth and errors, and nothing else', async () => {
    const t = await startTestService({}, { api: true, worker: false });
    try {
      const doc = (await (await fetch(`${t.svc.api!.url}/openapi.json`)).json()) as Doc;
      const routes = t.svc
        .api!.app.routes.filter(
          (r) =>
            r.method !== 'ALL' &&
            !['/openapi.json', '/docs', '/metrics', '/ui', '/ui/'].includes(r.path) &&
            !r.path.startsWith('/admin/queues'),
        )
        .map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`);
      expect(routes.length).toBeGreaterThan(15);
      const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
      expect([...new Set(routes)].sort()).toEqual(documented.sort());

      const ops = Object.values(doc.paths).flatMap((o) => Object.values(o));
      const ids = ops.map((o) => o.operationId);
      expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const [p, byMethod] of Object.entries(doc.paths)) {
        for (const op of Object.values(byMethod)) {
          if (!p.startsWith('/v1/')) continue;
          expect(op.security, `${op.operationId}`).toBeDefined();
          expect(Object.keys(op.responses), `${op.operationId}`).toEqual(expect.arrayContaining(['401', '403', '429']));
        }
      }
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerAuth']);
      expect(Object.keys(doc.webhooks).sort()).toEqual(['job.canceled', 'job.failed', 'job.partial', 'job.succeeded']);

      const page = await fetch(`${t.svc.api!.url}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/openapi.json');
    } finally {
      await t.stop();
    }
  });
});
