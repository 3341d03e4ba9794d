import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  makeCorruptPdf,
  makeEncryptedPdf,
  makeMixedTiff,
  makeUniformTiff,
  makeMultipageTiff,
  makeOwnerRestrictedPdf,
  makePageBombPdf,
  makePageTreeBombPdf,
  makeTextPdf,
  truncate,
} from '../../../test/support/documents.js';
import { SHARED_SAMPLES } from '../../../test/support/service.js';
import { cropRegion } from '../src/crop.js';
import { decodeImage, interlacedPngBytes, MAX_INTERLACED_BYTES } from '../src/decode.js';
import { openDocument } from '../src/open-document.js';

const LIMITS = { maxPages: 100, maxPagePixels: 50_000_000, dpi: 72 };
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('openDocument', () => {
  it('renders a generated PDF page by page at the requested dpi', async () => {
    const doc = await openDocument(makeTextPdf(3), 'pdf', { ...LIMITS, dpi: 144 });
    expect(doc.pageCount).toBe(3);
    expect(doc.pageSize(2)).toEqual({ width: 1224, height: 1584 });
    const page = await doc.renderPage(0);
    expect([page.width, page.height, page.data.length]).toEqual([1224, 1584, 1224 * 1584 * 3]);
    // Text was drawn: some pixels are dark, most are white.
    let dark = 0;
    for (let i = 0; i < page.data.length; i += 3) if (page.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(1000);
    expect(dark).toBeLessThan((page.data.length / 3) * 0.2);
    expect(() => doc.pageSize(3)).toThrow(RangeError);
    doc.close();
  });

  it.skipIf(!fs.existsSync(path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf')))(
    'opens the real sample PDFs (fw9 has forms and JavaScript)',
    async () => {
      const fw9 = await openDocument(fs.readFileSync(path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf')), 'pdf', LIMITS);
      expect(fw9.pageCount).toBe(6);
      expect(fw9.pageSize(0)).toEqual({ width: 612, height: 792 });
      const flash = await openDocument(fs.readFileSync(path.join(SHARED_SAMPLES, 'pdfs', 'Flash-Masques-Temperature.pdf')), 'pdf', LIMITS);
      expect(flash.pageCount).toBe(4);
      expect(flash.pageSize(0)).toEqual({ width: 596, height: 842 }); // A4: 595.3 pt covers 596 pixels
      expect((await flash.renderPage(3)).width).toBe(596);
      fw9.close();
      flash.close();
    },
  );

  it('reads a PDF or an image from a file on demand, with the same pages and errors as from bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-open-file-'));
    const write = (name: string, bytes: Buffer) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return { file };
    };
    try {
      const pdf = makeTextPdf(3);
      const fromBytes = await openDocument(pdf, 'pdf', { ...LIMITS, dpi: 96 });
      const fromFile = await openDocument(write('a.pdf', pdf), 'pdf', { ...LIMITS, dpi: 96 });
      expect(fromFile.pageCount).toBe(3);
      expect(fromFile.pageSize(1)).toEqual(fromBytes.pageSize(1));
      const [a, b] = await Promise.all([fromBytes.renderPage(2), fromFile.renderPage(2)]);
      expect(Buffer.compare(a.data, b.data)).toBe(0);
      fromBytes.close();
      fromFile.close();
      expect(await code(openDocument(write('e.pdf', makeEncryptedPdf()), 'pdf', LIMITS))).toBe('encrypted_document');
      expect(await code(openDocument(write('c.pdf', makeCorruptPdf()), 'pdf', LIMITS))).toBe('corrupt_document');
      expect(await code(openDocument(write('t.pdf', truncate(pdf, 0.5)), 'pdf', LIMITS))).toMatch(/^(ok|corrupt_document)$/);
      expect(await code(openDocument(write('l.pdf', makeTextPdf(5)), 'pdf', { ...LIMITS, maxPages: 4 }))).toBe('too_many_pages');
      const tiff = await openDocument(write('m.tiff', await makeMultipageTiff(3)), 'tiff', LIMITS);
      expect(tiff.pageCount).toBe(3);
      expect((await tiff.renderPage(1)).width).toBe(tiff.pageSize(1).width);
      // Every file descriptor opened for a PDF is closed with its document.
      const fds = fs.readdirSync('/proc/self/fd').length;
      for (let i = 0; i < 20; i++) (await openDocument(write('a.pdf', pdf), 'pdf', LIMITS)).close();
      expect(fs.readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fds);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses encrypted, corrupt, oversized and over-long documents with stable codes', async () => {
    expect(await code(openDocument(makeEncryptedPdf(), 'pdf', LIMITS))).toBe('encrypted_document');
    expect(await code(openDocument(makeCorruptPdf(), 'pdf', LIMITS))).toBe('corrupt_document');
    // The message says what is wrong in words, not only PDFium's number.
    await expect(openDocument(makeCorruptPdf(), 'pdf', LIMITS)).rejects.toThrow(
      /cannot open the PDF: it is damaged, cut short or not a PDF inside \(PDFium error 3\)/,
    );
    expect(await code(openDocument(makeTextPdf(5), 'pdf', { ...LIMITS, maxPages: 4 }))).toBe('too_many_pages');
    const bomb = await openDocument(makePageBombPdf(), 'pdf', LIMITS);
    expect(bomb.pageSize(0)).toEqual({ width: 14400, height: 14400 });
    expect(await code(bomb.renderPage(0))).toBe('image_too_large');
    expect(await code(openDocument(Buffer.from('\x89PNG\r\n\x1a\n garbage'), 'png', LIMITS))).toBe('corrupt_document');
  });

  it('reads the page sizes of a TIFF with many equal pages at once, and of mixed pages one by one', async () => {
    // 1999 pages of 8×8 took ~37 s page by page (libtiff walks the directory chain for each).
    const many = await makeUniformTiff(1999, 8);
    const doc = await openDocument(many, 'tiff', { ...LIMITS, maxPages: 2000 });
    expect(doc.pageCount).toBe(1999);
    expect(doc.pageSize(1998)).toEqual({ width: 8, height: 8 });
    expect((await doc.renderPage(1998)).width).toBe(8);
    const mixed = await openDocument(
      await makeMixedTiff([
        [40, 30],
        [20, 90],
        [70, 10],
      ]),
      'tiff',
      LIMITS,
    );
    expect([0, 1, 2].map((i) => mixed.pageSize(i))).toEqual([
      { width: 40, height: 30 },
      { width: 20, height: 90 },
      { width: 70, height: 10 },
    ]);
    expect((await mixed.renderPage(1)).height).toBe(90);
  });

  it('splits a multi-page TIFF into its pages', async () => {
    const doc = await openDocument(await makeMultipageTiff(3), 'tiff', LIMITS);
    expect(doc.pageCount).toBe(3);
    const pages = await Promise.all([0, 1, 2].map((i) => doc.renderPage(i)));
    // Each page has a dark block of a different height: 20, 30, 40 rows.
    const darkRows = pages.map((p) => {
      let rows = 0;
      for (let y = 0; y < p.height; y++) if (p.data[(y * p.width + 100) * 3]! < 50) rows++;
      return rows;
    });
    expect(darkRows).toEqual([20, 30, 40]);
  });

  it('applies EXIF orientation to JPEG pages', async () => {
    // 60 wide × 40 high stored, orientation 6 (rotate 90° clockwise to view) → 40 × 60 page.
    const jpeg = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#888' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const doc = await openDocument(jpeg, 'jpeg', LIMITS);
    expect(doc.pageSize(0)).toEqual({ width: 40, height: 60 });
    const page = await doc.renderPage(0);
    expect([page.width, page.height]).toEqual([40, 60]);
  });

  it('crops a region clamped to the page', async () => {
    const doc = await openDocument(makeTextPdf(1), 'pdf', LIMITS);
    const page = await doc.renderPage(0);
    const png = await cropRegion(page, [600, 780, 700, 900]);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([12, 12]);
    doc.close();
  });
});

it('pageSize predicts the rendered size exactly, also for fractional page sizes', async () => {
  const mupdf = await import('mupdf');
  const pdf = new mupdf.PDFDocument();
  pdf.insertPage(-1, pdf.addPage([0, 0, 595.3, 841.9], 0, pdf.addObject({}), ''));
  const doc = await openDocument(Buffer.from(pdf.saveToBuffer('').asUint8Array()), 'pdf', { ...LIMITS, dpi: 100 });
  const img = await doc.renderPage(0);
  expect(doc.pageSize(0)).toEqual({ width: img.width, height: img.height });
  doc.close();
});

describe('openDocument edge cases', () => {
  it('opens a PDF that only has owner restrictions (no user password)', async () => {
    const pdf = makeOwnerRestrictedPdf();
    expect(pdf.toString('latin1')).toContain('/Encrypt');
    const doc = await openDocument(pdf, 'pdf', LIMITS);
    expect(doc.pageCount).toBe(1);
    const page = await doc.renderPage(0);
    let dark = 0;
    for (let i = 0; i < page.data.length; i += 3) if (page.data[i]! < 100) dark++;
    expect(dark).toBeGreaterThan(500);
    doc.close();
  });

  it('turns truncated and empty PDFs into corrupt_document or a repaired document, never another error', async () => {
    expect(await code(openDocument(Buffer.alloc(0), 'pdf', LIMITS))).toBe('corrupt_document');
    expect(await code(openDocument(Buffer.from('%PDF-1.7\n'), 'pdf', LIMITS))).toBe('corrupt_document');
    const full = makeTextPdf(4);
    const outcomes = new Set<string>();
    for (const fraction of [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99]) {
      const outcome = await openDocument(truncate(full, fraction), 'pdf', LIMITS).then(
        async (doc) => {
          // mupdf may repair what is left; then every page it reports must render or fail cleanly.
          for (let i = 0; i < doc.pageCount; i++) {
            const r = await code(doc.renderPage(i));
            expect(['ok', 'corrupt_document']).toContain(r);
          }
          doc.close();
          return 'opened';
        },
        (e: { code?: string }) => e.code ?? String(e),
      );
      outcomes.add(outcome);
      expect(['opened', 'corrupt_document']).toContain(outcome);
    }
    expect(outcomes.has('corrupt_document')).toBe(true);
  });

  it('refuses a page-tree bomb (10^9 pages in 1.5 kB) without walking it', async () => {
    const bomb = makePageTreeBombPdf(9);
    expect(bomb.length).toBeLessThan(4096);
    expect(['too_many_pages', 'corrupt_document']).toContain(await code(openDocument(bomb, 'pdf', LIMITS)));
  });

  it('does not believe a page tree that claims a billion pages', async () => {
    const mupdf = await import('mupdf');
    const pdf = new mupdf.PDFDocument();
    pdf.insertPage(-1, pdf.addPage([0, 0, 612, 792], 0, pdf.addObject({}), ''));
    pdf.getTrailer().get('Root').get('Pages').put('Count', 1_000_000_000);
    const bytes = Buffer.from(pdf.saveToBuffer('').asUint8Array());
    expect(bytes.toString('latin1')).toContain('/Count 1000000000');
    // PDFium counts the pages the tree really has (one) instead of trusting /Count; either answer is safe.
    const outcome = await openDocument(bytes, 'pdf', LIMITS).then(
      (d) => `pages:${d.pageCount}`,
      (e: { code?: string }) => e.code ?? String(e),
    );
    expect(['too_many_pages', 'corrupt_document', 'pages:1']).toContain(outcome);
  });

  it('says the page tree is damaged when its /Count promises pages it does not hold', async () => {
    const mupdf = await import('mupdf');
    const pdf = new mupdf.PDFDocument();
    pdf.insertPage(-1, pdf.addPage([0, 0, 612, 792], 0, pdf.addObject({}), ''));
    pdf.getTrailer().get('Root').get('Pages').put('Count', 5);
    const doc = await openDocument(Buffer.from(pdf.saveToBuffer('').asUint8Array()), 'pdf', LIMITS);
    try {
      expect(doc.pageCount).toBe(5); // what PDFium believes of a small /Count
      expect(doc.pageSize(0)).toEqual({ width: 612, height: 792 });
      expect(() => doc.pageSize(1)).toThrow(/cannot read page 2 of the 5 pages the PDF's page tree lists: the page tree is damaged/);
    } finally {
      doc.close();
    }
  });

  it('applies the PDF page rotation to the size and the pixels', async () => {
    const mupdf = await import('mupdf');
    const pdf = new mupdf.PDFDocument();
    const res = pdf.addObject({});
    // A black bar along the top of an unrotated Letter page; /Rotate 90 turns it to the right edge.
    pdf.insertPage(-1, pdf.addPage([0, 0, 612, 792], 90, res, '0 g 0 742 612 50 re f'));
    const doc = await openDocument(Buffer.from(pdf.saveToBuffer('').asUint8Array()), 'pdf', LIMITS);
    expect(doc.pageSize(0)).toEqual({ width: 792, height: 612 });
    const img = await doc.renderPage(0);
    expect([img.width, img.height]).toEqual([792, 612]);
    const at = (x: number, y: number) => img.data[(y * img.width + x) * 3]!;
    expect(at(790, 300)).toBeLessThan(30);
    expect(at(2, 300)).toBeGreaterThan(225);
    expect(at(400, 2)).toBeGreaterThan(225);
    doc.close();
  });

  it('opens PNG and WebP as one page with their own pixels and refuses oversized ones before decoding', async () => {
    const base = sharp({ create: { width: 50, height: 30, channels: 3, background: { r: 200, g: 10, b: 10 } } });
    for (const [type, bytes] of [
      ['png', await base.clone().png().toBuffer()],
      ['webp', await base.clone().webp({ lossless: true }).toBuffer()],
    ] as const) {
      const doc = await openDocument(bytes, type, LIMITS);
      expect(doc.pageCount).toBe(1);
      expect(doc.pageSize(0)).toEqual({ width: 50, height: 30 });
      const img = await doc.renderPage(0);
      expect([...img.data.subarray(0, 3)]).toEqual([200, 10, 10]);
      await expect(doc.renderPage(1)).rejects.toThrow(RangeError);
      expect(await code((await openDocument(bytes, type, { ...LIMITS, maxPagePixels: 1000 })).renderPage(0))).toBe('image_too_large');
    }
  });

  it('reads the size of a one-page image from its header exactly as its pixels decode, in every layout', async () => {
    // The size of PNG, JPEG and WebP inputs comes from a header read in JavaScript (not sharp): it must
    // match what decoding gives, for every encoding option and EXIF orientation.
    const rgb = () => sharp({ create: { width: 37, height: 23, channels: 3, background: '#4a7' } });
    const rgba = () => sharp({ create: { width: 37, height: 23, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 0.5 } } });
    const cases: Array<[string, 'png' | 'jpeg' | 'webp', Buffer]> = [
      ['png rgb', 'png', await rgb().png().toBuffer()],
      ['png rgba interlaced', 'png', await rgba().png({ progressive: true }).toBuffer()],
      ['png palette', 'png', await rgb().png({ palette: true }).toBuffer()],
      ['png 16-bit grey', 'png', await rgb().grayscale().toColourspace('grey16').png().toBuffer()],
      ['png fixture', 'png', fs.readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/fw9-page2.png'))],
      ['jpeg progressive', 'jpeg', await rgb().jpeg({ progressive: true }).toBuffer()],
      ['jpeg grey', 'jpeg', await rgb().grayscale().jpeg().toBuffer()],
      ['webp lossy', 'webp', await rgb().webp().toBuffer()],
      ['webp lossless alpha', 'webp', await rgba().webp({ lossless: true }).toBuffer()],
    ];
    for (let o = 1; o <= 8; o++) {
      cases.push([`jpeg orientation ${o}`, 'jpeg', await rgb().jpeg().withMetadata({ orientation: o }).toBuffer()]);
      cases.push([`png orientation ${o}`, 'png', await rgb().png().withMetadata({ orientation: o }).toBuffer()]);
      cases.push([`webp orientation ${o}`, 'webp', await rgb().webp().withMetadata({ orientation: o }).toBuffer()]);
    }
    // A decoy (from a review): a fill byte after SOI, which libjpeg skips, makes a reader that takes it for
    // a marker read the next bytes as a segment length and jump into a comment holding a 16×16 frame header.
    const jpeg = await rgb().jpeg().toBuffer();
    const segEnd = 4 + jpeg.readUInt16BE(4);
    const at = 4 + ((jpeg[3]! << 8) | jpeg[4]!);
    const sof = Buffer.from('ffc00011080010001003012200021101031101', 'hex');
    const com = Buffer.alloc(4 + at + sof.length - (segEnd + 5), 0x20);
    com.set([0xff, 0xfe]);
    com.writeUInt16BE(com.length - 2, 2);
    const decoy = Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff]), jpeg.subarray(2, segEnd), com, jpeg.subarray(segEnd)]);
    sof.copy(decoy, at);
    cases.push(['jpeg with a decoy frame header', 'jpeg', decoy]);
    for (const [name, type, bytes] of cases) {
      const doc = await openDocument(bytes, type, LIMITS);
      const img = await doc.renderPage(0);
      expect(doc.pageSize(0), name).toEqual({ width: img.width, height: img.height });
    }
    // A file sniffed as WebP whose header is another format's is sharp's to judge, not the header reader's.
    const svgInWebp = Buffer.from('RIFF\x20\x00\x00\x00WEBPJUNK<svg width="100" height="100"></svg>', 'latin1');
    expect(await code(openDocument(svgInWebp, 'webp', LIMITS))).toBe('corrupt_document');
    // A header cut short is still refused at open, with sharp's reason (one that reads but whose image
    // does not decode fails at rendering: test/jobs-api.test.ts).
    const png = await rgb().png().toBuffer();
    for (const n of [8, 16, 20]) expect(await code(openDocument(png.subarray(0, n), 'png', LIMITS)), `${n} bytes`).toBe('corrupt_document');
  });

  it('applies the page-count limit to TIFFs and refuses unknown types', async () => {
    expect(await code(openDocument(await makeMultipageTiff(3), 'tiff', { ...LIMITS, maxPages: 2 }))).toBe('too_many_pages');
    expect(await code(openDocument(Buffer.from('GIF89a'), 'gif' as never, LIMITS))).toBe('unsupported_media_type');
  });

  it('crops exactly the pixels inside the box', async () => {
    const doc = await openDocument(await makeMultipageTiff(2), 'tiff', LIMITS);
    expect(doc.pageSize(1)).toEqual({ width: 400, height: 300 });
    const page = await doc.renderPage(1); // dark block at x 40..240, y 40..70
    const inside = await sharp(await cropRegion(page, [50, 45, 150, 65]))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([inside.info.width, inside.info.height]).toEqual([100, 20]);
    expect(Math.max(...inside.data)).toBeLessThan(50);
    const edge = await sharp(await cropRegion(page, [230, 60.5, 250.2, 80]))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([edge.info.width, edge.info.height]).toEqual([21, 20]);
    expect(edge.data[0]).toBeLessThan(50); // (230, 60) is in the block
    expect(edge.data[(19 * 21 + 20) * 3]).toBeGreaterThan(200); // (250, 79) is not
  });

  it('keeps decodeImage working for single raster pages', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0 } } })
      .png()
      .toBuffer();
    const img = await decodeImage(png, { maxPagePixels: 1000 });
    expect([img.width, img.height, img.data.length]).toEqual([20, 10, 600]);
    expect([...img.data.subarray(0, 3)]).toEqual([255, 255, 255]); // transparency becomes white paper
    await expect(decodeImage(png, { maxPagePixels: 100 })).rejects.toMatchObject({ code: 'image_too_large' });
    // A page too thin for a model is refused when decoded too, whatever its header said at submit.
    const thin = await sharp({ create: { width: 5050, height: 50, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expect(decodeImage(thin, { maxPagePixels: 1e8 })).rejects.toMatchObject({
      code: 'image_too_large',
      details: { width: 5050, height: 50, maxAspect: 100 },
    });
    await expect(decodeImage(thin, { maxPagePixels: 1e8 })).rejects.toThrow(/100 times longer than wide/);
  });
});

describe('interlaced PNGs', () => {
  /** A PNG of `w`×`h` (IHDR only, for the checks made before decoding) at `depth` bits, colour type `colour`, interlaced or not. */
  const header = (w: number, h: number, depth: number, colour: number, interlace: number) => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(w, 16);
    b.writeUInt32BE(h, 20);
    b.set([depth, colour, 0, 0, interlace], 24);
    return b;
  };

  it('are refused before decoding when libvips would hold more than 512 MiB of them whole', async () => {
    // 10000² 16-bit RGBA, interlaced: 800 MB decoded at once (an audit's 777 KB file took a worker up 1.6 GB).
    expect(interlacedPngBytes(header(10_000, 10_000, 16, 6, 1))).toBe(800_000_000);
    expect(interlacedPngBytes(header(10_000, 10_000, 16, 6, 0))).toBe(0);
    // Grey and RGB as if a tRNS chunk gave them alpha, as libvips then decodes them.
    expect(interlacedPngBytes(header(10_000, 10_000, 8, 2, 1))).toBe(400_000_000);
    expect(interlacedPngBytes(header(16_000, 16_000, 16, 0, 1))).toBe(1_024_000_000);
    expect(interlacedPngBytes(header(20_000, 10_000, 4, 3, 1))).toBe(800_000_000); // a palette decodes to RGBA
    const bomb = header(10_000, 10_000, 16, 6, 1);
    const e = await openDocument(bomb, 'png', { ...LIMITS, maxPagePixels: 100_000_000 }).catch((x: Error) => x);
    expect(e).toMatchObject({ code: 'image_too_large', message: expect.stringMatching(/interlaced PNG decodes to 763 MiB/) });
    await expect(decodeImage(bomb, { maxPagePixels: 100_000_000 })).rejects.toMatchObject({ code: 'image_too_large' });
    expect(MAX_INTERLACED_BYTES).toBe(512 * 2 ** 20);
  });

  it('of ordinary size decode as before', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } })
      .png({ progressive: true })
      .toBuffer();
    expect(png[28]).toBe(1); // interlaced
    const page = await (await openDocument(png, 'png', LIMITS)).renderPage(0);
    expect([page.width, page.height, page.data[0], page.data[1], page.data[2]]).toEqual([300, 200, 0x33, 0x66, 0x99]);
  });
});
