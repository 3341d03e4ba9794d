import { COMMON_LABEL_COLOURS, COMMON_LABELS } from '@roche/core';

/**
 * The viewer: one HTML page, plain JavaScript, no build step. It talks to the public API only
 * (with the caller's API key when one is given) and draws regions client-side over the page
 * preview, so filtering by label or score needs no round trip.
 */
export const VIEWER_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roche viewer</title>
<style>
  :root { font: 14px/1.4 system-ui, sans-serif; color: #1d1d1f; }
  body { margin: 0; display: grid; grid-template-columns: 320px 1fr; min-height: 100vh; }
  aside { border-right: 1px solid #ddd; padding: 12px; background: #fafafa; overflow: auto; }
  main { padding: 12px; overflow: auto; }
  h1 { font-size: 18px; margin: 0 0 8px; } h2 { font-size: 14px; margin: 16px 0 6px; }
  label { display: block; margin: 6px 0 2px; font-weight: 600; }
  input[type=text], input[type=password], input[type=number], select { width: 100%; box-sizing: border-box; padding: 4px; }
  #drop { border: 2px dashed #999; border-radius: 8px; padding: 16px; text-align: center; margin: 8px 0; cursor: pointer; }
  #drop.over { background: #e8f0fe; border-color: #1f77b4; }
  button { padding: 4px 10px; margin: 2px 2px 2px 0; cursor: pointer; }
  progress { width: 100%; }
  #jobs { width: 100%; border-collapse: collapse; font-size: 12px; }
  #jobs td { border-top: 1px solid #e5e5e5; padding: 3px 2px; vertical-align: top; }
  .panels { display: flex; gap: 12px; align-items: flex-start; }
  .panel { flex: 1; min-width: 0; }
  .panel:empty { display: none; }
  .thumbs { display: flex; gap: 6px; overflow-x: auto; margin: 6px 0; }
  .thumbs img { height: 80px; border: 2px solid transparent; cursor: pointer; }
  .thumbs img.current { border-color: #1f77b4; }
  .stage { position: relative; display: inline-block; max-width: 100%; }
  .stage img { display: block; max-width: 100%; }
  .stage svg { position: absolute; inset: 0; width: 100%; height: 100%; }
  .stage rect { fill-opacity: 0.08; stroke-width: 2; cursor: pointer; vector-effect: non-scaling-stroke; }
  .stage rect:hover { fill-opacity: 0.25; }
  .stage text { font: 12px sans-serif; pointer-events: none; }
  .hidden { display: none; }
  #legend label { display: inline-flex; gap: 4px; font-weight: normal; margin-right: 10px; }
  .swatch { width: 12px; height: 12px; display: inline-block; border-radius: 2px; margin-top: 3px; }
  #toast { position: fixed; bottom: 12px; right: 12px; background: #333; color: #fff; padding: 6px 10px; border-radius: 4px; opacity: 0; transition: opacity .3s; }
  #toast.show { opacity: 1; }
  .error { color: #b00020; }
</style>
</head>
<body>
<aside>
  <h1>Roche viewer</h1>
  <label for="apikey">API key (kept in this browser)</label>
  <input id="apikey" type="password" autocomplete="off" placeholder="none on a local service">
  <label for="model">Model</label>
  <select id="model"></select>
  <label for="pages">Pages (e.g. 1-3,5)</label>
  <input id="pages" type="text" placeholder="all">
  <label for="threshold">Score threshold override</label>
  <input id="threshold" type="number" min="0" max="1" step="0.05" placeholder="model default">
  <div id="drop" tabindex="0">Drop a PDF or image here, or click to pick one
    <input id="file" type="file" accept=".pdf,image/*" class="hidden">
  </div>
  <button id="submit" disabled>Analyze</button>
  <div id="status" role="status" aria-live="polite"></div>
  <progress id="progress" max="1" value="0" class="hidden"></progress>
  <h2>Jobs <button id="refresh" title="Refresh the list">↻</button></h2>
  <table id="jobs" aria-label="Your jobs"></table>
</aside>
<main>
  <div id="empty">Submit a document or open a job to see its layout.</div>
  <div id="controls" class="hidden">
    <label for="score">Minimum score: <span id="scoreValue">0.00</span></label>
    <input id="score" type="range" min="0" max="1" step="0.01" value="0">
    <div id="legend" aria-label="Labels shown"></div>
    <div>
      <a id="download" href="#">result.json</a> ·
      <a id="overlay" href="#">overlay PNG of this page</a> ·
      <label style="display:inline;font-weight:normal"><input id="order" type="checkbox" checked> reading order</label>
    </div>
  </div>
  <div class="panels">
    <section class="panel" id="panelA"></section>
    <section class="panel" id="panelB"></section>
  </div>
</main>
<div id="toast"></div>
<script type="module">
const $ = (s) => document.querySelector(s);
// Everything the API returns is data, never markup: file names come from whoever submitted the job
// (an upload, an X-Filename header, a drop-folder key), and this page holds the API key.
const esc = (v) => String(v).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const COLORS = ${JSON.stringify(COMMON_LABEL_COLOURS)};
const COMMON = ${JSON.stringify(COMMON_LABELS)};
const colour = (label) => COLORS[COMMON[label] ?? 'other'] ?? COLORS.other;
const state = { jobs: [null, null], page: 1, hiddenLabels: new Set(), minScore: 0, blobs: new Map() };

$('#apikey').value = localStorage.getItem('roche.apikey') ?? '';
$('#apikey').addEventListener('change', () => { localStorage.setItem('roche.apikey', $('#apikey').value); refreshJobs(); loadModels(); });
const headers = () => ($('#apikey').value ? { authorization: 'Bearer ' + $('#apikey').value } : {});
async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...headers(), ...(init.headers ?? {}) } });
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try { const b = await res.json(); msg = b.error?.code + ': ' + b.error?.message; } catch {}
    throw new Error(msg);
  }
  return res;
}
function toast(msg) { const t = $('#toast'); t.textContent = msg; t.classList.add('show'); setTimeout(() => t.classList.remove('show'), 1500); }
function status(msg, error = false) { $('#status').textContent = msg; $('#status').className = error ? 'error' : ''; }
async function blobUrl(path) {
  if (!state.blobs.has(path)) state.blobs.set(path, URL.createObjectURL(await (await api(path)).blob()));
  return state.blobs.get(path);
}

async function loadModels() {
  try {
    const { data } = await (await api('/v1/models')).json();
    $('#model').innerHTML = data.map((m) => '<option value="' + esc(m.name) + '">' + esc(m.name) + (m.default ? ' (default)' : '') + '</option>').join('');
    // Only PaddleX models have a threshold to override (they list their settings); the API refuses overrides for the others.
    const sync = () => {
      const m = data.find((x) => x.name === $('#model').value);
      $('#threshold').disabled = !(m && m.settings);
      if ($('#threshold').disabled) $('#threshold').value = '';
      $('#threshold').title = $('#threshold').disabled ? 'this model has no score threshold to override' : '';
    };
    $('#model').addEventListener('change', sync);
    sync();
  } catch (e) { $('#model').innerHTML = '<option value="">default</option>'; }
}

let file = null;
const drop = $('#drop');
drop.addEventListener('click', () => $('#file').click());
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') $('#file').click(); });
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); pick(e.dataTransfer.files[0]); });
$('#file').addEventListener('change', (e) => pick(e.target.files[0]));
function pick(f) { if (!f) return; file = f; drop.firstChild.textContent = f.name + ' (' + Math.round(f.size / 1024) + ' KiB) '; $('#submit').disabled = false; }

$('#submit').addEventListener('click', async () => {
  if (!file) return;
  const options = { previews: true, overlays: true };
  if ($('#pages').value.trim()) options.pages = $('#pages').value.trim();
  if ($('#model').value) options.model = $('#model').value;
  if ($('#threshold').value !== '') options.overrides = { layoutThreshold: Number($('#threshold').value) };
  const form = new FormData();
  form.set('file', file, file.name);
  form.set('options', JSON.stringify(options));
  $('#submit').disabled = true;
  try {
    const job = await (await api('/v1/jobs', { method: 'POST', body: form })).json();
    status('Job ' + job.id + ' queued');
    await follow(job.id);
    await open(job.id, 0);
    refreshJobs();
  } catch (e) { status(e.message, true); }
  finally { $('#submit').disabled = false; }
});

/** Server-sent events through fetch, so the API key can travel in a header. */
async function follow(id) {
  const bar = $('#progress');
  bar.classList.remove('hidden');
  const res = await api('/v1/jobs/' + id + '/events');
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\\n\\n')) >= 0) {
      const block = buf.slice(0, i); buf = buf.slice(i + 2);
      const data = block.split('\\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('');
      if (!data) continue;
      const v = JSON.parse(data);
      const done = (v.pagesDone ?? 0) + (v.pagesFailed ?? 0);
      bar.max = v.pagesTotal || 1; bar.value = done;
      status(v.id + ': ' + v.state + ' — ' + done + ' / ' + (v.pagesTotal ?? '?') + ' pages');
      if (/^(succeeded|failed|partial|canceled)$/.test(v.state)) { reader.cancel(); bar.classList.add('hidden'); if (v.state === 'failed') throw new Error('job failed: ' + (v.error?.message ?? '')); return v; }
    }
  }
}

async function refreshJobs() {
  try {
    const { data } = await (await api('/v1/jobs?limit=25')).json();
    const age = (t) => { const s = (Date.now() - Date.parse(t)) / 1000; return s < 90 ? Math.round(s) + ' s' : s < 5400 ? Math.round(s / 60) + ' min' : Math.round(s / 3600) + ' h'; };
    $('#jobs').innerHTML = data.map((j) => '<tr data-job="' + esc(j.id) + '"><td><code>' + esc(j.id.slice(-8)) + '</code><br>' + esc(j.input.filename ?? j.input.type) + '</td><td>' + esc(j.state) + '<br>' + esc(j.pagesDone ?? 0) + '/' + esc(j.pagesTotal ?? '?') + ' · ' + age(j.createdAt) + '</td><td>' +
      '<button data-act="open">open</button><button data-act="compare" title="Show beside the open job">⇆</button>' +
      (/^(queued|running)$/.test(j.state) ? '<button data-act="cancel">cancel</button>' : '') + '<button data-act="delete">delete</button></td></tr>').join('');
  } catch (e) { $('#jobs').innerHTML = '<tr><td class="error">' + esc(e.message) + '</td></tr>'; }
}
$('#refresh').addEventListener('click', refreshJobs);
$('#jobs').addEventListener('click', async (e) => {
  const act = e.target.dataset?.act; const id = e.target.closest('tr')?.dataset.job;
  if (!act || !id) return;
  try {
    if (act === 'open') await open(id, 0);
    if (act === 'compare') await open(id, 1);
    if (act === 'cancel') await api('/v1/jobs/' + id + '/cancel', { method: 'POST' });
    if (act === 'delete' && confirm('Delete job ' + id + ' and its results?')) await api('/v1/jobs/' + id, { method: 'DELETE' });
  } catch (err) { status(err.message, true); }
  refreshJobs();
});

async function open(id, slot) {
  const result = await (await api('/v1/jobs/' + id + '/result')).json();
  state.jobs[slot] = result;
  if (slot === 0) { state.page = result.pages[0]?.page ?? 1; buildLegend(); }
  $('#empty').classList.add('hidden'); $('#controls').classList.remove('hidden');
  await render();
}

function buildLegend() {
  const labels = [...new Set(state.jobs.filter(Boolean).flatMap((r) => r.pages.flatMap((p) => p.regions.map((x) => x.label))))].sort();
  $('#legend').innerHTML = labels.map((l) => '<label><input type="checkbox" data-label="' + esc(l) + '"' + (state.hiddenLabels.has(l) ? '' : ' checked') + '><span class="swatch" style="background:' + colour(l) + '"></span>' + esc(l) + '</label>').join('');
}
$('#legend').addEventListener('change', (e) => { const l = e.target.dataset.label; e.target.checked ? state.hiddenLabels.delete(l) : state.hiddenLabels.add(l); applyFilters(); });
$('#score').addEventListener('input', () => { state.minScore = Number($('#score').value); $('#scoreValue').textContent = state.minScore.toFixed(2); applyFilters(); });
$('#order').addEventListener('change', applyFilters);
function applyFilters() {
  for (const g of document.querySelectorAll('g[data-region]')) {
    const hide = Number(g.dataset.score) < state.minScore || state.hiddenLabels.has(g.dataset.label);
    g.classList.toggle('hidden', hide);
    g.querySelector('text')?.classList.toggle('hidden', !$('#order').checked);
  }
}

async function render() {
  for (const slot of [0, 1]) {
    const result = state.jobs[slot];
    const panel = slot === 0 ? $('#panelA') : $('#panelB');
    if (!result) { panel.innerHTML = ''; continue; }
    const page = result.pages.find((p) => p.page === state.page) ?? result.pages[0];
    panel.innerHTML = '<div><b>' + esc(result.jobId.slice(-8)) + '</b> · ' + esc(result.model ?? result.engine) + ' · page ' + esc(page?.page ?? '-') + '</div><div class="thumbs"></div><div class="stage"></div>';
    const thumbs = panel.querySelector('.thumbs');
    for (const p of result.pages) {
      const img = document.createElement('img');
      img.alt = 'page ' + p.page; img.className = p.page === state.page ? 'current' : '';
      const src = p.preview ?? p.overlay; if (src) blobUrl(src).then((u) => (img.src = u));
      img.addEventListener('click', () => { state.page = p.page; render(); });
      thumbs.append(img);
    }
    if (!page) continue;
    const stage = panel.querySelector('.stage');
    const img = document.createElement('img');
    img.alt = 'page ' + page.page;
    const src = page.preview ?? page.overlay;
    if (src) img.src = await blobUrl(src);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 ' + page.width + ' ' + page.height);
    svg.setAttribute('preserveAspectRatio', 'none');
    for (const r of page.regions) {
      const [x1, y1, x2, y2] = r.box; const c = colour(r.label);
      const g = document.createElementNS(svg.namespaceURI, 'g');
      g.dataset.region = String(r.order); g.dataset.label = r.label; g.dataset.score = String(r.score);
      g.innerHTML = '<title>' + esc(r.label) + ' ' + r.score.toFixed(2) + ' (#' + (r.order + 1) + ')</title>' +
        '<rect x="' + x1 + '" y="' + y1 + '" width="' + (x2 - x1) + '" height="' + (y2 - y1) + '" fill="' + c + '" stroke="' + c + '"></rect>' +
        '<text x="' + (x1 + 3) + '" y="' + (y1 + 13) + '" fill="' + c + '">' + (r.order + 1) + '</text>';
      g.querySelector('rect').addEventListener('click', async () => {
        const json = JSON.stringify(r);
        try { await navigator.clipboard.writeText(json); toast('region copied'); } catch { toast(json); }
      });
      svg.append(g);
    }
    stage.append(img, svg);
    if (slot === 0) {
      $('#download').onclick = async (e) => { e.preventDefault(); const u = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2)], { type: 'application/json' })); const a = document.createElement('a'); a.href = u; a.download = result.jobId + '.json'; a.click(); };
      $('#overlay').onclick = async (e) => { e.preventDefault(); if (page.overlay) window.open(await blobUrl(page.overlay)); };
    }
  }
  applyFilters();
}

loadModels();
refreshJobs();
</script>
</body>
</html>`;
