import { commonLabel, type Region, type RgbImage } from '@roche/core';
import sharp from 'sharp';

const COLORS: Record<string, string> = {
  title: '#d62728',
  text: '#1f77b4',
  list: '#2ca02c',
  table: '#9467bd',
  figure: '#ff7f0e',
  formula: '#8c564b',
  caption: '#e377c2',
  header: '#7f7f7f',
  footer: '#7f7f7f',
  other: '#17becf',
};

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** SVG layer with one labelled rectangle per region, numbered in reading order. */
export function overlaySvg(width: number, height: number, regions: Region[]): string {
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 600));
  const font = Math.max(10, Math.round(Math.max(width, height) / 90));
  const parts = regions.map((r) => {
    const [x1, y1, x2, y2] = r.box;
    const c = COLORS[commonLabel(r.label)] ?? COLORS.other!;
    const tag = `${r.order + 1} ${r.label} ${r.score.toFixed(2)}`;
    return (
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="${c}" fill-opacity="0.08" stroke="${c}" stroke-width="${stroke}"/>` +
      `<text x="${x1 + 2}" y="${Math.max(font, y1 - 2)}" font-family="DejaVu Sans, sans-serif" font-size="${font}" fill="${c}">${esc(tag)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

/** The page with its regions drawn on it, as PNG. */
export async function renderOverlay(page: RgbImage, regions: Region[]): Promise<Buffer> {
  return sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
    .composite([{ input: Buffer.from(overlaySvg(page.width, page.height, regions)), top: 0, left: 0 }])
    .png()
    .toBuffer();
}
