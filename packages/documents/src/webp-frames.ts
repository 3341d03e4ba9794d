import { ByteWindow, type ReadAt } from './read-at.js';

/**
 * The frames (and chunks) a WebP may have. Roche reads only the first frame, but libwebp's demuxer
 * (under sharp's metadata and decode alike) indexes every frame and chunk first, in time that grows
 * with the square of the frames: 25,000 one-pixel frames (1.1 MB) cost 1.8 s of CPU, 100,000 cost
 * 29 s, and 3.9 million would fit under the upload limit — on libuv threads that no time limit stops
 * (a stopped intake thread leaves them running); 26 million empty chunks took 1.3 GB to index. A page
 * scan has one frame and a handful of chunks; 1,000 frames cost a few milliseconds.
 */
export const MAX_WEBP_FRAMES = 1000;

/**
 * What makes a WebP costly to index, each counted no further than `limit + 1`: `frames`, every
 * "ANMF" in the RIFF body wherever it stands — libwebp does not skip a frame by its declared size but
 * reads on from the frame's image, so frames can be nested inside an outer frame's span, and counting
 * every occurrence (over-counting at worst) leaves no such place to hide them — and `chunks`, the
 * top-level chunks walked by their sizes. Both stay within the size the RIFF header gives (libwebp reads
 * no further) and the bytes there are; 0 and 0 for what is not a WebP.
 */
export function webpCost(read: ReadAt, limit = MAX_WEBP_FRAMES): { frames: number; chunks: number } {
  const w = new ByteWindow(read);
  const head = w.bytes(0, 12);
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WEBP')
    return { frames: 0, chunks: 0 };
  const end = 8 + head.readUInt32LE(4);
  let chunks = 0;
  for (let pos = 12; pos + 8 <= end && chunks <= limit; chunks++) {
    const chunk = w.bytes(pos, 8);
    if (chunk.length < 8) break;
    const size = chunk.readUInt32LE(4);
    pos += 8 + size + (size & 1);
  }
  let frames = 0;
  const anmf = Buffer.from('ANMF', 'latin1');
  for (let at = w.indexOf(anmf, 12); at >= 0 && at + 8 <= end && frames <= limit; at = w.indexOf(anmf, at + 4)) frames++;
  return { frames, chunks };
}
