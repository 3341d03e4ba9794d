import { createEngine } from '@roche/engines';
import { formatApTable, formatDocbankScores, runDocbankEval, runEval, type EvalOptions } from '@roche/eval';

export async function evalCommand(opts: EvalOptions & { engine?: string }): Promise<number> {
  const engine = await createEngine(opts.engine ?? 'embedded');
  try {
    const r = await runEval(engine, opts);
    console.log(formatApTable(r.table, `engine ${r.engine}: ${r.pages} pages, ${r.msPerPage.toFixed(0)} ms/page`));
    if (opts.predictions) console.log(`\npredictions written to ${opts.predictions}`);
  } finally {
    await engine.close();
  }
  return 0;
}

/** DocBank token metric over page images or the pages' PDFs (their text layers used where present). */
export async function evalDocbankCommand(opts: {
  tokens: string;
  images?: string;
  pdfs?: string;
  dpi?: number;
  engine?: string;
  predictions?: string;
}): Promise<number> {
  const engine = await createEngine(opts.engine ?? 'embedded');
  try {
    const r = await runDocbankEval(engine, opts);
    const t = r.msPerPage;
    const source = opts.pdfs ? `PDFs (${r.textLayerPages} with a text layer)` : 'page images';
    const speed = opts.pdfs
      ? `${t.analyze.toFixed(0)} ms/page analyze + ${t.textLayer.toFixed(0)} ms text layer + ${t.render.toFixed(0)} ms render`
      : `${t.analyze.toFixed(0)} ms/page`;
    console.log(formatDocbankScores(r.scores, `engine ${r.engine}, DocBank token metric: ${r.pages} ${source}, ${speed}`));
    if (opts.predictions) console.log(`\npredictions written to ${opts.predictions}`);
  } finally {
    await engine.close();
  }
  return 0;
}
