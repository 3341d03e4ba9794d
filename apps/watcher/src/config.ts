import { JobOptions, JobWebhookInput } from '@roche/core';
import { z } from 'zod';

const prefix = z
  .string()
  .max(500)
  .refine((p) => p === '' || p.endsWith('/'), 'must end with "/"');

export const DropFolder = z
  .object({
    bucket: z.string().min(3),
    /** Objects dropped under this prefix become jobs. */
    inputPrefix: prefix,
    /** Results go here, mirroring the input key: `<outputPrefix><rel>.layout.json`, `<rel>.page-N.png`. */
    outputPrefix: prefix,
    /** Failures go here as `<rel>.error.json` with the reason. */
    errorPrefix: prefix.default('errors/'),
    /** After the job ends: move the input under `processedPrefix`, tag it `roche-status`, or keep it. */
    afterProcess: z.enum(['move', 'tag', 'keep']).default('move'),
    processedPrefix: prefix.default('processed/'),
    options: JobOptions.optional(),
    webhook: JobWebhookInput.optional(),
  })
  .strict()
  .refine(
    (f) =>
      !f.outputPrefix.startsWith(f.inputPrefix) && !f.errorPrefix.startsWith(f.inputPrefix) && !f.processedPrefix.startsWith(f.inputPrefix),
    {
      message: 'output, error and processed prefixes must lie outside the input prefix (or results would be processed again)',
    },
  );
export type DropFolder = z.infer<typeof DropFolder>;

/** Parses `ROCHE_DROP_FOLDERS` (a JSON array); a bad entry stops start-up with the key named. */
export function parseDropFolders(raw: string): DropFolder[] {
  if (!raw.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`ROCHE_DROP_FOLDERS is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = z.array(DropFolder).safeParse(json);
  if (!parsed.success) {
    throw new Error(`ROCHE_DROP_FOLDERS: ${parsed.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** Where a job came from, kept in its metadata so the export step finds the folder again. */
export const DropOrigin = z.object({ folder: z.number().int().nonnegative(), bucket: z.string(), key: z.string(), etag: z.string() });
export type DropOrigin = z.infer<typeof DropOrigin>;

export function relativeKey(folder: DropFolder, key: string): string {
  return key.slice(folder.inputPrefix.length);
}
