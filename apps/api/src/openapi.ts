import { DocumentResult, ErrorBody, JobView, SubmitJsonBody } from '@roche/core';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';

const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
const jobId = z.object({ id: z.string().describe('Job id returned by POST /v1/jobs') });

/** Describes the routes in `routes.ts` for `GET /openapi.json`. Kept beside, not inside, the handlers
 * because submit accepts three body types that a single validator cannot express. */
export function registerOpenApi(app: OpenAPIHono): void {
  const r = app.openAPIRegistry;
  r.registerPath({
    method: 'post',
    path: '/v1/jobs',
    summary: 'Submit a document for layout analysis',
    description:
      'Three ways: multipart/form-data with a `file` part (and optional `metadata` JSON part); application/json with an `s3://bucket/key` `source`; or the raw document bytes with any other content type. The type is sniffed from magic bytes.',
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': { schema: z.object({ file: z.string().describe('binary'), metadata: z.string().optional().describe('JSON object echoed in the job') }) },
          'application/json': { schema: SubmitJsonBody },
          'application/octet-stream': { schema: z.string().describe('binary') },
        },
      },
    },
    responses: {
      202: {
        description: 'Accepted. `Location` points at the job; `Retry-After` suggests when to poll.',
        content: { 'application/json': { schema: JobView } },
      },
      400: err('Malformed request'),
      413: err('Document larger than the upload limit'),
      415: err('Not a supported document type'),
      503: err('Storage or queue unavailable; nothing was accepted'),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}',
    summary: 'Job status',
    request: { params: jobId, query: z.object({ include: z.enum(['result']).optional() }) },
    responses: { 200: { description: 'The job', content: { 'application/json': { schema: JobView } } }, 404: err('Unknown job') },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/result',
    summary: 'Layout result of a finished job',
    request: { params: jobId },
    responses: {
      200: { description: 'The result document', content: { 'application/json': { schema: DocumentResult } } },
      404: err('Unknown job'),
      409: err('The job has not succeeded (yet); `details.state` says where it is'),
    },
  });
  r.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'Process is up' } } });
  r.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis and the object store answer',
    responses: { 200: { description: 'Ready' }, 503: err('A dependency is down') },
  });
}
