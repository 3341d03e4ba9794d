// Generated from the API's OpenAPI document by `npm run gen:client`; do not edit.
/* eslint-disable */
export interface paths {
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's most recent jobs, newest first */
    get: {
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
                  /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings ignore them. */
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
      };
    };
    put?: never;
    /**
     * Submit a document for layout analysis
     * @description Optional headers: `Idempotency-Key` (same key and body within 24 h returns the original job with 200; a different body 409), `X-Roche-Tenant`. Three ways: multipart/form-data with a `file` part (and optional `metadata`, `options`, `webhook` JSON parts and `clientRef`); application/json with an `s3://bucket/key` `source`; or the raw document bytes with any other content type. The type is sniffed from magic bytes.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'multipart/form-data': {
            /** @description binary */
            file: string;
            /** @description JSON object echoed in the job */
            metadata?: string;
            /** @description JSON object: pages, dpi, previews, overlays, crops, overrides, model */
            options?: string;
          };
          'application/json': {
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
              /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings ignore them. */
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
        /** @description Accepted. `Location` points at the job; `Retry-After` suggests when to poll. */
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
                /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings ignore them. */
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
        /** @description Malformed request */
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
        /** @description Storage or queue unavailable; nothing was accepted */
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    /** The models a job can pick with `options.model` (the default first), with their labels and layout settings */
    get: {
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
                labels: string[];
                /** @description PaddleX layout settings: threshold, layout_nms, ... */
                settings?: {
                  [key: string]: unknown;
                };
                serverModel?: string;
              }[];
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
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
    get: {
      parameters: {
        query?: {
          include?: 'result';
          /** @description Long-poll: answer at the next change of the job or after this many seconds */
          wait?: number;
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
                /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings ignore them. */
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete the job's record, input and results now (cancels it first if it is running) */
    delete: {
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
          content?: never;
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    get: {
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    post: {
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
                /** @description PaddleX serving's layout options, with PaddleX's semantics. Checked at submit against the job's engine: paddlex-hps refuses what its pipeline would ignore or reject (object-detection takes only layoutThreshold); engines without these settings ignore them. */
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    /** Overlay images, crops and per-page results linked from the result (302 to a presigned URL on S3) */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description Job id returned by POST /v1/jobs */
          id: string;
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
        /** @description Redirect to the object in S3 */
        302: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
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
    get: {
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    get: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
      };
    };
    put?: never;
    /** Create a tenant webhook endpoint */
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    get: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    /** Delete an endpoint */
    delete: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    /** Change url, events, description or `disabled` */
    patch: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
      };
    };
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
    get: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
      };
    };
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
    post: {
      parameters: {
        query?: never;
        header?: {
          /** @description Tenant (default `default`) */
          'x-roche-tenant'?: string;
        };
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
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
    /** S3/MinIO event notifications for the drop folders */
    post: {
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
          content?: never;
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness */
    get: {
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
          content?: never;
        };
      };
    };
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
    /** Readiness: Redis and the object store answer */
    get: {
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
          content?: never;
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
                  | 'internal';
                message: string;
                details?: unknown;
              };
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
