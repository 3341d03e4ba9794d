/**
 * Regenerates packages/client/src/schema.ts from the API's OpenAPI document (`npm run gen:client`).
 * test/client-drift.test.ts fails when the committed file and the document disagree.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { openApiDocument } from '@roche/api';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

export const SCHEMA_FILE = path.resolve(import.meta.dirname, '../packages/client/src/schema.ts');

export async function generateClientSchema(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as never);
  const header = "// Generated from the API's OpenAPI document by `npm run gen:client`; do not edit.\n/* eslint-disable */\n";
  const options = await prettier.resolveConfig(SCHEMA_FILE);
  return prettier.format(header + astToString(ast), { ...options, filepath: SCHEMA_FILE });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await fs.writeFile(SCHEMA_FILE, await generateClientSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
