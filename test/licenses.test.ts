import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

/**
 * Roche is Apache-2.0. Everything a production install brings (the workspaces' `dependencies`, followed
 * through node_modules) must be under a licence that lets a company run a modified Roche as a network
 * service without publishing its source: no AGPL/GPL/LGPL/SSPL and no unknown licence. Dev-only tools
 * (test and benchmark helpers such as mupdf, used to generate test PDFs) are not shipped and not listed.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
/**
 * LGPL, where the library is a separate shared object loaded at run time (libvips under sharp): a user
 * can swap it, and the LGPL asks nothing of a network service. Named one by one, never by pattern.
 */
const DYNAMIC_LGPL = new Set(['@img/sharp-libvips-linux-x64', '@img/sharp-libvips-linuxmusl-x64', '@img/sharp-libvips-linux-arm64']);
const PERMISSIVE = /^(MIT|ISC|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|0BSD|BlueOak-1\.0\.0|Unlicense|CC0-1\.0|Python-2\.0|MIT-0|CC-BY-4\.0)$/;

function licenseOf(pkg: { license?: unknown; licenses?: Array<{ type?: string }> }): string {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license && typeof pkg.license === 'object' && 'type' in pkg.license) return String((pkg.license as { type: string }).type);
  return pkg.licenses?.map((l) => l.type).join(' OR ') ?? 'UNKNOWN';
}

/** An SPDX expression is fine when every alternative of an OR has a permissive option, and every AND part is permissive. */
function permissive(expr: string): boolean {
  const e = expr.replace(/[()]/g, '').trim();
  if (e.includes(' OR ')) return e.split(' OR ').some((x) => permissive(x));
  if (e.includes(' AND ')) return e.split(' AND ').every((x) => permissive(x));
  return PERMISSIVE.test(e);
}

function resolve(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(p)) return p;
    if (dir === ROOT || dir === path.dirname(dir)) return null;
  }
}

it('every production dependency, direct and transitive, is under a permissive licence', () => {
  const workspaces = ['apps', 'packages'].flatMap((d) =>
    fs
      .readdirSync(path.join(ROOT, d))
      .map((n) => path.join(ROOT, d, n))
      .filter((p) => fs.existsSync(path.join(p, 'package.json'))),
  );
  const seen = new Map<string, string>();
  const queue: Array<[string, string]> = [];
  for (const w of workspaces) {
    const pkg = JSON.parse(fs.readFileSync(path.join(w, 'package.json'), 'utf8'));
    expect(pkg.license, `${pkg.name} declares the project's licence`).toBe('Apache-2.0');
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (!dep.startsWith('@roche/')) queue.push([dep, w]);
  }
  while (queue.length) {
    const [name, from] = queue.pop()!;
    const file = resolve(name, from);
    if (!file) continue; // an optional dependency for another platform
    if (seen.has(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    seen.set(file, `${pkg.name}@${pkg.version} ${licenseOf(pkg)}`);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push([dep, path.dirname(file)]);
  }
  expect(seen.size).toBeGreaterThan(50);
  const offending = [...seen.values()].filter((s) => {
    const name = s.slice(0, s.lastIndexOf('@'));
    const lic = s.slice(s.lastIndexOf(' ') + 1);
    return !permissive(lic) && !(DYNAMIC_LGPL.has(name) && /^LGPL-3\.0/.test(lic));
  });
  expect(offending).toEqual([]);
  expect([...seen.values()].some((s) => s.startsWith('mupdf@'))).toBe(false);
  expect([...seen.values()].some((s) => s.startsWith('@embedpdf/pdfium@'))).toBe(true);
  expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License');
});
