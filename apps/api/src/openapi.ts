import { DocumentResult, ErrorBody, JobOptions, JobView, SubmitJsonBody } from '@roche/core';
import { Delivery, EndpointInput, EndpointView } from '@roche/webhooks';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { z } from 'zod';

const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
const jobId = z.object({ id: z.string().describe('Job id returned by POST /v1/jobs') });

/** Describes the routes in `routes.ts` for `GET /openapi.json`. Kept beside, not inside, the handlers
 * because submit accepts three body types that a single validator cannot express. */
export function registerOpenApi<E extends Env>(app: OpenAPIHono<E>): void {
  const r = app.openAPIRegistry;
  r.registerPath({
    method: 'post',
    path: '/v1/jobs',
    summary: 'Submit a document for layout analysis',
    description:
      'Optional headers: `Idempotency-Key` (same key and body within 24 h returns the original job with 200; a different body 409), `X-Roche-Tenant`. Three ways: multipart/form-data with a `file` part (and optional `metadata`, `options`, `webhook` JSON parts and `clientRef`); application/json with an `s3://bucket/key` `source`; or the raw document bytes with any other content type. The type is sniffed from magic bytes.',
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: z.string().describe('binary'),
              metadata: z.string().optional().describe('JSON object echoed in the job'),
              options: z
                .string()
                .optional()
                .describe(`JSON object: ${Object.keys(JobOptions.shape).join(', ')}`),
            }),
          },
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
    request: {
      params: jobId,
      query: z.object({
        include: z.enum(['result']).optional(),
        wait: z
          .number()
          .int()
          .min(0)
          .max(60)
          .optional()
          .describe('Long-poll: answer at the next change of the job or after this many seconds'),
      }),
    },
    responses: {
      200: {
        description: 'The job, with progress (pagesTotal/pagesDone/pagesFailed)',
        content: { 'application/json': { schema: JobView } },
      },
      404: err('Unknown job'),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/events',
    summary: 'Server-sent events: `status` on every change, `end` with the terminal state, then the stream closes',
    request: { params: jobId },
    responses: {
      200: { description: 'text/event-stream of JobView JSON', content: { 'text/event-stream': { schema: z.string() } } },
      404: err('Unknown job'),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    summary: 'Cancel: pending pages are dropped, the job ends `canceled`',
    request: { params: jobId },
    responses: {
      200: { description: 'The canceled job', content: { 'application/json': { schema: JobView } } },
      404: err('Unknown job'),
      409: err('The job already ended'),
    },
  });
  r.registerPath({
    method: 'delete',
    path: '/v1/jobs/{id}',
    summary: "Delete the job's record, input and results now (cancels it first if it is running)",
    request: { params: jobId },
    responses: { 200: { description: 'Deleted' }, 404: err('Unknown job') },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/files/{path}',
    summary: 'Overlay images, crops and per-page results linked from the result (302 to a presigned URL on S3)',
    request: { params: jobId.extend({ path: z.string() }) },
    responses: { 200: { description: 'The file' }, 302: { description: 'Redirect to the object in S3' }, 404: err('No such file') },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/result',
    summary: 'Layout result of a finished job',
    request: { params: jobId },
    responses: {
      200: {
        description: 'The result document (also for `partial` jobs: `errors` lists the failed pages)',
        content: { 'application/json': { schema: DocumentResult } },
      },
      404: err('Unknown job'),
      409: err('The job has no result (yet); `details.state` says where it is'),
    },
  });
  const tenant = z.object({ 'x-roche-tenant': z.string().optional().describe('Tenant (default `default`)') });
  const endpointId = z.object({ id: z.string() });
  const endpointJson = { 'application/json': { schema: EndpointView } };
  const withSecret = {
    'application/json': { schema: EndpointView.extend({ secret: z.string().describe('whsec_… — shown only in this answer') }) },
  };
  r.registerPath({
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Create a tenant webhook endpoint',
    request: { headers: tenant, body: { content: { 'application/json': { schema: EndpointInput } } } },
    responses: { 201: { description: 'Created', content: withSecret }, 400: err('Invalid or internal URL') },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/webhooks',
    summary: "The tenant's endpoints",
    request: { headers: tenant },
    responses: { 200: { description: 'List', content: { 'application/json': { schema: z.object({ data: z.array(EndpointView) }) } } } },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/webhooks/{id}',
    summary: 'One endpoint',
    request: { headers: tenant, params: endpointId },
    responses: { 200: { description: 'Endpoint', content: endpointJson }, 404: err('Unknown endpoint') },
  });
  r.registerPath({
    method: 'patch',
    path: '/v1/webhooks/{id}',
    summary: 'Change url, events, description or `disabled`',
    request: {
      headers: tenant,
      params: endpointId,
      body: { content: { 'application/json': { schema: EndpointInput.partial().extend({ disabled: z.boolean().optional() }) } } },
    },
    responses: { 200: { description: 'Endpoint', content: endpointJson }, 404: err('Unknown endpoint') },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/webhooks/{id}/rotate-secret',
    summary: 'New secret; old ones keep signing during the grace period',
    request: { headers: tenant, params: endpointId },
    responses: { 200: { description: 'Endpoint with its new secret', content: withSecret } },
  });
  r.registerPath({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Delete an endpoint',
    request: { headers: tenant, params: endpointId },
    responses: { 200: { description: 'Deleted' }, 404: err('Unknown endpoint') },
  });
  r.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/webhook/deliveries',
    summary: "Every delivery attempt of the job's webhooks",
    request: { headers: tenant, params: jobId },
    responses: { 200: { description: 'Log', content: { 'application/json': { schema: z.object({ data: z.array(Delivery) }) } } } },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/webhook/redeliver',
    summary: 'Send the final event again (same webhook-id)',
    request: { headers: tenant, params: jobId },
    responses: { 202: { description: 'Queued' }, 409: err('The job has not ended') },
  });
  r.registerPath({
    method: 'post',
    path: '/v1/drop-folder/events',
    summary: 'S3/MinIO event notifications for the drop folders',
    request: { body: { content: { 'application/json': { schema: z.object({ Records: z.array(z.unknown()) }) } } } },
    responses: { 200: { description: 'Jobs created' }, 404: err('No drop folders configured') },
  });
  r.registerPath({ method: 'get', path: '/healthz', summary: 'Liveness', responses: { 200: { description: 'Process is up' } } });
  r.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis and the object store answer',
    responses: { 200: { description: 'Ready' }, 503: err('A dependency is down') },
  });
}
