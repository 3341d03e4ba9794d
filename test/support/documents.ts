import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as mupdf from 'mupdf';
import sharp from 'sharp';
import zlib from 'node:zlib';
import { SHARED_SAMPLES } from './service.js';

const WORDS =
  'layout analysis finds titles paragraphs tables figures and reading order on every page of real documents sent by users'.split(' ');

function line(seed: number, words: number): string {
  return Array.from({ length: words }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ');
}

/** Content stream of one Letter page: a title, then paragraphs in one or two columns. */
function pageContent(n: number): string {
  const ops: string[] = ['BT', '/F1 20 Tf', `72 730 Td (Section ${n}: generated page) Tj`, 'ET'];
  const twoColumns = n % 2 === 1;
  const columns = twoColumns ? [72, 320] : [72];
  const words = twoColumns ? 6 : 13;
  for (const x of columns) {
    let y = 690;
    for (let para = 0; para < 5; para++) {
      for (let l = 0; l < 6; l++) {
        ops.push('BT', '/F1 10 Tf', `${x} ${y} Td (${line(n * 31 + para * 7 + l, words)}) Tj`, 'ET');
        y -= 13;
      }
      y -= 14;
    }
  }
  return ops.join('\n');
}

function save(doc: mupdf.PDFDocument, options = 'compress'): Buffer {
  return Buffer.from(doc.saveToBuffer(options).asUint8Array());
}

/** A real PDF of `pages` Letter pages with text (two columns on odd pages), made with mupdf's Base14 font. */
export function makeTextPdf(pages: number): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  for (let n = 1; n <= pages; n++) doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, pageContent(n)));
  const out = save(doc);
  doc.destroy();
  return out;
}

/**
 * A generated text page that also places text where no one sees it: a glyph of a 10^7-point font
 * (its box millions of pixels wide), a line 100,000 points off the page and one at negative coordinates.
 */
export function makeTextOutsidePagePdf(): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  const hostile =
    'BT /F1 10000000 Tf 72 100 Td (W) Tj ET BT /F1 12 Tf 100000 100000 Td (far away) Tj ET BT /F1 12 Tf -100000 -5000 Td (far below) Tj ET';
  doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, `${pageContent(2)}\n${hostile}`));
  const out = save(doc);
  doc.destroy();
  return out;
}

/** One Letter page of `cols`×`rows` one-letter words at 1 pt, each far enough from the others to be its own line. */
export function makeDenseTextPdf(cols: number, rows: number): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  const ops: string[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      ops.push(`BT /F1 1 Tf ${(10 + (c * 590) / cols).toFixed(2)} ${(10 + (r * 770) / rows).toFixed(2)} Td (x) Tj ET`);
  doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, ops.join('\n')));
  const out = save(doc);
  doc.destroy();
  return out;
}

/** The sample PDFs' pages repeated until there are at least `minPages`; null when ../shared/samples is absent. */
export function makeLongPdfFromSamples(minPages: number): Buffer | null {
  const dir = path.join(SHARED_SAMPLES, 'pdfs');
  const files = ['fw9.pdf', 'Flash-Masques-Temperature.pdf'].map((f) => path.join(dir, f));
  if (!files.every((f) => fs.existsSync(f))) return null;
  const sources = files.map((f) => mupdf.Document.openDocument(fs.readFileSync(f), 'application/pdf').asPDF()!);
  const out = new mupdf.PDFDocument();
  let n = 0;
  while (n < minPages) {
    for (const src of sources) {
      for (let p = 0; p < src.countPages() && n < minPages; p++, n++) out.graftPage(-1, src, p);
    }
  }
  const buf = save(out, 'compress,garbage');
  for (const s of sources) s.destroy();
  out.destroy();
  return buf;
}

/**
 * The same pages as `pdf` with no text layer: each page rendered at `dpi` and placed as one image
 * (a scan of a born-digital document). Pages that repeat in `pdf` share one image object. With
 * `ocrText`, page p also carries that content stream's text in invisible render mode (3 Tr, font
 * F1 = Helvetica), as OCR tools write it.
 */
export function makeScannedCopy(pdf: Buffer, dpi = 144, ocrText?: (page: number) => string): Buffer {
  const src = mupdf.Document.openDocument(pdf, 'application/pdf');
  const out = new mupdf.PDFDocument();
  const images = new Map<string, mupdf.PDFObject>();
  const font = ocrText ? out.addSimpleFont(new mupdf.Font('Helvetica')) : undefined;
  for (let p = 0; p < src.countPages(); p++) {
    const page = src.loadPage(p);
    const [x0, y0, x1, y1] = page.getBounds();
    const png = Buffer.from(page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceRGB, false).asPNG());
    const key = createHash('sha256').update(png).digest('hex');
    const image = images.get(key) ?? out.addImage(new mupdf.Image(png));
    images.set(key, image);
    const [w, h] = [x1 - x0, y1 - y0];
    const resources: Record<string, unknown> = { XObject: { Im0: image } };
    let ops = `q ${w} 0 0 ${h} 0 0 cm /Im0 Do Q`;
    if (ocrText) {
      resources.Font = { F1: font };
      ops += '\n' + ocrText(p).replace(/BT/g, 'BT 3 Tr');
    }
    out.insertPage(-1, out.addPage([0, 0, w, h], 0, out.addObject(resources), ops));
  }
  const buf = save(out);
  out.destroy();
  src.destroy();
  return buf;
}

/** A PDF that needs a user password to open. */
export function makeEncryptedPdf(): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, pageContent(1)));
  const out = save(doc, 'encrypt=aes-256,user-password=secret,owner-password=owner');
  doc.destroy();
  return out;
}

/** A PDF encrypted with only an owner password (printing/copying restricted): opens without a password. */
export function makeOwnerRestrictedPdf(): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, pageContent(2)));
  const out = save(doc, 'encrypt=aes-256,owner-password=owner,permissions=0');
  doc.destroy();
  return out;
}

/**
 * A page-count bomb of about 1.5 kB: every level of the page tree lists the next level ten times,
 * so `levels` levels claim 10^levels pages.
 */
export function makePageTreeBombPdf(levels = 9): Buffer {
  const leaf = levels + 2;
  const objs = [`<< /Type /Catalog /Pages 2 0 R >>`];
  for (let l = 0; l < levels; l++) {
    const kid = l === levels - 1 ? leaf : l + 3;
    const parent = l === 0 ? '' : `/Parent ${l + 1} 0 R`;
    objs.push(`<< /Type /Pages /Kids [${Array(10).fill(`${kid} 0 R`).join(' ')}] /Count ${10 ** (levels - l)} ${parent} >>`);
  }
  objs.push(`<< /Type /Page /Parent ${levels + 1} 0 R /MediaBox [0 0 612 792] >>`);
  let pdf = '%PDF-1.7\n';
  const offsets = objs.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** `pdf` cut after `fraction` of its bytes, as an interrupted upload leaves it. */
export function truncate(pdf: Buffer, fraction: number): Buffer {
  return pdf.subarray(0, Math.floor(pdf.length * fraction));
}

/** A PDF header followed by garbage: nothing to repair. */
export function makeCorruptPdf(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.alloc(4096, 0x5a), Buffer.from('\n%%EOF\n')]);
}

/** One page of 14400 × 14400 pt (200 in square, the PDF maximum): 2 billion pixels at 144 dpi. */
export function makePageBombPdf(): Buffer {
  const doc = new mupdf.PDFDocument();
  doc.insertPage(-1, doc.addPage([0, 0, 14400, 14400], 0, doc.addObject({}), ''));
  const out = save(doc);
  doc.destroy();
  return out;
}

/**
 * A PDF of a few KB whose pages draw form X1 twice, X1 draws X2 twice, … `depth` levels
 * down: 2^depth draws of one line on each of its `pages` pages. At depth 30 PDFium exhausts its
 * WebAssembly heap (ROCHE_PDFIUM_HEAP_MB) and aborts; at 14 a page takes ~6 s.
 */
export function makeFormBombPdf(depth = 30, pages = 1): Buffer {
  const stream = (dict: string, body: string) => `<< ${dict} /Length ${body.length} >>\nstream\n${body}\nendstream`;
  // 1 catalog, 2 page tree, 3 the pages' contents, 4.. the forms, then the pages.
  const firstPage = 4 + depth;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${firstPage + i} 0 R`).join(' ')}] /Count ${pages} >>`,
    stream('', '/X Do /X Do'),
    ...Array.from({ length: depth }, (_, k) =>
      k < depth - 1
        ? stream(`/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X ${5 + k} 0 R >> >>`, '/X Do /X Do')
        : stream('/Type /XObject /Subtype /Form /BBox [0 0 612 792]', '10 10 m 600 700 l S'),
    ),
    ...Array.from(
      { length: pages },
      () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 4 0 R >> >> /Contents 3 0 R >>',
    ),
  ];
  let out = '%PDF-1.4\n';
  const offsets = objs.map((o, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A TIFF of `pages` grey pages of `side`×`side` pixels (libvips writes one page per `pageHeight` of a strip). */
export async function makeUniformTiff(pages: number, side: number): Promise<Buffer> {
  const frame = await sharp({ create: { width: side, height: side, channels: 3, background: '#888' } })
    .raw()
    .toBuffer();
  return sharp(Buffer.concat(Array.from({ length: pages }, () => frame)), {
    raw: { width: side, height: side * pages, channels: 3, pageHeight: side },
  })
    .tiff()
    .toBuffer();
}

/**
 * A multi-page TIFF whose pages have the given sizes: single-page little-endian TIFFs from sharp,
 * laid one after another with every offset moved by where its file now starts, IFDs chained.
 */
export async function makeMixedTiff(sizes: Array<[number, number]>): Promise<Buffer> {
  const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
  const STRIP_OFFSETS = 273;
  const files = await Promise.all(
    sizes.map(([width, height]) =>
      sharp({ create: { width, height, channels: 3, background: '#ccc' } })
        .tiff({ compression: 'none' })
        .toBuffer(),
    ),
  );
  const parts: Buffer[] = [];
  const ifds: number[] = [];
  const nextPointers: number[] = [];
  let start = 0;
  for (const original of files) {
    const b = Buffer.from(original);
    if (b.toString('latin1', 0, 2) !== 'II') throw new Error('expected a little-endian TIFF');
    const ifd = b.readUInt32LE(4);
    const n = b.readUInt16LE(ifd);
    for (let i = 0; i < n; i++) {
      const e = ifd + 2 + 12 * i;
      const [tag, type, count] = [b.readUInt16LE(e), b.readUInt16LE(e + 2), b.readUInt32LE(e + 4)];
      const inline = (TYPE_BYTES[type] ?? 1) * count <= 4;
      // Strip offsets are positions in the file, inline or in an array; any value over 4 bytes is stored at an offset.
      if (tag === STRIP_OFFSETS && type === 4) {
        const at = inline ? e + 8 : b.readUInt32LE(e + 8);
        for (let k = 0; k < count; k++) b.writeUInt32LE(b.readUInt32LE(at + 4 * k) + start, at + 4 * k);
      }
      if (!inline) b.writeUInt32LE(b.readUInt32LE(e + 8) + start, e + 8);
    }
    ifds.push(start + ifd);
    nextPointers.push(start + ifd + 2 + 12 * n);
    parts.push(b);
    start += b.length;
  }
  const out = Buffer.concat(parts);
  out.writeUInt32LE(ifds[0]!, 4);
  nextPointers.forEach((at, i) => out.writeUInt32LE(ifds[i + 1] ?? 0, at));
  return out;
}

/** A multi-page TIFF whose pages show different dark blocks on white. */
export async function makeMultipageTiff(pages: number): Promise<Buffer> {
  const frames = await Promise.all(
    Array.from({ length: pages }, (_, i) =>
      sharp({ create: { width: 400, height: 300, channels: 3, background: '#ffffff' } })
        .composite([{ input: { create: { width: 200, height: 20 + i * 10, channels: 3, background: '#000000' } }, left: 40, top: 40 }])
        .png()
        .toBuffer(),
    ),
  );
  // sharp writes one page per frame when the input is a vertical strip with pageHeight set.
  const strip = await sharp(frames[0]!)
    .extend({ bottom: 300 * (pages - 1), background: '#ffffff' })
    .composite(frames.slice(1).map((f, i) => ({ input: f, left: 0, top: 300 * (i + 1) })))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(strip.data, { raw: { width: 400, height: 300 * pages, channels: strip.info.channels as 3, pageHeight: 300 } as never })
    .tiff({ compression: 'lzw' })
    .toBuffer();
}

/** A PNG whose header claims `w`×`h` pixels: tiny on disk, enormous when decoded (a decompression bomb). */
export async function pngBomb(w: number, h: number): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(w, 16);
  png.writeUInt32BE(h, 20);
  // The IHDR chunk's CRC covers its type and data (bytes 12..28).
  let c = 0xffffffff;
  for (const b of png.subarray(12, 29)) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  png.writeUInt32BE((c ^ 0xffffffff) >>> 0, 29);
  return png;
}

/** One line of `makeLayoutPdf`: its text, baseline origin in points (PDF space, y up) and font size. */
export interface PdfLineSpec {
  text: string;
  x: number;
  y: number;
  size: number;
  bold: boolean;
}

/**
 * A born-digital Letter page with known lines: a bold Helvetica title, a section heading and two
 * paragraphs of body text, so text-layer readers can be checked against what was written.
 */
export function makeLayoutPdf(): { pdf: Buffer; lines: PdfLineSpec[] } {
  const lines: PdfLineSpec[] = [{ text: 'Reading the text layer of born digital pages', x: 72, y: 720, size: 20, bold: true }];
  let y = 680;
  lines.push({ text: '1 Introduction', x: 72, y, size: 13, bold: true });
  y -= 22;
  for (let para = 0; para < 2; para++) {
    for (let l = 0; l < 5; l++) {
      lines.push({ text: line(para * 11 + l, 12), x: l === 0 ? 90 : 72, y, size: 10, bold: false });
      y -= 13;
    }
    y -= 10;
  }
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({
    Font: {
      F1: doc.addSimpleFont(new mupdf.Font('Helvetica')),
      F2: doc.addSimpleFont(new mupdf.Font('Helvetica-Bold')),
    },
  });
  const ops = lines.flatMap((l) => ['BT', `/${l.bold ? 'F2' : 'F1'} ${l.size} Tf`, `${l.x} ${l.y} Td (${l.text}) Tj`, 'ET']);
  doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, ops.join('\n')));
  const pdf = save(doc);
  doc.destroy();
  return { pdf, lines };
}

/**
 * A scanned-like page: a picture of a text page filling a Letter page, no text objects; with
 * `ocrLayer`, the text also lies over the picture in invisible render mode (3 Tr), as OCR tools write it.
 */
export async function makeScannedPdf(ocrLayer = false): Promise<Buffer> {
  return makeScannedCopy(makeTextPdf(1), 144, ocrLayer ? (p) => pageContent(p + 1) : undefined);
}

/**
 * A valid progressive JPEG of `side`×`side` mid-grey pixels (three components, no subsampling) with
 * `bands` AC coefficients per component, each sent in 11 successive-approximation scans (1 + 33 ×
 * `bands` scans in all; 63 bands gives 2,080). Every scan is a few bytes of end-of-block runs, but the
 * decoder passes over every block of its component for each: a decompression bomb in time, not pixels.
 */
export function makeScanBombJpeg(side: number, bands = 63): Buffer {
  const blocks = Math.ceil(side / 8) ** 2;
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, payload: number[]) =>
    out.push(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload);
  const u16 = (v: number) => [v >> 8, v & 0xff];
  segment(0xdb, [0, ...Array<number>(64).fill(1)]);
  segment(0xc2, [8, ...u16(side), ...u16(side), 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  // Huffman tables whose i-th symbol has the code of i ones then a zero (length i + 1).
  const table = (cls: number, symbols: number[]) => {
    const counts = Array<number>(16).fill(0);
    symbols.forEach((_, i) => (counts[i] = 1));
    segment(0xc4, [cls << 4, ...counts, ...symbols]);
  };
  const entropy = (emit: (put: (value: number, bits: number) => void) => void) => {
    let acc = 0;
    let n = 0;
    const put = (value: number, bits: number) => {
      for (let i = bits - 1; i >= 0; i--) {
        acc = (acc << 1) | ((value >> i) & 1);
        if (++n === 8) {
          out.push(acc);
          if (acc === 0xff) out.push(0); // byte stuffing
          acc = 0;
          n = 0;
        }
      }
    };
    emit(put);
    while (n) put(1, 1);
  };
  const code = (i: number) => [(1 << (i + 1)) - 2, i + 1] as const;
  // DC: one interleaved scan, every difference 0 (symbol 0).
  table(0, [0]);
  segment(0xda, [3, 1, 0, 2, 0, 3, 0, 0, 0, 0]);
  entropy((put) => {
    for (let i = 0; i < blocks * 3; i++) put(...code(0));
  });
  // AC: end-of-block runs (at most 32,767 blocks each) over a component's blocks, for every scan.
  const runs: number[] = [];
  for (let left = blocks; left > 0; left -= Math.min(left, 32_767)) runs.push(Math.min(left, 32_767));
  const symbols = [...new Set(runs.map((r) => (31 - Math.clz32(r)) << 4))].sort((a, b) => a - b);
  const acScan = (component: number, k: number, ah: number, al: number) => {
    table(1, symbols);
    segment(0xda, [1, component, 0, k, k, (ah << 4) | al]);
    entropy((put) => {
      for (const r of runs) {
        const e = 31 - Math.clz32(r);
        put(...code(symbols.indexOf(e << 4)));
        if (e) put(r - (1 << e), e);
      }
    });
  };
  for (let c = 1; c <= 3; c++)
    for (let k = 1; k <= bands; k++) {
      acScan(c, k, 0, 10);
      for (let al = 9; al >= 0; al--) acScan(c, k, al + 1, al);
    }
  out.push(0xff, 0xd9);
  return Buffer.from(out);
}

/**
 * A one-page TIFF of `pages` IFDs whose image is `jpeg` as its only tile (`tiled`) or strip, in
 * JPEG compression (7): YCbCr without subsampling, as makeScanBombJpeg writes it. Every page points
 * at the same tile, as a file can.
 */
export function makeJpegTiff(jpeg: Buffer, side: number, { tiled = true, pages = 1 } = {}): Buffer {
  const entries = (next: number, bps: number, data: number): Array<[number, number, number, number]> =>
    [
      [256, 4, 1, side],
      [257, 4, 1, side],
      [258, 3, 3, bps],
      [259, 3, 1, 7],
      [262, 3, 1, 6],
      ...(tiled ? [] : ([[273, 4, 1, data]] as Array<[number, number, number, number]>)),
      [277, 3, 1, 3],
      ...(tiled
        ? []
        : ([
            [278, 4, 1, side],
            [279, 4, 1, jpeg.length],
          ] as Array<[number, number, number, number]>)),
      [284, 3, 1, 1],
      ...(tiled
        ? ([
            [322, 4, 1, side],
            [323, 4, 1, side],
            [324, 4, 1, data],
            [325, 4, 1, jpeg.length],
          ] as Array<[number, number, number, number]>)
        : []),
      [530, 3, 2, 0x00010001],
    ].concat([[0, 0, 0, next]]) as Array<[number, number, number, number]>;
  const ifdSize = (n: number) => 2 + n * 12 + 4;
  const n = entries(0, 0, 0).length - 1;
  const bpsAt = 8;
  const dataAt = bpsAt + 6;
  const firstIfd = dataAt + jpeg.length + ((dataAt + jpeg.length) % 2);
  const out = Buffer.alloc(firstIfd + pages * ifdSize(n));
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(firstIfd, 4);
  [8, 8, 8].forEach((v, i) => out.writeUInt16LE(v, bpsAt + i * 2));
  jpeg.copy(out, dataAt);
  for (let p = 0; p < pages; p++) {
    const at = firstIfd + p * ifdSize(n);
    const list = entries(p + 1 < pages ? at + ifdSize(n) : 0, bpsAt, dataAt);
    out.writeUInt16LE(n, at);
    list.slice(0, n).forEach(([tag, type, count, value], i) => {
      const e = at + 2 + i * 12;
      out.writeUInt16LE(tag, e);
      out.writeUInt16LE(type, e + 2);
      out.writeUInt32LE(count, e + 4);
      if (type === 3 && count === 1) out.writeUInt16LE(value, e + 8);
      else out.writeUInt32LE(value, e + 8);
    });
    out.writeUInt32LE(list[n]![3], at + 2 + n * 12);
  }
  return out;
}

/**
 * An animated WebP: a `width`×`height` canvas and `frames` frames of one pixel each (a lossless
 * 1×1 image), 46 bytes a frame. Many frames make a small file that libwebp takes long to index.
 * `nested`: each frame's declared size spans every frame after it, which libwebp reads on into (it
 * does not skip a frame by its size), so a walk by chunk sizes sees one frame where libwebp sees all.
 * `extraChunks`: empty chunks of an unknown type after the frames, which libwebp indexes too.
 */
export async function makeAnimatedWebp(
  frames: number,
  width = 1000,
  height = 1000,
  opts: { nested?: boolean; extraChunks?: number } = {},
): Promise<Buffer> {
  const still = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .webp({ lossless: true })
    .toBuffer();
  const image = still.subarray(12); // its 'VP8L' chunk
  const u24 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255];
  const head = (type: string, size: number) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'latin1');
    h.writeUInt32LE(size, 4);
    return h;
  };
  const chunk = (type: string, data: Buffer) => Buffer.concat([head(type, data.length), data, Buffer.alloc(data.length & 1)]);
  const vp8x = chunk('VP8X', Buffer.from([0x02, 0, 0, 0, ...u24(width - 1), ...u24(height - 1)])); // 0x02: animation
  const anim = chunk('ANIM', Buffer.alloc(6)); // background colour, loop count
  // Frame at (0, 0), 1×1, 100 ms, no blending or disposal flags.
  const frameData = Buffer.concat([Buffer.from([...u24(0), ...u24(0), ...u24(0), ...u24(0), ...u24(100), 0]), image]);
  let body: Buffer[];
  if (opts.nested) {
    // Built from the last frame back: each declares its own data plus everything after it.
    body = [];
    let rest = 0;
    for (let i = 0; i < frames; i++) {
      body.push(frameData, head('ANMF', frameData.length + rest));
      rest += 8 + frameData.length;
    }
    body.reverse();
  } else body = Array<Buffer>(frames).fill(chunk('ANMF', frameData));
  const extra = Array<Buffer>(opts.extraChunks ?? 0).fill(head('XTRA', 0));
  const all = Buffer.concat([Buffer.from('WEBP'), vp8x, anim, ...body, ...extra]);
  return Buffer.concat([head('RIFF', all.length), all]);
}

/**
 * A PDF of a few KB whose cross-reference stream inflates to `inflated` bytes (a GiB by default): its
 * data is compressed twice, and padded with zeros after the real entries. PDFium inflates it whole
 * while opening the file, before any page is read.
 */
export async function makeXrefBombPdf(inflated = 2 ** 30): Promise<Buffer> {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let at = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(at);
    const b = Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`);
    parts.push(b);
    at += b.length;
  });
  const xrefAt = at;
  // Cross-reference entries of /W [1 4 2]: type, offset, generation.
  const entry = (type: number, offset: number, gen: number) => {
    const b = Buffer.alloc(7);
    b[0] = type;
    b.writeUInt32BE(offset, 1);
    b.writeUInt16BE(gen, 5);
    return b;
  };
  const entries = Buffer.concat([entry(0, 0, 65535), ...offsets.map((o) => entry(1, o, 0)), entry(1, xrefAt, 0)]);
  // Streamed, so the inflated size is never held here.
  const once = await new Promise<Buffer>((resolve, reject) => {
    const z = zlib.createDeflate({ level: 1 });
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    z.on('end', () => resolve(Buffer.concat(out)));
    z.on('error', reject);
    z.write(entries);
    const zeros = Buffer.alloc(1 << 20);
    let left = inflated;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, zeros.length);
        left -= n;
        if (!z.write(zeros.subarray(0, n))) return void z.once('drain', pump);
      }
      z.end();
    };
    pump();
  });
  const data = zlib.deflateSync(once, { level: 9 });
  parts.push(
    Buffer.from(
      `4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter [/FlateDecode /FlateDecode] /Length ${data.length} >>\nstream\n`,
    ),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`),
  );
  return Buffer.concat(parts);
}
