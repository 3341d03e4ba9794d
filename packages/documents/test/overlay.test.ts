import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderOverlay } from '../src/overlay.js';

const white = (width: number, height: number) => ({ width, height, data: Buffer.alloc(width * height * 3, 255) });

describe('renderOverlay', () => {
  it('outlines each region in its class colour, tints its inside, tags it above, and leaves the rest of the page alone', async () => {
    const page = white(600, 400);
    const png = await renderOverlay(page, [
      { label: 'doc_title', score: 0.91, box: [100, 100, 300, 150], order: 0 },
      { label: 'table', score: 0.5, box: [100, 200, 500, 380], order: 1 },
    ]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([600, 400, 3]);
    const px = (x: number, y: number) => [...data.subarray((y * 600 + x) * 3, (y * 600 + x) * 3 + 3)];
    expect(px(100, 120)).toEqual([0xd6, 0x27, 0x28]); // title outline: red
    expect(px(550, 390)).toEqual([255, 255, 255]); // outside both boxes
    expect(px(100, 300)).toEqual([0x94, 0x67, 0xbd]); // table outline: purple
    const inside = px(300, 300); // table interior: white tinted 8 % toward purple
    expect(inside[0]).toBeLessThan(255);
    expect(inside[0]).toBeGreaterThan(230);
    expect(px(50, 50)).toEqual([255, 255, 255]); // far from everything
    // The tag is drawn in the row band just above the title box: some pixels there are not white.
    let inked = 0;
    for (let y = 86; y < 100; y++) for (let x = 100; x < 260; x++) if (px(x, y).join() !== '255,255,255') inked++;
    expect(inked).toBeGreaterThan(30);
    // The page itself is not modified.
    expect(page.data.every((v) => v === 255)).toBe(true);
  });

  it('clips boxes that leave the page and handles a page without regions', async () => {
    const png = await renderOverlay(white(50, 40), [{ label: 'figure', score: 1, box: [-10, -10, 80, 60], order: 0 }]);
    expect((await sharp(png).metadata()).width).toBe(50);
    const empty = await sharp(await renderOverlay(white(20, 10), []))
      .raw()
      .toBuffer();
    expect(empty.every((v) => v === 255)).toBe(true);
  });
});
