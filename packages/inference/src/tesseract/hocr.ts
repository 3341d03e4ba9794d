/**
 * Blocks of Tesseract's own page layout analysis from its hOCR output: photo areas, and
 * paragraphs whose lines Tesseract marks as headers (`ocr_header`) or as body lines.
 */
export interface TesseractBlock {
  kind: 'photo' | 'paragraph' | 'header' | 'caption' | 'separator';
  box: [number, number, number, number];
}

const BBOX = /bbox (\d+) (\d+) (\d+) (\d+)/;

export function parseHocrBlocks(hocr: string): TesseractBlock[] {
  const out: TesseractBlock[] = [];
  // Elements with a class and a title holding their bbox, in document order.
  const tag = /<(\w+)[^>]*class=['"](ocr_\w+)['"][^>]*title=['"]([^'"]*)['"][^>]*>/g;
  let currentPar: TesseractBlock | null = null;
  let parLines: string[] = [];
  const flush = () => {
    if (currentPar) {
      if (parLines.length && parLines.every((l) => l === 'ocr_header')) currentPar.kind = 'header';
      else if (parLines.length && parLines.every((l) => l === 'ocr_caption')) currentPar.kind = 'caption';
      out.push(currentPar);
    }
    currentPar = null;
    parLines = [];
  };
  for (let m = tag.exec(hocr); m; m = tag.exec(hocr)) {
    const cls = m[2]!;
    const b = BBOX.exec(m[3]!);
    if (!b) continue;
    const box = [Number(b[1]), Number(b[2]), Number(b[3]), Number(b[4])] as [number, number, number, number];
    if (cls === 'ocr_photo' || cls === 'ocr_image') {
      flush();
      out.push({ kind: 'photo', box });
    } else if (cls === 'ocr_separator') {
      flush();
      out.push({ kind: 'separator', box });
    } else if (cls === 'ocr_par') {
      flush();
      currentPar = { kind: 'paragraph', box };
    } else if (cls === 'ocr_line' || cls === 'ocr_header' || cls === 'ocr_caption' || cls === 'ocr_textfloat') {
      parLines.push(cls);
    }
  }
  flush();
  return out;
}
