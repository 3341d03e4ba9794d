import { COMMON_LABEL_COLOURS, commonLabel, type Region, type RgbImage } from '@roche/core';
import sharp from 'sharp';

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const FILL_OPACITY = 0.08;
const GLYPHS = ' 0123456789abcdefghijklmnopqrstuvwxyz_.-';

interface Atlas {
  cellW: number;
  cellH: number;
  /** Coverage (0..255) of each glyph, cell after cell in GLYPHS order. */
  alpha: Uint8Array;
}

/**
 * Label glyphs rasterized once per font size. Rasterizing a page-sized SVG for the labels cost
 * ~45 ms a page (librsvg renders and composites the whole canvas); blitting cached glyphs costs
 * well under a millisecond.
 */
const atlases = new Map<number, Promise<Atlas>>();
function atlas(font: number): Promise<Atlas> {
  let a = atlases.get(font);
  if (!a) {
    const cellW = Math.ceil(font * 0.62);
    const cellH = Math.ceil(font * 1.25);
    const text = [...GLYPHS]
      .map(
        (ch, i) =>
          `<text x="${i * cellW}" y="${Math.round(font)}" font-family="DejaVu Sans Mono, monospace" font-size="${font}">${ch}</text>`,
      )
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${GLYPHS.length * cellW}" height="${cellH}">${text}</svg>`;
    a = sharp(Buffer.from(svg))
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer({ resolveWithObject: true })
      .then(({ data, info }) => {
        const alpha = new Uint8Array(GLYPHS.length * cellW * cellH);
        for (let g = 0; g < GLYPHS.length; g++) {
          for (let y = 0; y < cellH; y++) {
            for (let x = 0; x < cellW; x++) alpha[(g * cellH + y) * cellW + x] = data[y * info.width + g * cellW + x]!;
          }
        }
        return { cellW, cellH, alpha };
      });
    atlases.set(font, a);
  }
  return a;
}

/** Draws on packed RGB in place; every write is clipped to the page. */
class Canvas {
  constructor(
    readonly data: Buffer,
    readonly width: number,
    readonly height: number,
  ) {}

  private blend(x: number, y: number, c: readonly number[], a: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || a <= 0) return;
    const o = (y * this.width + x) * 3;
    for (let k = 0; k < 3; k++) this.data[o + k] = Math.round(this.data[o + k]! * (1 - a) + c[k]! * a);
  }

  fill(x1: number, y1: number, x2: number, y2: number, c: readonly number[], a: number): void {
    const [xa, xb] = [Math.max(0, Math.round(x1)), Math.min(this.width, Math.round(x2))];
    const [ya, yb] = [Math.max(0, Math.round(y1)), Math.min(this.height, Math.round(y2))];
    const d = this.data;
    const [r, g, b] = [c[0]! * a, c[1]! * a, c[2]! * a];
    const keep = 1 - a;
    for (let y = ya; y < yb; y++) {
      for (let o = (y * this.width + xa) * 3, end = (y * this.width + xb) * 3; o < end; o += 3) {
        d[o] = d[o]! * keep + r + 0.5;
        d[o + 1] = d[o + 1]! * keep + g + 0.5;
        d[o + 2] = d[o + 2]! * keep + b + 0.5;
      }
    }
  }

  stroke(x1: number, y1: number, x2: number, y2: number, c: readonly number[], w: number): void {
    this.fill(x1, y1, x2, y1 + w, c, 1);
    this.fill(x1, y2 - w, x2, y2, c, 1);
    this.fill(x1, y1, x1 + w, y2, c, 1);
    this.fill(x2 - w, y1, x2, y2, c, 1);
  }

  text(x: number, y: number, s: string, c: readonly number[], g: Atlas): void {
    for (const [i, ch] of [...s.toLowerCase()].entries()) {
      const idx = Math.max(0, GLYPHS.indexOf(ch));
      for (let gy = 0; gy < g.cellH; gy++) {
        for (let gx = 0; gx < g.cellW; gx++) {
          this.blend(Math.round(x) + i * g.cellW + gx, Math.round(y) + gy, c, g.alpha[(idx * g.cellH + gy) * g.cellW + gx]! / 255);
        }
      }
    }
  }
}

/**
 * The page with its regions drawn on it, as PNG: a translucent fill and an outline per region in
 * its class colour, tagged `order label score` (order 1-based, as people count).
 */
export async function renderOverlay(page: RgbImage, regions: Region[]): Promise<Buffer> {
  const stroke = Math.max(2, Math.round(Math.max(page.width, page.height) / 600));
  const font = Math.max(10, Math.round(Math.max(page.width, page.height) / 90));
  const glyphs = await atlas(font);
  const canvas = new Canvas(spareCanvas(page), page.width, page.height);
  const colour = (r: Region) => rgb(COMMON_LABEL_COLOURS[commonLabel(r.label)]);
  for (const r of regions) canvas.fill(r.box[0], r.box[1], r.box[2], r.box[3], colour(r), FILL_OPACITY);
  for (const r of regions) canvas.stroke(r.box[0], r.box[1], r.box[2], r.box[3], colour(r), stroke);
  for (const r of regions) {
    const tagY = r.box[1] - glyphs.cellH >= 0 ? r.box[1] - glyphs.cellH : r.box[1] + stroke;
    canvas.text(r.box[0] + 2, tagY, `${r.order + 1} ${r.label} ${r.score.toFixed(2)}`, colour(r), glyphs);
  }
  try {
    // Level 1: ~25 % larger files than the default, in less than half the time; overlays are previews.
    return await sharp(canvas.data, { raw: { width: page.width, height: page.height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
  } finally {
    // sharp has finished reading it: the next overlay may draw on it.
    if (spares.length < MAX_SPARES) spares.push(canvas.data);
  }
}

/**
 * Page-sized canvases kept between overlays. A fresh 5.8 MB buffer per 144-dpi page cost 6.6 ms
 * of page faults on the project's VMs, a fifth of the overlay; copying the page into a used one
 * costs well under a millisecond. A worker draws a few overlays at a time, so a few are kept.
 */
const MAX_SPARES = 4;
const spares: Buffer[] = [];
function spareCanvas(page: RgbImage): Buffer {
  const n = page.width * page.height * 3;
  const i = spares.findIndex((b) => b.length === n);
  const b = i >= 0 ? spares.splice(i, 1)[0]! : Buffer.allocUnsafeSlow(n);
  b.set(page.data.subarray(0, n));
  return b;
}
