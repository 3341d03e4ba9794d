import fs from 'node:fs/promises';
import path from 'node:path';

const FILE = path.resolve(import.meta.dirname, '../docs/benchmarks.md');

/** Replaces (or appends) the section between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md. */
export async function writeBenchSection(name: string, body: string): Promise<void> {
  let doc = '# Benchmarks\n\nEach section is written by its script in `bench/`; rerun the command shown to refresh it.\n';
  try {
    doc = await fs.readFile(FILE, 'utf8');
  } catch {
    // first run
  }
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  await fs.writeFile(FILE, doc);
}
