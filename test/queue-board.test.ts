import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestService, type TestService } from './support/service.js';

let t: TestService;
let admin: string;
let worker: string;
beforeAll(async () => {
  t = await startTestService({ ROCHE_AUTH: 'on' }, { api: true, worker: false });
  admin = (await t.svc.infra.apiKeys.create({ tenant: 'ops', scopes: ['admin'] })).key;
  worker = (await t.svc.infra.apiKeys.create({ tenant: 'acme', scopes: ['jobs:read', 'jobs:write'] })).key;
});
afterAll(async () => t?.stop());

it('the queue dashboard (Bull Board) at /admin/queues answers the admin scope only', async () => {
  const url = `${t.svc.api!.url}/admin/queues`;
  expect((await fetch(url)).status).toBe(401);
  expect((await fetch(url, { headers: { authorization: `Bearer ${worker}` } })).status).toBe(403);
  const page = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  const api = await fetch(`${url}/api/queues`, { headers: { authorization: `Bearer ${admin}` } });
  expect(api.status).toBe(200);
  const { queues } = (await api.json()) as { queues: Array<{ name: string }> };
  expect(queues.map((q) => q.name).sort()).toEqual(['documents', 'pages', 'webhooks']);
});
