import type { Handler } from 'hono';

/**
 * An interactive API reference at /docs: every path, then every webhook Roche sends. Self-contained
 * on purpose: the usual viewers (Scalar, Swagger UI) load their scripts from a CDN, which a service on
 * a closed network cannot reach, and Scalar's Hono package needs Node 22.
 */
export function docsPage(specUrl: string): Handler {
  const html = PAGE.replace('__SPEC__', JSON.stringify(specUrl));
  return (c) => c.html(html);
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Roche API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2230}
nav{width:300px;height:100vh;overflow:auto;position:sticky;top:0;background:#f4f5f8;padding:12px;box-sizing:border-box}
nav a{display:block;color:inherit;text-decoration:none;padding:3px 0;font-size:13px}
main{flex:1;padding:24px 32px;max-width:980px}
.m{display:inline-block;width:58px;font:bold 12px monospace;text-transform:uppercase}
.get{color:#16794c}.post{color:#1f5fbf}.delete{color:#b3261e}.patch{color:#9a6700}
section{border-top:1px solid #ddd;padding:12px 0}
pre{background:#f4f5f8;padding:8px;overflow:auto;font-size:12px;max-height:320px}
details summary{cursor:pointer;font-size:13px;color:#555}
.try{margin-top:8px;font-size:13px}.try input,.try textarea{width:100%;box-sizing:border-box;font:12px monospace}
</style></head><body><nav id="nav"></nav><main id="main"><p>Loading…</p></main>
<script>
const specUrl = __SPEC__;
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch(specUrl).then((r) => r.json()).then((spec) => {
  const nav = document.getElementById('nav'), main = document.getElementById('main');
  main.innerHTML = '<h1>' + esc(spec.info.title) + '</h1><div>' + esc(spec.info.description || '').replace(/\\n/g, '<br>') + '</div>' +
    '<p class="try">API key for "try it": <input id="key" placeholder="rk_…"></p>';
  let i = 0;
  for (const [path, ops] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(ops)) {
    const id = 'op' + i++;
    nav.insertAdjacentHTML('beforeend', '<a href="#' + id + '"><span class="m ' + method + '">' + method + '</span>' + esc(path) + '</a>');
    main.insertAdjacentHTML('beforeend', '<section id="' + id + '"><h3><span class="m ' + method + '">' + method + '</span>' + esc(path) +
      '</h3><p><b>' + esc(op.summary) + '</b> <code>' + esc(op.operationId) + '</code></p><p>' + esc(op.description) + '</p>' +
      '<details><summary>request and responses</summary><pre>' + esc(JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses, security: op.security }, null, 2)) + '</pre></details>' +
      (method === 'get' && !path.includes('{') ? '<p class="try"><button data-path="' + esc(path) + '">Try it</button><pre hidden></pre></p>' : '') + '</section>');
  }
  // Webhooks (OpenAPI 3.1 \`webhooks\`): what Roche sends to receivers, with the answers it expects.
  const hooks = Object.entries(spec.webhooks || {});
  if (hooks.length) {
    nav.insertAdjacentHTML('beforeend', '<p><b>Webhooks</b></p>');
    main.insertAdjacentHTML('beforeend', '<h2>Webhooks</h2>');
  }
  for (const [name, ops] of hooks) for (const [method, op] of Object.entries(ops)) {
    const id = 'op' + i++;
    nav.insertAdjacentHTML('beforeend', '<a href="#' + id + '"><span class="m ' + method + '">' + method + '</span>' + esc(name) + '</a>');
    main.insertAdjacentHTML('beforeend', '<section id="' + id + '"><h3><span class="m ' + method + '">' + method + '</span>webhook ' + esc(name) +
      '</h3><p><b>' + esc(op.summary) + '</b></p><p>' + esc(op.description) + '</p>' +
      '<details><summary>payload and expected answers</summary><pre>' + esc(JSON.stringify({ requestBody: op.requestBody, responses: op.responses }, null, 2)) + '</pre></details></section>');
  }
  main.addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-path]'); if (!b) return;
    const key = document.getElementById('key').value, out = b.nextElementSibling;
    const r = await fetch(b.dataset.path, { headers: key ? { authorization: 'Bearer ' + key } : {} });
    out.hidden = false; out.textContent = r.status + '\\n' + await r.text();
  });
});
</script></body></html>`;
