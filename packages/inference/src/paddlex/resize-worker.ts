import { parentPort } from 'node:worker_threads';
import { resizeCubicCv } from './cv-resize.js';

/** One thread of ResizePool: resizes what it is sent and hands the pixels back without a copy. */
export interface ResizeTask {
  id: number;
  src: Uint8Array;
  sw: number;
  sh: number;
  dw: number;
  dh: number;
  cn: number;
}

parentPort!.on('message', (t: ResizeTask) => {
  try {
    const out = resizeCubicCv(t.src, t.sw, t.sh, t.dw, t.dh, t.cn);
    parentPort!.postMessage({ id: t.id, out }, [out.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: t.id, error: (e as Error).message });
  }
});
