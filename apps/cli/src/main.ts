#!/usr/bin/env node
import { ConfigError, loadConfig } from '@roche/core';
import { parseArgs } from 'node:util';
import { RocheClient } from './client.js';
import { runDemo } from './demo.js';
import { evalCommand } from './eval.js';
import { KEYS_USAGE, keysCommand } from './keys.js';
import { startService, stopOnSignals } from './service.js';

const USAGE = `roche — document layout analysis

usage:
  roche serve [--api-only | --worker-only]   run the service (embedded Redis/storage unless configured)
  roche watch                                run only the S3 drop-folder watcher (ROCHE_DROP_FOLDERS)
  roche submit FILE | s3://bucket/key [--api URL] [--wait]
  roche status JOB_ID [--api URL]
  roche result JOB_ID [--api URL]
  roche demo [FILE] [--out overlay.png]      start, analyze one page, print regions, stop
  roche eval --images DIR --annotations FILE [--engine NAME] [--predictions OUT.json] [--mapping FILE]
                                             COCO AP@0.5 and AP@[.5:.95] per class
${KEYS_USAGE}

configuration: environment variables (see README): REDIS_URL, S3_BUCKET, S3_ENDPOINT, ROCHE_PORT, ...`;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keys') return keysCommand(argv.slice(1));
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'api-only': { type: 'boolean' },
      'worker-only': { type: 'boolean' },
      api: { type: 'string' },
      wait: { type: 'boolean' },
      out: { type: 'string' },
      images: { type: 'string' },
      annotations: { type: 'string' },
      engine: { type: 'string' },
      predictions: { type: 'string' },
      mapping: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, ...rest] = positionals;
  const log = (m: string) => console.error(`[roche] ${m}`);
  const apiUrl = () => values.api ?? process.env.ROCHE_API_URL ?? `http://127.0.0.1:${process.env.ROCHE_PORT ?? 8080}`;
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
      const target = rest[0];
      if (!target) throw new ConfigError('submit needs a file or s3:// reference');
      const client = new RocheClient(apiUrl());
      let job = target.startsWith('s3://') ? await client.submitS3(target) : await client.submitFile(target);
      if (values.wait) job = await client.waitForTerminal(job.id);
      console.log(JSON.stringify(job, null, 2));
      return job.state === 'failed' ? 1 : 0;
    }
    case 'status':
    case 'result': {
      if (!rest[0]) throw new ConfigError(`${cmd} needs a job id`);
      const client = new RocheClient(apiUrl());
      console.log(JSON.stringify(cmd === 'status' ? await client.status(rest[0]) : await client.result(rest[0]), null, 2));
      return 0;
    }
    case 'eval':
      if (!values.images || !values.annotations) throw new ConfigError('eval needs --images DIR and --annotations FILE');
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
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
