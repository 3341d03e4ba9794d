import type { Box, Glyph, PageGraphic, PageTextLayer } from '@roche/core';
import type { WrappedPdfiumModule } from '@embedpdf/pdfium';
import { glyphsToWords, wordsToLines } from './text-lines.js';

type Fn = (...a: number[]) => number;

/**
 * Beyond these a page's text layer is not read (the page is analysed from its pixels, like a scan):
 * a dense real page has 5,000-20,000 characters in a few hundred lines, while a 142 KB PDF can place
 * 40,000 one-letter lines on a page (seconds of analysis and a large message between threads).
 */
export const MAX_PAGE_CHARS = 100_000;
export const MAX_PAGE_LINES = 5_000;
/** Drawings kept per page (pictures first; vector paths after them until this many): maps have 10^5 paths. */
export const MAX_PAGE_GRAPHICS = 10_000;

/** FPDF_PAGEOBJ_* types. */
const OBJ = { TEXT: 1, PATH: 2, IMAGE: 3, SHADING: 4, FORM: 5 } as const;

/** Bold and italic from the font's name and flags, as PDF writers mark them (LaTeX's CMBX/CMTI, "-Bold", "Italic", FontDescriptor flags). */
export function fontStyle(name: string, flags: number, weight: number): { bold: boolean; italic: boolean } {
  const n = name.replace(/^[A-Z]{6}\+/, '');
  const bold = weight >= 600 || (flags & 0x40000) !== 0 || /bold|black|heavy|semibold|demi|medi(?!um)|cmbx|cmb\d|bx\d/i.test(n);
  const italic = (flags & 0x40) !== 0 || /italic|oblique|ital|cmti|cmmi|cmsl|-it\b|\bit$/i.test(n);
  return { bold, italic };
}

/**
 * Reads one loaded page's text layer and drawings with PDFium's text API: every glyph with its
 * tight box, font size and font style, mapped to the pixels of the page rendered `width`×`height`
 * (rotation and crop box included, through FPDF_PageToDevice), then grouped into words and lines
 * (`text-lines.ts`). Drawings: bounds of image, path and form objects on the page.
 */
/** The part of a box on the page, or null when none of it is (NaN boxes included). */
export function clipToPage(b: Box, width: number, height: number): Box | null {
  const c: Box = [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(width, b[2]), Math.min(height, b[3])];
  return c[2] > c[0] && c[3] > c[1] ? c : null;
}

export function readTextLayer(m: WrappedPdfiumModule, page: number, width: number, height: number): PageTextLayer {
  const ex = m.pdfium.wasmExports as unknown as Record<string, Fn>;
  const heap = () => (m.pdfium as unknown as { HEAPU8: Uint8Array }).HEAPU8;
  const buf = ex.malloc!(64);
  const nameBuf = ex.malloc!(256);
  try {
    // Page space → device pixels is affine; PageToDevice rounds to integers, so sample it on a 64× larger device.
    const K = 64;
    const toDevice = (x: number, y: number): [number, number] => {
      ex.FPDF_PageToDevice!(page, 0, 0, width * K, height * K, 0, x, y, buf, buf + 4);
      const v = new Int32Array(heap().buffer, buf, 2);
      return [v[0]! / K, v[1]! / K];
    };
    const o = toDevice(0, 0);
    const px = toDevice(100, 0);
    const py = toDevice(0, 100);
    const a = [(px[0] - o[0]) / 100, (px[1] - o[1]) / 100, (py[0] - o[0]) / 100, (py[1] - o[1]) / 100];
    const map = (l: number, b: number, r: number, t: number): Box => {
      const xs = [l, r].flatMap((x) => [b, t].map((y) => o[0] + a[0]! * x + a[2]! * y));
      const ys = [l, r].flatMap((x) => [b, t].map((y) => o[1] + a[1]! * x + a[3]! * y));
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const scale = Math.hypot(a[0]!, a[1]!);

    const glyphs: Glyph[] = [];
    const text = ex.FPDFText_LoadPage!(page);
    if (text) {
      try {
        const count = ex.FPDFText_CountChars!(text);
        const n = count > MAX_PAGE_CHARS ? 0 : count;
        const styles = new Map<number, { bold: boolean; italic: boolean }>();
        for (let i = 0; i < n; i++) {
          const code = ex.FPDFText_GetUnicode!(text, i);
          if (code === 0 || code === 0xfffe || code === 0xffff) continue;
          const char = String.fromCodePoint(code);
          if (/\s/u.test(char)) {
            glyphs.push({ char: ' ', box: [0, 0, 0, 0], size: 0, bold: false, italic: false });
            continue;
          }
          if (!ex.FPDFText_GetCharBox!(text, i, buf, buf + 8, buf + 16, buf + 24)) continue;
          const [l, r, b, t] = new Float64Array(heap().buffer, buf, 4);
          const obj = ex.FPDFText_GetTextObject!(text, i);
          let style = styles.get(obj);
          if (!style) {
            const len = ex.FPDFText_GetFontInfo!(text, i, nameBuf, 256, buf + 32);
            const name = len > 1 ? new TextDecoder().decode(heap().subarray(nameBuf, nameBuf + Math.min(len, 256) - 1)) : '';
            const flags = new Int32Array(heap().buffer, buf + 32, 1)[0]!;
            style = fontStyle(name, flags, ex.FPDFText_GetFontWeight!(text, i));
            styles.set(obj, style);
          }
          // Only what lies on the page: text placed outside it (or a glyph of a 10^7-point font) is not
          // seen, and its box would reach every later step (a 40,000-pixel box cost seconds to measure).
          const box = clipToPage(map(l!, b!, r!, t!), width, height);
          if (!box) continue;
          glyphs.push({ char, box, size: ex.FPDFText_GetFontSize!(text, i) * scale, ...style });
        }
      } finally {
        ex.FPDFText_ClosePage!(text);
      }
    }

    const graphics: PageGraphic[] = [];
    const objects = ex.FPDFPage_CountObjects!(page);
    const paths: PageGraphic[] = [];
    for (let i = 0; i < objects; i++) {
      const obj = ex.FPDFPage_GetObject!(page, i);
      const type = ex.FPDFPageObj_GetType!(obj);
      if (type === OBJ.TEXT) continue;
      if (!ex.FPDFPageObj_GetBounds!(obj, buf, buf + 4, buf + 8, buf + 12)) continue;
      const [l, b, r, t] = new Float32Array(heap().buffer, buf, 4);
      const box = clipToPage(map(l!, b!, r!, t!), width, height);
      if (!box) continue;
      // Scanners and some writers wrap the page image in a form XObject.
      let image = type === OBJ.IMAGE;
      if (type === OBJ.FORM)
        for (let k = 0, nk = ex.FPDFFormObj_CountObjects!(obj); k < nk && !image; k++)
          image = ex.FPDFPageObj_GetType!(ex.FPDFFormObj_GetObject!(obj, k)) === OBJ.IMAGE;
      if (image) graphics.push({ kind: 'image', box });
      else if (paths.length < MAX_PAGE_GRAPHICS) paths.push({ kind: 'path', box });
    }
    const lines = wordsToLines(glyphsToWords(glyphs));
    return {
      width,
      height,
      lines: lines.length > MAX_PAGE_LINES ? [] : lines,
      graphics: [...graphics, ...paths].slice(0, MAX_PAGE_GRAPHICS),
    };
  } finally {
    ex.free!(buf);
    ex.free!(nameBuf);
  }
}
