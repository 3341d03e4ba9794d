import { decodeImage, renderOverlay } from '@roche/documents';
import { TextDetector } from '@roche/inference';
import fs from 'node:fs';
const f = process.argv[2]!;
const img = await decodeImage(fs.readFileSync(f), { maxPagePixels: 1e8 });
const det = await TextDetector.create();
const lines = await det.detect(img);
console.log(img.width, img.height, lines.length);
fs.writeFileSync('/tmp/lines.png', await renderOverlay(img, lines.map((l, i) => ({ label: 'text', score: l.score, box: l.box.map(Math.round) as any, order: i }))));
