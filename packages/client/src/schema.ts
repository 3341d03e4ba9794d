// Generated from the API's OpenAPI document by `npm run gen:client`; do not edit.
/* eslint-disable */
export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness (no authentication) */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: Redis, the object store and every model (its engine, or its model on the inference server) answer (no authentication) */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The models a job can pick with `options.model`, the default first, with their labels and layout settings */
    get: operations['listModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's most recent jobs, newest first */
    get: operations['listJobs'];
    put?: never;
    /**
     * Submit a document for layout analysis
     * @description Three forms: multipart/form-data with a `file` part (and optional `metadata`, `options`, `webhook` JSON parts and `clientRef`), streamed to storage; application/json with a `source` (`s3://bucket/key` from a bucket the operator allows, or an `https://` URL fetched through the SSRF guard); or the raw document bytes with any other content type (`X-Filename` names it, percent-encoded UTF-8 for names beyond ASCII). The type is sniffed from magic bytes. `Idempotency-Key`: the same key and body within 24 h returns the original job with 200 (or, if that job was deleted or has expired since, creates a new one that the key then names); a different body 409.
     */
    post: operations['submitJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Job status */
    get: operations['getJob'];
    put?: never;
    post?: never;
    /** Delete the job's record, input and results now (cancels it first if it is running) */
    delete: operations['deleteJob'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/result': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Layout result of a finished job */
    get: operations['getJobResult'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Server-sent events: `status` on every change, `end` with the terminal state, then the stream closes */
    get: operations['streamJobEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel: pending pages are dropped, the job ends `canceled` */
    post: operations['cancelJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/files/{path}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Overlay images, crops and per-page results linked from the result (302 to a short-lived presigned URL on S3) */
    get: operations['getJobFile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's endpoints */
    get: operations['listWebhookEndpoints'];
    put?: never;
    /** Create a tenant webhook endpoint (receives every job of the tenant) */
    post: operations['createWebhookEndpoint'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One endpoint */
    get: operations['getWebhookEndpoint'];
    put?: never;
    post?: never;
    /** Delete an endpoint */
    delete: operations['deleteWebhookEndpoint'];
    options?: never;
    head?: never;
    /** Change url, events, description or `disabled` */
    patch: operations['updateWebhookEndpoint'];
    trace?: never;
  };
  '/v1/webhooks/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** New secret; old ones keep signing during the grace period */
    post: operations['rotateWebhookSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/webhook/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every delivery attempt of the job's webhooks */
    get: operations['listJobWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}/webhook/redeliver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send the final event again (same webhook-id) */
    post: operations['redeliverJobWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/drop-folder/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** S3/MinIO event notifications for the drop folders (the bucket notification carries an admin key) */
    post: operations['postDropFolderEvents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** API keys (never their secrets), optionally of one tenant */
    get: operations['listApiKeys'];
    put?: never;
    /** Create an API key for a tenant; the key is in this answer and nowhere else (only its hash is stored) */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a key at once (it stays listed with `revokedAt`) */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface webhooks {
  'job.succeeded': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sent when a job ends succeeded */
    post: operations['webhook_job_succeeded'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'job.failed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sent when a job ends failed */
    post: operations['webhook_job_failed'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'job.canceled': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sent when a job ends canceled */
    post: operations['webhook_job_canceled'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  'job.partial': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sent when a job ends partial */
    post: operations['webhook_job_partial'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Process is up */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            ok: true;
          };
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            ok: true;
          };
        };
      };
      /** @description A dependency is down */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  listModels: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Models of this deployment (pipeline_config.yaml `Models`, or the one ROCHE_ENGINE model) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              name: string;
              engine: string;
              default: boolean;
              description?: string;
              /** @description Labels its regions can carry */
              labels: string[];
              /** @description PaddleX layout settings: threshold, layout_nms, layout_unclip_ratio, ... */
              settings?: {
                [key: string]: unknown;
              };
              /** @description The model name on the inference server (triton, paddlex-hps) */
              serverModel?: string;
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  listJobs: {
    parameters: {
      query?: {
        /** @description At most this many (default 50) */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Jobs of the tenant */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              id: string;
              /** @enum {string} */
              state: 'queued' | 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';
              createdAt: string;
              startedAt?: string;
              finishedAt?: string;
              input: {
                /** @enum {string} */
                type: 'png' | 'jpeg' | 'webp' | 'tiff' | 'pdf';
                size: number;
                sha256: string;
                filename?: string;
                source?: string;
              };
              engine?: string;
              pagesTotal?: number;
              pagesDone?: number;
              pagesFailed?: number;
              error?: {
                /** @enum {string} */
                code:
                  | 'bad_request'
                  | 'validation_failed'
                  | 'not_found'
                  | 'method_not_allowed'
                  | 'payload_too_large'
                  | 'unsupported_media_type'
                  | 'corrupt_document'
                  | 'encrypted_document'
                  | 'too_many_pages'
                  | 'image_too_large'
                  | 'result_not_ready'
                  | 'storage_unavailable'
                  | 'queue_unavailable'
                  | 'inference_failed'
                  | 'inference_unavailable'
                  | 'conflict'
                  | 'unauthorized'
                  | 'forbidden'
                  | 'auth_unavailable'
                  | 'rate_limited'
                  | 'quota_exceeded'
                  | 'internal';
                message: string;
                details?: unknown;
              };
              metadata?: {
                [key: string]: unknown;
              };
              options?: {
                pages?: string;
                dpi?: number;
                previews?: boolean;
                overlays?: boolean;
                crops?: string[];
                /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
                overrides?: {
                  /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
                  layoutThreshold?:
                    | number
                    | {
                        [key: string]: number;
                      };
                  /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
                  layoutNms?: boolean;
                  /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                  layoutUnclipRatio?:
                    | number
                    | [number, number]
                    | {
                        [key: string]: [number, number];
                      };
                  /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                  layoutMergeBboxesMode?:
                    | ('large' | 'small' | 'union')
                    | {
                        [key: string]: 'large' | 'small' | 'union';
                      };
                };
                model?: string;
              };
              clientRef?: string;
              webhook?: {
                /** Format: uri */
                url: string;
                events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
              };
              webhookSecret?: string;
              links: {
                self: string;
                result: string;
                events: string;
                cancel: string;
                resultDirect?: string;
              };
              result?: {
                jobId: string;
                engine: string;
                model?: string;
                configVersions?: string[];
                createdAt: string;
                pages: {
                  page: number;
                  width: number;
                  height: number;
                  configVersion?: string;
                  regions: {
                    label: string;
                    score: number;
                    box: [number, number, number, number];
                    order: number;
                    /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                    latex?: string;
                    /** @description The recognizing pipeline's 1-based id of the formula on its page */
                    formulaId?: number;
                    /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                    text?: string;
                  }[];
                  preview?: string;
                  overlay?: string;
                  crops?: {
                    order: number;
                    label: string;
                    href: string;
                  }[];
                }[];
                errors?: {
                  page: number;
                  code: string;
                  message: string;
                }[];
              };
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  submitJob: {
    parameters: {
      query?: never;
      header?: {
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** @description binary */
          file: string;
          /** @description JSON object echoed in the job and webhooks (at most 16 KiB, 32 levels deep) */
          metadata?: string;
          /** @description JSON object: pages, dpi, previews, overlays, crops, overrides, model */
          options?: string;
          /** @description JSON object: url, events, secret */
          webhook?: string;
          clientRef?: string;
        };
        'application/json': {
          /** @description `s3://bucket/key` (from a bucket the operator allows) or `https://…` (fetched through the SSRF guard) */
          source: string;
          metadata?: {
            [key: string]: unknown;
          };
          options?: {
            pages?: string;
            dpi?: number;
            previews?: boolean;
            overlays?: boolean;
            crops?: string[];
            /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
            overrides?: {
              /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
              layoutThreshold?:
                | number
                | {
                    [key: string]: number;
                  };
              /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
              layoutNms?: boolean;
              /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
              layoutUnclipRatio?:
                | number
                | [number, number]
                | {
                    [key: string]: [number, number];
                  };
              /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
              layoutMergeBboxesMode?:
                | ('large' | 'small' | 'union')
                | {
                    [key: string]: 'large' | 'small' | 'union';
                  };
            };
            model?: string;
          };
          webhook?: {
            /** Format: uri */
            url: string;
            events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            secret?: string;
          };
          clientRef?: string;
        };
        'application/octet-stream': string;
      };
    };
    responses: {
      /** @description Idempotent replay of an earlier submit (`Idempotent-Replayed: true`) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            state: 'queued' | 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';
            createdAt: string;
            startedAt?: string;
            finishedAt?: string;
            input: {
              /** @enum {string} */
              type: 'png' | 'jpeg' | 'webp' | 'tiff' | 'pdf';
              size: number;
              sha256: string;
              filename?: string;
              source?: string;
            };
            engine?: string;
            pagesTotal?: number;
            pagesDone?: number;
            pagesFailed?: number;
            error?: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
            metadata?: {
              [key: string]: unknown;
            };
            options?: {
              pages?: string;
              dpi?: number;
              previews?: boolean;
              overlays?: boolean;
              crops?: string[];
              /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
              overrides?: {
                /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
                layoutThreshold?:
                  | number
                  | {
                      [key: string]: number;
                    };
                /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
                layoutNms?: boolean;
                /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutUnclipRatio?:
                  | number
                  | [number, number]
                  | {
                      [key: string]: [number, number];
                    };
                /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutMergeBboxesMode?:
                  | ('large' | 'small' | 'union')
                  | {
                      [key: string]: 'large' | 'small' | 'union';
                    };
              };
              model?: string;
            };
            clientRef?: string;
            webhook?: {
              /** Format: uri */
              url: string;
              events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            };
            webhookSecret?: string;
            links: {
              self: string;
              result: string;
              events: string;
              cancel: string;
              resultDirect?: string;
            };
            result?: {
              jobId: string;
              engine: string;
              model?: string;
              configVersions?: string[];
              createdAt: string;
              pages: {
                page: number;
                width: number;
                height: number;
                configVersion?: string;
                regions: {
                  label: string;
                  score: number;
                  box: [number, number, number, number];
                  order: number;
                  /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                  latex?: string;
                  /** @description The recognizing pipeline's 1-based id of the formula on its page */
                  formulaId?: number;
                  /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                  text?: string;
                }[];
                preview?: string;
                overlay?: string;
                crops?: {
                  order: number;
                  label: string;
                  href: string;
                }[];
              }[];
              errors?: {
                page: number;
                code: string;
                message: string;
              }[];
            };
          };
        };
      };
      /** @description Accepted. `Location` points at the job; `Retry-After` suggests when to poll. `webhookSecret` is shown here once. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            state: 'queued' | 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';
            createdAt: string;
            startedAt?: string;
            finishedAt?: string;
            input: {
              /** @enum {string} */
              type: 'png' | 'jpeg' | 'webp' | 'tiff' | 'pdf';
              size: number;
              sha256: string;
              filename?: string;
              source?: string;
            };
            engine?: string;
            pagesTotal?: number;
            pagesDone?: number;
            pagesFailed?: number;
            error?: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
            metadata?: {
              [key: string]: unknown;
            };
            options?: {
              pages?: string;
              dpi?: number;
              previews?: boolean;
              overlays?: boolean;
              crops?: string[];
              /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
              overrides?: {
                /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
                layoutThreshold?:
                  | number
                  | {
                      [key: string]: number;
                    };
                /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
                layoutNms?: boolean;
                /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutUnclipRatio?:
                  | number
                  | [number, number]
                  | {
                      [key: string]: [number, number];
                    };
                /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutMergeBboxesMode?:
                  | ('large' | 'small' | 'union')
                  | {
                      [key: string]: 'large' | 'small' | 'union';
                    };
              };
              model?: string;
            };
            clientRef?: string;
            webhook?: {
              /** Format: uri */
              url: string;
              events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            };
            webhookSecret?: string;
            links: {
              self: string;
              result: string;
              events: string;
              cancel: string;
              resultDirect?: string;
            };
            result?: {
              jobId: string;
              engine: string;
              model?: string;
              configVersions?: string[];
              createdAt: string;
              pages: {
                page: number;
                width: number;
                height: number;
                configVersion?: string;
                regions: {
                  label: string;
                  score: number;
                  box: [number, number, number, number];
                  order: number;
                  /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                  latex?: string;
                  /** @description The recognizing pipeline's 1-based id of the formula on its page */
                  formulaId?: number;
                  /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                  text?: string;
                }[];
                preview?: string;
                overlay?: string;
                crops?: {
                  order: number;
                  label: string;
                  href: string;
                }[];
              }[];
              errors?: {
                page: number;
                code: string;
                message: string;
              }[];
            };
          };
        };
      };
      /** @description Malformed request, invalid options, refused source or webhook URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Idempotency-Key reused with a different body */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Document larger than the upload limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Not a supported document type */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Corrupt or encrypted document, too many pages, page too large */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  getJob: {
    parameters: {
      query?: {
        include?: 'result';
        /** @description Long-poll: answer at the next change of the job (see `until`) or after this many seconds */
        wait?: number | null;
        /** @description With `wait`: `change` (default) answers at any change, progress included; `end` only once the job has ended */
        until?: 'change' | 'end';
      };
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The job, with progress (pagesTotal/pagesDone/pagesFailed) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            state: 'queued' | 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';
            createdAt: string;
            startedAt?: string;
            finishedAt?: string;
            input: {
              /** @enum {string} */
              type: 'png' | 'jpeg' | 'webp' | 'tiff' | 'pdf';
              size: number;
              sha256: string;
              filename?: string;
              source?: string;
            };
            engine?: string;
            pagesTotal?: number;
            pagesDone?: number;
            pagesFailed?: number;
            error?: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
            metadata?: {
              [key: string]: unknown;
            };
            options?: {
              pages?: string;
              dpi?: number;
              previews?: boolean;
              overlays?: boolean;
              crops?: string[];
              /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
              overrides?: {
                /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
                layoutThreshold?:
                  | number
                  | {
                      [key: string]: number;
                    };
                /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
                layoutNms?: boolean;
                /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutUnclipRatio?:
                  | number
                  | [number, number]
                  | {
                      [key: string]: [number, number];
                    };
                /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutMergeBboxesMode?:
                  | ('large' | 'small' | 'union')
                  | {
                      [key: string]: 'large' | 'small' | 'union';
                    };
              };
              model?: string;
            };
            clientRef?: string;
            webhook?: {
              /** Format: uri */
              url: string;
              events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            };
            webhookSecret?: string;
            links: {
              self: string;
              result: string;
              events: string;
              cancel: string;
              resultDirect?: string;
            };
            result?: {
              jobId: string;
              engine: string;
              model?: string;
              configVersions?: string[];
              createdAt: string;
              pages: {
                page: number;
                width: number;
                height: number;
                configVersion?: string;
                regions: {
                  label: string;
                  score: number;
                  box: [number, number, number, number];
                  order: number;
                  /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                  latex?: string;
                  /** @description The recognizing pipeline's 1-based id of the formula on its page */
                  formulaId?: number;
                  /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                  text?: string;
                }[];
                preview?: string;
                overlay?: string;
                crops?: {
                  order: number;
                  label: string;
                  href: string;
                }[];
              }[];
              errors?: {
                page: number;
                code: string;
                message: string;
              }[];
            };
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job (or another tenant's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  deleteJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {boolean} */
            deleted: true;
            objects: number;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  getJobResult: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The result document (also for `partial` jobs: `errors` lists the failed pages) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            jobId: string;
            engine: string;
            model?: string;
            configVersions?: string[];
            createdAt: string;
            pages: {
              page: number;
              width: number;
              height: number;
              configVersion?: string;
              regions: {
                label: string;
                score: number;
                box: [number, number, number, number];
                order: number;
                /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                latex?: string;
                /** @description The recognizing pipeline's 1-based id of the formula on its page */
                formulaId?: number;
                /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                text?: string;
              }[];
              preview?: string;
              overlay?: string;
              crops?: {
                order: number;
                label: string;
                href: string;
              }[];
            }[];
            errors?: {
              page: number;
              code: string;
              message: string;
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The job has no result (yet); `details.state` says where it is */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  streamJobEvents: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description text/event-stream of JobView JSON */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/event-stream': string;
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  cancelJob: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The canceled job */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            /** @enum {string} */
            state: 'queued' | 'running' | 'succeeded' | 'failed' | 'partial' | 'canceled';
            createdAt: string;
            startedAt?: string;
            finishedAt?: string;
            input: {
              /** @enum {string} */
              type: 'png' | 'jpeg' | 'webp' | 'tiff' | 'pdf';
              size: number;
              sha256: string;
              filename?: string;
              source?: string;
            };
            engine?: string;
            pagesTotal?: number;
            pagesDone?: number;
            pagesFailed?: number;
            error?: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
            metadata?: {
              [key: string]: unknown;
            };
            options?: {
              pages?: string;
              dpi?: number;
              previews?: boolean;
              overlays?: boolean;
              crops?: string[];
              /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings (embedded analyzer, text-blocks, tesseract) refuse them. */
              overrides?: {
                /** @description Score threshold (strict), one number or {"class id": number} (other classes 0.5). Per-class maps work on the triton and onnx engines and on paddlex-hps object-detection; paddlex-hps layout-parsing/formula-recognition refuse them (PaddleX would ignore them). */
                layoutThreshold?:
                  | number
                  | {
                      [key: string]: number;
                    };
                /** @description Layout NMS on. As in PaddleX (`layout_nms or config`), false cannot switch off NMS that pipeline_config.yaml turns on. */
                layoutNms?: boolean;
                /** @description Box scale about its centre: number, [w, h], or {"class id": [w, h]}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutUnclipRatio?:
                  | number
                  | [number, number]
                  | {
                      [key: string]: [number, number];
                    };
                /** @description large | small | union, or {"class id": mode}. The per-class form goes beyond PaddleX serving: triton and onnx only. */
                layoutMergeBboxesMode?:
                  | ('large' | 'small' | 'union')
                  | {
                      [key: string]: 'large' | 'small' | 'union';
                    };
              };
              model?: string;
            };
            clientRef?: string;
            webhook?: {
              /** Format: uri */
              url: string;
              events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            };
            webhookSecret?: string;
            links: {
              self: string;
              result: string;
              events: string;
              cancel: string;
              resultDirect?: string;
            };
            result?: {
              jobId: string;
              engine: string;
              model?: string;
              configVersions?: string[];
              createdAt: string;
              pages: {
                page: number;
                width: number;
                height: number;
                configVersion?: string;
                regions: {
                  label: string;
                  score: number;
                  box: [number, number, number, number];
                  order: number;
                  /** @description LaTeX of a formula region, when the engine recognizes formulas (paddlex-hps formula-recognition) */
                  latex?: string;
                  /** @description The recognizing pipeline's 1-based id of the formula on its page */
                  formulaId?: number;
                  /** @description The region's text, lines joined by newlines, when the engine reads it (the embedded analyzer on PDF pages with a text layer) */
                  text?: string;
                }[];
                preview?: string;
                overlay?: string;
                crops?: {
                  order: number;
                  label: string;
                  href: string;
                }[];
              }[];
              errors?: {
                page: number;
                code: string;
                message: string;
              }[];
            };
            pagesRemoved: number;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The job already ended */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  getJobFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
        /** @description e.g. `overlays/1.png`, `crops/1-0-table.png`, `pages/1.json` */
        path: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Redirect to the object in S3 (presigned, expires after an hour) */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description No such file */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  listWebhookEndpoints: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              /** Format: uri */
              url: string;
              events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
              description?: string;
              id: string;
              tenant: string;
              createdAt: string;
              disabled: boolean;
              disabledReason?: string;
              secretCount: number;
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  createWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** Format: uri */
          url: string;
          events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
          description?: string;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uri */
            url: string;
            events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            description?: string;
            id: string;
            tenant: string;
            createdAt: string;
            disabled: boolean;
            disabledReason?: string;
            secretCount: number;
            /** @description whsec_… — shown only in this answer */
            secret: string;
          };
        };
      };
      /** @description Invalid or internal URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  getWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uri */
            url: string;
            events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            description?: string;
            id: string;
            tenant: string;
            createdAt: string;
            disabled: boolean;
            disabledReason?: string;
            secretCount: number;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown endpoint */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  deleteWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown endpoint */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  updateWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** Format: uri */
          url?: string;
          events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
          description?: string;
          disabled?: boolean;
        };
      };
    };
    responses: {
      /** @description Endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uri */
            url: string;
            events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            description?: string;
            id: string;
            tenant: string;
            createdAt: string;
            disabled: boolean;
            disabledReason?: string;
            secretCount: number;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown endpoint */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  rotateWebhookSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Endpoint with its new secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** Format: uri */
            url: string;
            events?: ('job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial')[];
            description?: string;
            id: string;
            tenant: string;
            createdAt: string;
            disabled: boolean;
            disabledReason?: string;
            secretCount: number;
            /** @description whsec_… — shown only in this answer */
            secret: string;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown endpoint */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  listJobWebhookDeliveries: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Log */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              webhookId: string;
              /** @enum {string} */
              event: 'job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial';
              url: string;
              endpointId?: string;
              attempt: number;
              at: string;
              status?: number;
              latencyMs?: number;
              /** @enum {string} */
              outcome: 'delivered' | 'retrying' | 'failed' | 'disabled' | 'refused';
              error?: string;
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  redeliverJobWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Job id returned by POST /v1/jobs */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The job has not ended */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  postDropFolderEvents: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          Records: unknown[];
        };
      };
    };
    responses: {
      /** @description Jobs created */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            created: number;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description No drop folders configured */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        tenant?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Keys */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              id: string;
              tenant: string;
              scopes: ('jobs:write' | 'jobs:read' | 'webhooks:admin' | 'admin')[];
              name?: string;
              createdAt: string;
              revokedAt?: string;
            }[];
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          tenant: string;
          scopes: ('jobs:write' | 'jobs:read' | 'webhooks:admin' | 'admin')[];
          name?: string;
        };
      };
    };
    responses: {
      /** @description Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            tenant: string;
            scopes: ('jobs:write' | 'jobs:read' | 'webhooks:admin' | 'admin')[];
            name?: string;
            createdAt: string;
            revokedAt?: string;
            /** @description rk_… — shown once */
            key: string;
          };
        };
      };
      /** @description Invalid tenant or scopes */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            tenant: string;
            scopes: ('jobs:write' | 'jobs:read' | 'webhooks:admin' | 'admin')[];
            name?: string;
            createdAt: string;
            revokedAt?: string;
          };
        };
      };
      /** @description No, invalid or revoked credentials (`unauthorized`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description The key lacks the scope this route needs (`forbidden`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Unknown key */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Over the tenant's request budget or open event streams and long-polls (`rate_limited`), or quota (`quota_exceeded`); see `Retry-After` and `RateLimit-*` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
      /** @description Redis, the object store or the identity provider (JWT key set) is unavailable (`queue_unavailable`, `storage_unavailable`, `auth_unavailable`); nothing was changed */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /** @enum {string} */
              code:
                | 'bad_request'
                | 'validation_failed'
                | 'not_found'
                | 'method_not_allowed'
                | 'payload_too_large'
                | 'unsupported_media_type'
                | 'corrupt_document'
                | 'encrypted_document'
                | 'too_many_pages'
                | 'image_too_large'
                | 'result_not_ready'
                | 'storage_unavailable'
                | 'queue_unavailable'
                | 'inference_failed'
                | 'inference_unavailable'
                | 'conflict'
                | 'unauthorized'
                | 'forbidden'
                | 'auth_unavailable'
                | 'rate_limited'
                | 'quota_exceeded'
                | 'internal';
              message: string;
              details?: unknown;
            };
          };
        };
      };
    };
  };
  webhook_job_succeeded: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial';
          timestamp: string;
          data: {
            id: string;
            state: string;
            clientRef?: string;
            metadata?: {
              [key: string]: unknown;
            };
            pagesTotal: number;
            pagesDone: number;
            pagesFailed: number;
            error?: {
              code: string;
              message: string;
            };
            links: {
              self: string;
              result?: string;
            };
          };
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges; 410 disables the endpoint; other answers are retried */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_job_failed: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial';
          timestamp: string;
          data: {
            id: string;
            state: string;
            clientRef?: string;
            metadata?: {
              [key: string]: unknown;
            };
            pagesTotal: number;
            pagesDone: number;
            pagesFailed: number;
            error?: {
              code: string;
              message: string;
            };
            links: {
              self: string;
              result?: string;
            };
          };
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges; 410 disables the endpoint; other answers are retried */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_job_canceled: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial';
          timestamp: string;
          data: {
            id: string;
            state: string;
            clientRef?: string;
            metadata?: {
              [key: string]: unknown;
            };
            pagesTotal: number;
            pagesDone: number;
            pagesFailed: number;
            error?: {
              code: string;
              message: string;
            };
            links: {
              self: string;
              result?: string;
            };
          };
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges; 410 disables the endpoint; other answers are retried */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  webhook_job_partial: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': {
          /** @enum {string} */
          type: 'job.succeeded' | 'job.failed' | 'job.canceled' | 'job.partial';
          timestamp: string;
          data: {
            id: string;
            state: string;
            clientRef?: string;
            metadata?: {
              [key: string]: unknown;
            };
            pagesTotal: number;
            pagesDone: number;
            pagesFailed: number;
            error?: {
              code: string;
              message: string;
            };
            links: {
              self: string;
              result?: string;
            };
          };
        };
      };
    };
    responses: {
      /** @description Any 2xx acknowledges; 410 disables the endpoint; other answers are retried */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
