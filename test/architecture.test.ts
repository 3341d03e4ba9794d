import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering of the workspace, read from the source: which `@roche/*` package each file imports.
 * Apps are adapters over packages and never import one another (the CLI, which starts them, aside);
 * packages never import apps; `core` imports no other package; nothing below `jobs` imports it; and
 * the package graph has no cycle.
 */
const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

interface Unit {
  name: string;
  kind: 'apps' | 'packages';
  imports: Set<string>;
}

function units(): Unit[] {
  return (['apps', 'packages'] as const).flatMap((kind) =>
    fs
      .readdirSync(path.join(root, kind))
      .filter((d) => fs.existsSync(path.join(root, kind, d, 'package.json')))
      .map((d) => {
        const imports = new Set<string>();
        for (const f of sourceFiles(path.join(root, kind, d, 'src'))) {
          for (const m of fs.readFileSync(f, 'utf8').matchAll(/from '@roche\/([a-z-]+)'|import\('@roche\/([a-z-]+)'\)/g)) {
            const target = m[1] ?? m[2]!;
            if (target !== d) imports.add(target);
          }
        }
        return { name: d, kind, imports };
      }),
  );
}

describe('workspace layering', () => {
  const all = units();
  const apps = new Set(all.filter((u) => u.kind === 'apps').map((u) => u.name));
  const byName = new Map(all.map((u) => [u.name, u]));

  it('finds the apps and packages it is meant to check', () => {
    expect([...apps]).toEqual(expect.arrayContaining(['api', 'worker', 'watcher', 'cli']));
    expect(all.filter((u) => u.kind === 'packages').map((u) => u.name)).toEqual(expect.arrayContaining(['core', 'jobs', 'inference']));
  });

  it('no app imports another app, except the CLI that starts them', () => {
    const offending = all
      .filter((u) => u.kind === 'apps' && u.name !== 'cli')
      .flatMap((u) => [...u.imports].filter((i) => apps.has(i)).map((i) => `${u.name} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('no package imports an app', () => {
    const offending = all
      .filter((u) => u.kind === 'packages')
      .flatMap((u) => [...u.imports].filter((i) => apps.has(i)).map((i) => `${u.name} → ${i}`));
    expect(offending).toEqual([]);
  });

  it('core depends on no other package, and only apps (and none of jobs’ own dependencies) import jobs', () => {
    expect([...byName.get('core')!.imports]).toEqual([]);
    const jobsDeps = new Set(byName.get('jobs')!.imports);
    const importersOfJobs = all.filter((u) => u.imports.has('jobs')).map((u) => u.name);
    expect(importersOfJobs.filter((n) => jobsDeps.has(n))).toEqual([]);
    for (const n of importersOfJobs) expect(apps.has(n) || byName.get(n)!.kind === 'packages').toBe(true);
  });

  it('the package graph has no cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (n: string, trail: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(n)), n].join(' → '));
        return;
      }
      state.set(n, 'visiting');
      for (const i of byName.get(n)?.imports ?? []) visit(i, [...trail, n]);
      state.set(n, 'done');
    };
    for (const u of all) visit(u.name, []);
    expect(cycles).toEqual([]);
  });

  it('every @roche import is declared in the importing workspace’s package.json', () => {
    const missing = all.flatMap((u) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, u.kind, u.name, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      return [...u.imports].filter((i) => !pkg.dependencies?.[`@roche/${i}`]).map((i) => `${u.name} → @roche/${i}`);
    });
    expect(missing).toEqual([]);
  });
});
