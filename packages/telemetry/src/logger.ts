import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs, one object per line (job id, page, tenant, request id as fields).
 * Secrets never reach them: credentials and webhook secrets are redacted wherever they appear,
 * and nothing logs a request body.
 */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  '*.*.secret',
  'secrets',
  '*.secrets',
  'webhookSecret',
  '*.webhookSecret',
  'password',
  '*.password',
];

export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env.ROCHE_LOG_LEVEL ?? 'info',
      base: { service: 'roche' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** The process-wide logger (stderr). Components take a child: `logger.child({ component: 'worker' })`. */
export let logger: Logger = createLogger();

/** Replaces the process-wide logger (tests capture logs this way). */
export function setLogger(l: Logger): void {
  logger = l;
}
