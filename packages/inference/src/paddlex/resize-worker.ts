import { parentPort } from 'node:worker_threads';
import { resizeCubicCv } from './cv-resize.js';

/** One thread of ResizePool: resizes what it is sent into the shared output buffer it is lent. */
export interface ResizeTask {
  id: number;
  src: Uint8Array;
  sw: number;
  sh: number;
  dw: number;
  dh: number;
  cn: number;
  /** The pool's shared buffer for the result (dw·dh·cn bytes). */
  out: Uint8Array;
}

parentPort!.on('message', (t: ResizeTask) => {
  try {
    resizeCubicCv(t.src, t.sw, t.sh, t.dw, t.dh, t.cn, t.out);
    parentPort!.postMessage({ id: t.id });
  } catch (e) {
    parentPort!.postMessage({ id: t.id, error: (e as Error).message });
  }
});
