import * as mupdf from 'mupdf';
import { openDocument } from '@roche/documents';
import { AnalyzerEngine } from '@roche/analyzer';
const mode = process.argv[2] ?? 'grid';
const n = Number(process.argv[3] ?? 100);
const doc = new mupdf.PDFDocument();
const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
const ops: string[] = [];
if (mode === 'grid') {
  // n×n one-letter words at 1 pt, each its own line (spaced apart vertically)
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) ops.push(`BT /F1 1 Tf ${10 + c * (590 / n)} ${10 + r * (770 / n)} Td (x) Tj ET`);
} else if (mode === 'stack') {
  // n lines all at the same spot
  for (let r = 0; r < n; r++) ops.push(`BT /F1 10 Tf 72 ${400 + (r % 3)} Td (hello world) Tj ET`);
} else if (mode === 'diag') {
  for (let r = 0; r < n; r++) ops.push(`BT /F1 2 Tf ${10 + (r * 590) / n} ${10 + (r * 770) / n} Td (ab) Tj ET`);
}
doc.insertPage(-1, doc.addPage([0, 0, 612, 792], 0, res, ops.join('\n')));
const pdf = Buffer.from(doc.saveToBuffer('compress').asUint8Array());
console.log('pdf bytes', pdf.length);
const d = await openDocument(pdf, 'pdf', { maxPages: 10, maxPagePixels: 1e8, dpi: 144 });
let t = Date.now();
const page = await d.renderPage(0);
const layer = await d.textLayer!(0);
console.log('render+layer ms', Date.now() - t, 'lines', layer?.lines.length);
const eng = await AnalyzerEngine.create({ intraOpNumThreads: 1 });
t = Date.now();
const [out] = await eng.analyze([page], { textLayers: [layer] });
console.log('analyze text-layer ms', Date.now() - t, 'regions', out!.regions.length);
t = Date.now();
const [out2] = await eng.analyze([page], {});
console.log('analyze image ms', Date.now() - t, 'regions', out2!.regions.length);
d.close(); await eng.close();
