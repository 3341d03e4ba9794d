import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The `eval` source that starts a worker thread on `module`: a bundled `.js` (production build, see
 * scripts/build.ts) is imported as is; a `.ts` source (development, tests) first registers tsx's loader.
 */
export function threadBootstrap(module: string): string {
  if (module.endsWith('.js') || module.endsWith('.mjs')) return `import(${JSON.stringify(module)});`;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/index\.cjs$/, 'index.mjs');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(module)}); });`;
}
