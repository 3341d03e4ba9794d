import vm from 'node:vm';
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

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Runs the /docs page's script with just the DOM it uses; returns the HTML it wrote into <main>. */
async function renderDocsPage(html: string, spec: unknown): Promise<string> {
  const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
  const el = () => ({
    innerHTML: '',
    insertAdjacentHTML(_where: string, h: string) {
      this.innerHTML += h;
    },
    addEventListener() {},
  });
  const nodes: Record<string, ReturnType<typeof el>> = { nav: el(), main: el() };
  let done!: () => void;
  const rendered = new Promise<void>((r) => (done = r));
  const fetchSpec = async () => ({ json: async () => spec });
  vm.runInNewContext(script, { document: { getElementById: (id: string) => nodes[id] }, fetch: fetchSpec, JSON, Object, String });
  // The script renders in a promise chain; let it run.
  setTimeout(done, 50);
  await rendered;
  return nodes.main!.innerHTML;
}

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
      const html = await page.text();
      expect(html).toContain('/openapi.json');
      // The page's own script, run against the served document: every path and every webhook is shown.
      const shown = await renderDocsPage(html, doc);
      for (const p of Object.keys(doc.paths)) expect(shown, p).toContain(`</span>${escapeHtml(p)}</h3>`);
      for (const w of Object.keys(doc.webhooks)) expect(shown, w).toContain(`webhook ${w}</h3>`);
      expect(shown).toContain('&quot;pagesDone&quot;'); // a webhook's payload schema, not just its name
    } finally {
      await t.stop();
    }
  });
});
