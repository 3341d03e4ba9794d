import type { ReadAt } from './read-at.js';

/**
 * The frames an animated WebP may have. Roche reads only the first, but libwebp's demuxer (under
 * sharp's metadata and decode alike) indexes every frame first, in time that grows with the square of
 * the frames: 25,000 one-pixel frames (1.1 MB) cost 1.8 s of CPU, 100,000 cost 29 s, and 3.9 million
 * would fit under the upload limit — on libuv threads that no time limit stops (a stopped intake
 * thread leaves them running). A page scan has one frame; 1,000 frames cost a few milliseconds.
 */
export const MAX_WEBP_FRAMES = 1000;

/**
 * The ANMF (animation frame) chunks of a WebP's RIFF container, counting no further than `limit + 1`;
 * 0 for a still image or what is not a WebP. Chunks are walked by their sizes, within the size the
 * RIFF header gives (libwebp reads no further) and the bytes there are.
 */
export function webpFrameCount(read: ReadAt, limit = MAX_WEBP_FRAMES): number {
  const head = read(0, 12);
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WEBP') return 0;
  const end = 8 + head.readUInt32LE(4);
  let frames = 0;
  for (let pos = 12; pos + 8 <= end;) {
    const chunk = read(pos, 8);
    if (chunk.length < 8) break;
    const size = chunk.readUInt32LE(4);
    if (chunk.toString('latin1', 0, 4) === 'ANMF' && ++frames > limit) break;
    pos += 8 + size + (size & 1);
  }
  return frames;
}
