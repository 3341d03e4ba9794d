import { createEngine } from '@roche/engines';
import { formatApTable, runEval, type EvalOptions } from '@roche/eval';

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
