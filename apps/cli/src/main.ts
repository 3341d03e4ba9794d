#!/usr/bin/env node
import { RocheApiError } from '@roche/client';
import { ConfigError, loadConfig } from '@roche/core';
import { parseArgs } from 'node:util';
import { RocheClient } from './client.js';
import { exitCode, saveResult, submitCommand } from './submit.js';
import { runDemo } from './demo.js';
import { evalCommand, evalDocbankCommand } from './eval.js';
import { startTracing } from '@roche/telemetry';
import { KEYS_USAGE, keysCommand } from './keys.js';
import { startService, stopOnSignals } from './service.js';

const USAGE = `roche — document layout analysis

usage:
  roche serve [--api-only | --worker-only]   run the service (embedded Redis/storage unless configured)
  roche watch                                run only the S3 drop-folder watcher (ROCHE_DROP_FOLDERS)
  roche submit FILE... | s3://bucket/key [--pages 1-3] [--model NAME] [--wait] [--out DIR] [--json]
                                             a progress bar per document on a terminal, plain lines otherwise;
                                             --out also asks for and saves page overlays
  roche status JOB_ID [--json]
  roche result JOB_ID [--out DIR]            the result JSON; with --out also its overlays and crops
  roche demo [FILE] [--out overlay.png]      start, analyze one page, print regions, stop
  roche eval --images DIR --annotations FILE [--engine NAME] [--predictions OUT.json] [--mapping FILE]
                                             COCO AP@0.5 and AP@[.5:.95] per class
  roche eval --tokens tokens.json (--images DIR | --pdfs DIR) [--dpi N] [--engine NAME] [--predictions OUT.json]
                                             DocBank token metric (area P/R/F1 per label, macro, coarse 5-class);
                                             --pdfs: one-page PDFs named like the images, text layers used
${KEYS_USAGE}

remote servers: --url URL (or ROCHE_URL) and --api-key KEY (or ROCHE_API_KEY).
exit codes: 0 done, 1 a job failed or an error, 2 bad usage, 3 a job partly failed or was canceled.
configuration of serve: environment variables (see README): REDIS_URL, S3_BUCKET, S3_ENDPOINT, ROCHE_PORT, ...`;

async function main(argv: string[]): Promise<number> {
  // Before any queue or worker exists: they take the tracing hooks when they are made.
  startTracing();
  if (argv[0] === 'keys') return keysCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'api-only': { type: 'boolean' },
      'worker-only': { type: 'boolean' },
      api: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      json: { type: 'boolean' },
      pages: { type: 'string' },
      model: { type: 'string' },
      wait: { type: 'boolean' },
      out: { type: 'string' },
      images: { type: 'string' },
      annotations: { type: 'string' },
      engine: { type: 'string' },
      predictions: { type: 'string' },
      mapping: { type: 'string' },
      tokens: { type: 'string' },
      pdfs: { type: 'string' },
      dpi: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, ...rest] = positionals;
  const log = (m: string) => console.error(`[roche] ${m}`);
  const apiUrl = () =>
    values.url ?? values.api ?? process.env.ROCHE_URL ?? process.env.ROCHE_API_URL ?? `http://127.0.0.1:${process.env.ROCHE_PORT ?? 8080}`;
  const client = () => new RocheClient(apiUrl(), { apiKey: values['api-key'] ?? process.env.ROCHE_API_KEY });
  // `roche <command> --help` prints the usage; it used to run the command (`serve --help` started the service).
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  switch (cmd) {
    case 'serve': {
      const config = loadConfig();
      const svc = await startService(config, { api: !values['worker-only'], worker: !values['api-only'] }, log);
      stopOnSignals(svc, log);
      return new Promise<number>(() => {}); // runs until a signal
    }
    case 'watch': {
      const svc = await startService(loadConfig(), { api: false, worker: false, watch: true }, log);
      if (!svc.watcher) throw new ConfigError('roche watch needs ROCHE_DROP_FOLDERS and S3 settings');
      stopOnSignals(svc, log);
      return new Promise<number>(() => {});
    }
    case 'submit': {
      if (!rest.length) throw new ConfigError('submit needs one or more files or an s3:// reference');
      const options = {
        ...(values.pages ? { pages: values.pages } : {}),
        ...(values.model ? { model: values.model } : {}),
        // Files asked for: overlays are among them (the service draws none unless asked).
        ...(values.out ? { overlays: true } : {}),
      };
      return submitCommand(client(), rest, {
        options,
        wait: Boolean(values.wait || values.out),
        out: values.out,
        json: Boolean(values.json),
      });
    }
    case 'status': {
      if (!rest[0]) throw new ConfigError('status needs a job id');
      const v = await client().status(rest[0]);
      console.log(values.json ? JSON.stringify(v) : JSON.stringify(v, null, 2));
      return exitCode(v.state);
    }
    case 'result': {
      if (!rest[0]) throw new ConfigError('result needs a job id');
      if (values.out) {
        const written = await saveResult(client(), rest[0], values.out);
        console.log(values.json ? JSON.stringify({ id: rest[0], files: written }) : `${written.length} files in ${values.out}`);
      } else console.log(JSON.stringify(await client().result(rest[0]), null, 2));
      return 0;
    }
    case 'eval':
      if (values.tokens) {
        if (!values.images === !values.pdfs) throw new ConfigError('eval --tokens needs one of --images DIR or --pdfs DIR');
        const dpi = values.dpi === undefined ? undefined : Number(values.dpi);
        if (dpi !== undefined && !(dpi >= 36 && dpi <= 600)) throw new ConfigError('--dpi must be a number from 36 to 600');
        return evalDocbankCommand({
          tokens: values.tokens,
          images: values.images,
          pdfs: values.pdfs,
          dpi,
          engine: values.engine,
          predictions: values.predictions,
        });
      }
      if (!values.images || !values.annotations) throw new ConfigError('eval needs --images DIR and --annotations FILE (or --tokens FILE)');
      return evalCommand({
        images: values.images,
        annotations: values.annotations,
        engine: values.engine,
        predictions: values.predictions,
        mapping: values.mapping,
      });
    case 'demo':
      await runDemo({ file: rest[0], out: values.out });
      return 0;
    default:
      console.log(USAGE);
      return cmd && !values.help ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    // An ordinary refusal (a bad setting, the API's answer) is one line; anything else keeps its stack.
    console.error(e instanceof ConfigError || e instanceof RocheApiError ? `roche: ${e.message}` : e);
    process.exit(1);
  },
);
