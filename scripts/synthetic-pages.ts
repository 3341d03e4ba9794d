/**
 * Synthetic born-digital article pages with known labels, to train the analyzer's text-layer model
 * beyond the 47 DocBank PDFs (issue 12 invites training data of our own making). Each page is a
 * real PDF written with mupdf's Base-14 fonts — title block, authors, abstract, numbered sections,
 * paragraphs, bulleted and numbered lists, display equations, figures and tables with captions,
 * references, footnotes and page numbers, in one or two columns — and comes with DocBank-style
 * word tokens (text, box, label) so the training script labels its rows as it labels DocBank's.
 * The words are drawn from a small vocabulary written here; nothing comes from DocBank.
 */
import * as mupdf from 'mupdf';
import { seededRandom, type DocbankToken } from '@roche/analyzer';

const W = 612;
const H = 792;

const VOCAB = (
  'the of and a to in is we for that this with on are by as be an which our from at it can model data method results ' +
  'system function time energy field state value values set number order two one first each both using used show shown ' +
  'given case cases analysis approach problem problems paper section theorem lemma proof equation equations figure table ' +
  'network networks learning training performance error parameter parameters distribution density mass temperature ' +
  'observed observations sample samples galaxy galaxies stars star quantum phase transition spin lattice matrix vector ' +
  'space linear nonlinear local global small large high low strong weak structure process condition conditions ' +
  'estimate estimates measure measured simulation simulations algorithm algorithms bound bounds limit limits point points ' +
  'group groups graph graphs random variable variables mean average effect effects surface boundary region regions ' +
  'experiment experiments signal noise frequency wave waves particle particles flow rate rates scale scales dynamics'
).split(' ');
const NAMES = 'Smith Chen Wang Garcia Müller Rossi Kumar Ivanov Tanaka Kim Silva Novak Dubois Jensen Cohen Haddad Okafor Larsen'.split(' ');
const JOURNALS = ['Phys. Rev. B', 'Phys. Rev. Lett.', 'ApJ', 'MNRAS', 'J. Math. Phys.', 'Ann. Probab.', 'Nature', 'Proc. Natl. Acad. Sci.'];
const SECTIONS = [
  'Introduction',
  'Related work',
  'Model',
  'Methods',
  'Results',
  'Discussion',
  'Conclusions',
  'Observations',
  'Numerical results',
];

interface Face {
  res: string;
  font: mupdf.Font;
}

export interface SyntheticPage {
  pdf: Buffer;
  /** Word tokens in PDF points, y down from the top of the page (DocBank's convention, at 72 dpi). */
  tokens: DocbankToken[];
}

/** One synthetic page; the same seed gives the same page. */
export function makeSyntheticPage(seed: number): SyntheticPage {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const words = (n: number) => Array.from({ length: n }, () => pick(VOCAB)).join(' ');
  const sentence = (n: number) => {
    const s = words(n);
    return s[0]!.toUpperCase() + s.slice(1);
  };

  const serif = r() < 0.7;
  const names = serif ? ['Times-Roman', 'Times-Bold', 'Times-Italic'] : ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique'];
  const doc = new mupdf.PDFDocument();
  const fonts = names.map((n) => new mupdf.Font(n));
  const res = doc.addObject({ Font: Object.fromEntries(fonts.map((f, i) => [`F${i + 1}`, doc.addSimpleFont(f, 'Latin')])) });
  const [regular, bold, italic] = fonts.map((font, i): Face => ({ res: `F${i + 1}`, font })) as [Face, Face, Face];
  const ops: string[] = [];
  const tokens: DocbankToken[] = [];

  const body = pick([9, 10, 10, 11]);
  const lead = body * 1.22;
  const margin = pick([54, 63, 72]);
  const twoCols = r() < 0.55;
  const gap = 18;
  const colW = twoCols ? (W - 2 * margin - gap) / 2 : W - 2 * margin;
  const width = (text: string, face: Face, size: number) =>
    [...text].reduce((a, ch) => a + face.font.advanceGlyph(face.font.encodeCharacter(ch === '\u2022' ? 0x2022 : ch.codePointAt(0)!)), 0) *
    size;
  const esc = (s: string) =>
    s
      .replace(/[\\()]/g, (c) => `\\${c}`)
      .replace(/\u2022/g, '\\225')
      .replace(/ü/g, '\\374');

  /** A line at baseline `y` (from the top), its words recorded as tokens with `label`. */
  const put = (text: string, x: number, y: number, face: Face, size: number, label: string) => {
    ops.push('BT', `/${face.res} ${size} Tf`, `${x.toFixed(2)} ${(H - y).toFixed(2)} Td (${esc(text)}) Tj`, 'ET');
    let cx = x;
    const space = width(' ', face, size);
    for (const w of text.split(' ')) {
      const ww = width(w, face, size);
      if (w) tokens.push({ text: w, bbox: [cx, y - 0.72 * size, cx + ww, y + 0.22 * size], label });
      cx += ww + space;
    }
  };
  /** Words filling lines of at most `maxW`, as many lines as `n` words need. */
  const wrap = (text: string, face: Face, size: number, maxW: number, firstIndent = 0, restIndent = 0): Array<[string, number]> => {
    const out: Array<[string, number]> = [];
    let cur = '';
    let indent = firstIndent;
    for (const w of text.split(' ')) {
      const next = cur ? `${cur} ${w}` : w;
      if (cur && width(next, face, size) > maxW - indent) {
        out.push([cur, indent]);
        cur = w;
        indent = restIndent;
      } else cur = next;
    }
    if (cur) out.push([cur, indent]);
    return out;
  };

  let y = margin + body;
  // Footnotes (one to three, of one to three lines, set small under a short rule) on a third of the pages: room kept for them.
  const fs = body - pick([1, 2, 2]);
  const notes =
    r() < 0.35
      ? Array.from({ length: int(1, 3) }, (_, i) =>
          wrap(`${i + int(1, 7)} ${sentence(int(5, r() < 0.5 ? 14 : 45))}.`, regular, fs, W - 2 * margin, 0, 0),
        )
      : undefined;
  const noteLines = notes?.reduce((n, l) => n + l.length, 0) ?? 0;
  const bottom = H - margin - (notes ? fs * 1.15 * noteLines + 2 * body : r() < 0.3 ? 3 * body : 0);
  // Title block on about a third of the pages: title, authors, affiliation, date, abstract.
  if (r() < 0.35) {
    const ts = body * (1.4 + r() * 0.8);
    const tface = r() < 0.7 ? bold : regular;
    for (const [t] of wrap(sentence(int(6, 14)), tface, ts, W - 2 * margin - 40)) {
      put(t, (W - width(t, tface, ts)) / 2, y + ts * 0.4, tface, ts, 'title');
      y += ts * 1.25;
    }
    y += body;
    const authors = Array.from({ length: int(1, 4) }, () => `${pick('ABCDEFGHJKLMNPRST'.split(''))}. ${pick(NAMES)}`).join(', ');
    put(authors, (W - width(authors, regular, body + 1)) / 2, y, regular, body + 1, 'author');
    y += lead * 1.2;
    const aff = `Department of ${pick(['Physics', 'Mathematics', 'Computer Science', 'Astronomy'])}, University of ${pick(NAMES)}`;
    put(aff, (W - width(aff, italic, body - 1)) / 2, y, italic, body - 1, 'author');
    y += lead;
    if (r() < 0.4) {
      const date = `${pick(['January', 'March', 'June', 'September', 'November'])} ${int(1, 28)}, ${int(2005, 2019)}`;
      put(date, (W - width(date, regular, body - 1)) / 2, y, regular, body - 1, 'date');
      y += lead;
    }
    y += lead;
    const as = body - 1;
    const inset = pick([0, 24, 36]);
    const inline = r() < 0.4;
    if (!inline) {
      put('Abstract', (W - width('Abstract', bold, as + 1)) / 2, y, bold, as + 1, 'abstract');
      y += lead;
    }
    const text = `${inline ? 'Abstract. ' : ''}${sentence(int(60, 120))}.`;
    for (const [t] of wrap(text, regular, as, W - 2 * margin - 2 * inset)) {
      put(t, margin + inset, y, regular, as, 'abstract');
      y += as * 1.2;
    }
    y += lead * 1.5;
  }

  const top = y;
  let col = 0;
  let x0 = margin;
  let sec = int(1, 6);
  let fig = int(1, 5);
  let eq = int(1, 20);
  const refsPage = r() < 0.18;
  let refN = int(1, 40);
  const rs = body - (r() < 0.5 ? 1 : 0);
  /** Room for `h` more points in this column, else the next column; false when the page is full. */
  const room = (h: number): boolean => {
    if (y + h <= bottom) return true;
    if (twoCols && col === 0) {
      col = 1;
      x0 = margin + colW + gap;
      y = top;
      return y + h <= bottom;
    }
    return false;
  };

  if (refsPage && room(lead * 3)) {
    y += lead * 0.5;
    put('References', x0, y, bold, body + 1, 'section');
    y += lead * 1.5;
  }
  for (let guard = 0; guard < 200; guard++) {
    if (refsPage) {
      const authors = Array.from({ length: int(1, 4) }, () => `${pick('ABCDEFGHJKLMNPRST'.split(''))}. ${pick(NAMES)}`).join(', ');
      const numbered = seed % 3 !== 0;
      const entry = numbered
        ? `[${refN}] ${authors}, ${sentence(int(4, 10))}, ${pick(JOURNALS)} ${int(1, 120)}, ${int(1, 9999)} (${int(1970, 2018)}).`
        : `${pick(NAMES)}, ${pick('ABCDEFGH'.split(''))}. ${pick('ABCDEFGH'.split(''))}., ${int(1970, 2018)}, ${pick(JOURNALS)}, ${int(1, 500)}, ${int(1, 999)}`;
      const lines = wrap(entry, regular, rs, colW, 0, numbered ? width(`[${refN}] `, regular, rs) : 12);
      if (!room(lines.length * rs * 1.2)) break;
      for (const [t, ind] of lines) {
        put(t, x0 + ind, y, regular, rs, 'reference');
        y += rs * 1.2;
      }
      y += rs * 0.3;
      refN++;
      continue;
    }
    const kind = r();
    if (kind < 0.12) {
      // Section heading.
      const t = `${r() < 0.8 ? `${sec}${r() < 0.3 ? `.${int(1, 4)}` : ''} ` : ''}${pick(SECTIONS)}`;
      if (!room(lead * 4)) break;
      y += lead * 0.6;
      put(t, x0, y, bold, body + pick([0, 1, 2]), 'section');
      y += lead * 1.4;
      sec++;
    } else if (kind < 0.62) {
      // Paragraph.
      const lines = wrap(`${sentence(int(25, 110))}.`, regular, body, colW, r() < 0.7 ? body * 1.5 : 0);
      if (!room(lead * Math.min(3, lines.length))) break;
      for (const [t, ind] of lines) {
        if (!room(lead)) break;
        put(t, x0 + ind, y, regular, body, 'paragraph');
        y += lead;
      }
      y += r() < 0.5 ? lead * 0.4 : 0;
    } else if (kind < 0.66) {
      // List (real papers have few): bullets, numbers or letters, hanging indent.
      const style = int(0, 3);
      const n = int(2, 5);
      y += lead * 0.3;
      for (let i = 0; i < n; i++) {
        const marker = ['\u2022', `${i + 1}.`, `(${'abcdef'[i]})`, `(${['i', 'ii', 'iii', 'iv', 'v'][i]})`][style]!;
        const ind = pick([0, 10, 18]);
        const hang = width(`${marker} `, regular, body) + ind;
        const lines = wrap(`${marker} ${sentence(int(6, 30))}${r() < 0.5 ? ';' : '.'}`, regular, body, colW, ind, hang);
        if (!room(lead * lines.length)) break;
        for (const [t, li] of lines) {
          put(t, x0 + li, y, regular, body, 'list');
          y += lead;
        }
      }
      y += lead * 0.3;
    } else if (kind < 0.76) {
      // Display equation with its number at the right margin.
      if (!room(lead * 3)) break;
      y += lead;
      const sym = () => pick(['x', 'y', 'z', 'f', 'g', 'a', 'b', 'k', 'n', 'E', 'H', 'T']);
      const t = `${sym()} ( ${sym()} ) = ${sym()} + ${sym()} ${pick(['-', '+', '/', '='])} ${sym()} ${pick(['', '( 1 - ' + sym() + ' )', '^2'])}`;
      const tw = width(t, italic, body);
      put(t, x0 + (colW - tw) / 2, y, italic, body, 'equation');
      put(`(${eq})`, x0 + colW - width(`(${eq})`, regular, body), y, regular, body, 'equation');
      eq++;
      y += lead * 2;
    } else if (kind < 0.86) {
      // Figure: a drawing, then its caption.
      const fh = int(70, 180);
      if (!room(fh + lead * 4)) break;
      y += lead * 0.5;
      const fw = colW * (0.6 + r() * 0.4);
      const fx = x0 + (colW - fw) / 2;
      ops.push('q', `${(0.3 + r() * 0.6).toFixed(2)} g`, `${fx.toFixed(1)} ${(H - y - fh).toFixed(1)} ${fw.toFixed(1)} ${fh} re f`, 'Q');
      ops.push(
        'q',
        '0 G 1 w',
        ...Array.from(
          { length: 6 },
          (_, i) =>
            `${fx.toFixed(1)} ${(H - y - fh + (i * fh) / 6).toFixed(1)} m ${(fx + fw).toFixed(1)} ${(H - y - fh + r() * fh).toFixed(1)} l S`,
        ),
        'Q',
      );
      y += fh + lead * 1.2;
      const cs = body - (r() < 0.6 ? 1 : 0);
      for (const [t] of wrap(`${pick(['Figure', 'Fig.', 'FIG.'])} ${fig}: ${sentence(int(6, 40))}.`, regular, cs, colW)) {
        put(t, x0, y, regular, cs, 'caption');
        y += cs * 1.2;
      }
      fig++;
      y += lead * 0.6;
    } else if (kind < 0.95) {
      // Table: caption above, rules, cells in columns.
      const rows = int(3, 8);
      const cols = int(3, 5);
      if (!room(lead * (rows + 5))) break;
      const cs = body - 1;
      y += lead * 0.5;
      for (const [t] of wrap(`Table ${int(1, 6)}: ${sentence(int(5, 25))}.`, regular, cs, colW)) {
        put(t, x0, y, regular, cs, 'caption');
        y += cs * 1.2;
      }
      const rule = (yy: number) =>
        ops.push('q', '0 G 0.6 w', `${x0.toFixed(1)} ${(H - yy).toFixed(1)} m ${(x0 + colW).toFixed(1)} ${(H - yy).toFixed(1)} l S`, 'Q');
      rule(y - cs * 0.2);
      y += cs * 1.1;
      const cw = colW / cols;
      for (let i = 0; i < rows; i++) {
        for (let c = 0; c < cols; c++) {
          const cell = i === 0 || c === 0 ? pick(VOCAB) : (r() * 100).toFixed(int(0, 3));
          put(cell, x0 + c * cw + 2, y, i === 0 ? bold : regular, cs, 'table');
        }
        if (i === 0) rule(y + cs * 0.4);
        y += cs * 1.3;
      }
      rule(y - cs * 0.6);
      y += lead;
    }
  }

  // Footnotes and a page number at the bottom.
  if (notes) {
    let fy = H - margin - fs * 1.15 * (noteLines - 1) - fs * 0.3;
    ops.push('q', '0 G 0.5 w', `${margin} ${(H - fy + fs * 1.2).toFixed(1)} m ${margin + 100} ${(H - fy + fs * 1.2).toFixed(1)} l S`, 'Q');
    for (const note of notes)
      for (const [t] of note) {
        put(t, margin, fy, regular, fs, 'footer');
        fy += fs * 1.15;
      }
  }
  if (r() < 0.7) {
    const n = String(int(1, 40));
    put(n, (W - width(n, regular, body)) / 2, H - margin / 2, regular, body, 'footer');
  }

  doc.insertPage(-1, doc.addPage([0, 0, W, H], 0, res, ops.join('\n')));
  const pdf = Buffer.from(doc.saveToBuffer('compress').asUint8Array());
  doc.destroy();
  return { pdf, tokens };
}
