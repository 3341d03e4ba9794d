import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Nice value (0-19) of the worker threads started from now on; 0 leaves them as the process is. */
let threadNice = 0;

/**
 * Lowers the scheduling priority of the threads Roche starts for background bulk work (the embedded
 * analyzer's page analysis, opening documents at submit) to `nice`. On a machine shared by the API,
 * workers and Redis, the event loops — requests, lock renewals, Redis replies — then run first and
 * the bulk work takes the CPU they leave, instead of the scheduler sharing it out evenly. Threads
 * that feed a GPU (rendering, resizing) keep the process's priority: they are on its critical path
 * (niced, the worker-path bench showed no clear loss, 0.69-0.87× the engine alone either way, and no
 * gain). Linux applies nice per thread; elsewhere the value is not applied (it would lower the whole
 * process).
 */
export function setThreadNice(nice: number): void {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19) throw new RangeError(`a thread nice value is 0-19, not ${nice}`);
  threadNice = nice;
}

/**
 * The `eval` source that starts a worker thread on `module`: a bundled `.js` (production build, see
 * scripts/build.ts) is imported as is; a `.ts` source (development, tests) first registers tsx's loader.
 * A `background` thread first lowers its own priority to the current `setThreadNice` value, so
 * threads it starts itself (onnxruntime's) inherit it.
 */
export function threadBootstrap(module: string, opts: { background?: boolean } = {}): string {
  const nice =
    opts.background && threadNice > 0 && process.platform === 'linux'
      ? `import('node:os').then((os) => { try { os.setPriority(${threadNice}); } catch {} })`
      : 'Promise.resolve()';
  if (module.endsWith('.js') || module.endsWith('.mjs')) return `${nice}.then(() => import(${JSON.stringify(module)}));`;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/index\.cjs$/, 'index.mjs');
  return `${nice}.then(() => import(${JSON.stringify(tsx)})).then((m) => { m.register(); return import(${JSON.stringify(module)}); });`;
}
