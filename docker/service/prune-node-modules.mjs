// Drops from a production node_modules what the bundle never loads:
//   - node_modules/@roche: workspace links to sources the image does not ship (dist/ bundles them);
//   - onnxruntime-node binaries for other platforms and CPU architectures (about 240 MB).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? 'node_modules');
fs.rmSync(path.join(root, '@roche'), { recursive: true, force: true });

const ort = path.join(root, 'onnxruntime-node', 'bin');
if (fs.existsSync(ort)) {
  for (const napi of fs.readdirSync(ort)) {
    for (const platform of fs.readdirSync(path.join(ort, napi))) {
      const dir = path.join(ort, napi, platform);
      if (platform !== process.platform) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      for (const arch of fs.readdirSync(dir)) if (arch !== process.arch) fs.rmSync(path.join(dir, arch), { recursive: true, force: true });
    }
  }
}
