import * as grpc from '@grpc/grpc-js';
import { RocheError } from '@roche/core';
import { CircuitBreaker } from './circuit-breaker.js';
import { metrics } from '@roche/telemetry';
import { FRAME_HEADER_BYTES, frameInPlace } from './frame-in-place.js';
import { encodeInferRequest, inferRequestLength, MessagePool, type InferCall } from './infer-request.js';
import { loadKserve, type InferResponse, type ModelMetadata } from './proto.js';

export interface TritonClientOptions {
  /** `host:port` of Triton's gRPC endpoint (8001 by default). */
  url: string;
  /** Per-call deadline. */
  timeoutMs?: number;
  /** Retries of UNAVAILABLE / DEADLINE_EXCEEDED with exponential backoff (from `backoffMs`). */
  retries?: number;
  /**
   * Retry calls that ran out of time (default true). Off for PaddleX HPS: a whole pipeline that
   * overran its deadline on a page will overrun it again, and the server is still busy with it.
   */
  retryDeadline?: boolean;
  backoffMs?: number;
  breaker?: CircuitBreaker;
  /** Largest message accepted from Triton; batches of page tensors exceed grpc-js's 4 MiB default. */
  maxMessageBytes?: number;
}

/** How long a failed call's request buffer rests before it is reused (see `once`). */
const RELEASE_AFTER_FAILURE_MS = 2000;

const RETRYABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.RESOURCE_EXHAUSTED]);

type Unary = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void;

/**
 * KServe v2 gRPC client for Triton. Errors become RocheErrors: `inference_unavailable`
 * (retryable: server down, restarting, overloaded, circuit open) or `inference_failed` (the request
 * itself is wrong: unknown model, bad shape), so workers retry the first and fail the page on the
 * second.
 */
/** Writing a ModelInfer request threw (in the client, before anything was sent). */
class RequestEncodingError extends Error {
  constructor(override readonly cause: unknown) {
    super('could not encode the request', { cause });
  }
}

export class TritonClient {
  private readonly stub: grpc.Client & Record<string, Unary>;
  private readonly modelInfer: grpc.MethodDefinition<InferCall, InferResponse>;
  /** Encoded ModelInfer requests, reused once their call has completed (infer-request.ts). */
  private readonly messages = new MessagePool();
  readonly breaker: CircuitBreaker;

  constructor(private readonly opts: TritonClientOptions) {
    const pkg = loadKserve() as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
    this.modelInfer = pkg.inference.GRPCInferenceService.service.ModelInfer as unknown as grpc.MethodDefinition<InferCall, InferResponse>;
    const max = opts.maxMessageBytes ?? 512 * 1024 * 1024;
    this.stub = new pkg.inference.GRPCInferenceService(opts.url, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': max,
      'grpc.max_send_message_length': max,
      // Reconnect quickly after a Triton restart; the circuit breaker, not the channel, paces retries.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
    }) as never;
    this.breaker = opts.breaker ?? new CircuitBreaker();
  }

  /** Request buffers waiting for the next ModelInfer (each call's goes back when it ends, a failed one's a little later). */
  get spareRequestBuffers(): number {
    return this.messages.spare;
  }

  private once<T>(method: string, req: unknown): Promise<T> {
    const end = metrics.tritonRpc.startTimer({ method });
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + (this.opts.timeoutMs ?? 30_000));
      let message: Buffer | undefined;
      let encodeError: { error: unknown } | undefined;
      const done = (e: grpc.ServiceError | null, r: unknown) => {
        // An answer means the server read the whole request. After a failure the socket may still be
        // sending the rest of it from the buffer (it is framed in place) to a stream that is gone, so
        // the buffer goes back a little later (bytes changed by then only reach a stream that was
        // reset); dropping it instead cost a fresh buffer per attempt while Triton was down.
        const m = message;
        if (m && (!e || encodeError)) this.messages.release(m);
        else if (m) setTimeout(() => this.messages.release(m), RELEASE_AFTER_FAILURE_MS).unref();
        end({ outcome: encodeError ? 'encode_error' : e ? (grpc.status[e.code] ?? 'error') : 'ok' });
        // grpc-js reports a throwing serializer as INTERNAL, as if the server had refused the request.
        if (encodeError) reject(new RequestEncodingError(encodeError.error));
        else if (e) reject(e);
        else resolve(r as T);
      };
      if (method !== 'ModelInfer') return this.stub[method]!.call(this.stub, req, new grpc.Metadata(), { deadline }, done);
      // Pages are written once into a pooled buffer instead of going through protobufjs, after
      // room for gRPC's frame header, which grpc-js then writes there (frame-in-place.ts).
      const serialize = (r: InferCall) => {
        try {
          message = this.messages.acquire(FRAME_HEADER_BYTES + inferRequestLength(r));
          return frameInPlace(encodeInferRequest(r, message.subarray(FRAME_HEADER_BYTES)));
        } catch (error) {
          encodeError = { error };
          throw error;
        }
      };
      this.stub.makeUnaryRequest(
        this.modelInfer.path,
        serialize,
        this.modelInfer.responseDeserialize,
        req as InferCall,
        new grpc.Metadata(),
        { deadline },
        done,
      );
    });
  }

  async call<T>(method: string, req: unknown): Promise<T> {
    const retries = this.opts.retries ?? 3;
    const backoff = this.opts.backoffMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      if (!this.breaker.allow()) {
        throw new RocheError(
          'inference_unavailable',
          `Triton at ${this.opts.url} is failing; circuit open for another ${this.breaker.retryInMs()} ms`,
          { retryable: true },
        );
      }
      try {
        const r = await this.once<T>(method, req);
        this.breaker.success();
        return r;
      } catch (e) {
        // The request could not be written (a page's tensor): nothing reached Triton, which is not at fault.
        if (e instanceof RequestEncodingError) throw e.cause;
        const err = e as grpc.ServiceError;
        if (!RETRYABLE.has(err.code) || (err.code === grpc.status.DEADLINE_EXCEEDED && this.opts.retryDeadline === false)) {
          // The server answered: it is up, the request is at fault.
          this.breaker.success();
          throw new RocheError(
            'inference_failed',
            `Triton ${method}: ${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`,
            { retryable: false, cause: e },
          );
        }
        this.breaker.failure();
        if (attempt >= retries) {
          throw new RocheError(
            'inference_unavailable',
            `Triton ${method} at ${this.opts.url}: ${grpc.status[err.code]}: ${err.details || err.message}`,
            { retryable: true, cause: e },
          );
        }
        await new Promise((r) => setTimeout(r, backoff * 2 ** attempt * (0.8 + 0.4 * Math.random())));
      }
    }
  }

  async serverLive(): Promise<boolean> {
    return (await this.call<{ live: boolean }>('ServerLive', {})).live;
  }
  async serverReady(): Promise<boolean> {
    return (await this.call<{ ready: boolean }>('ServerReady', {})).ready;
  }
  async modelReady(name: string, version = ''): Promise<boolean> {
    return (await this.call<{ ready: boolean }>('ModelReady', { name, version })).ready;
  }
  async modelMetadata(name: string, version = ''): Promise<ModelMetadata> {
    return this.call<ModelMetadata>('ModelMetadata', { name, version });
  }
  /**
   * The model's configuration as far as Roche reads it (max_batch_size: 0 means no batching), or
   * undefined when the server has no ModelConfig: it is Triton's extension, and another KServe v2
   * server may answer UNIMPLEMENTED.
   */
  async modelConfig(
    name: string,
    version = '',
  ): Promise<{ name: string; platform: string; max_batch_size: number; backend: string } | undefined> {
    try {
      return (
        await this.call<{ config: { name: string; platform: string; max_batch_size: number; backend: string } }>('ModelConfig', {
          name,
          version,
        })
      ).config;
    } catch (e) {
      if ((e as { cause?: { code?: number } }).cause?.code === grpc.status.UNIMPLEMENTED) return undefined;
      throw e;
    }
  }
  async infer(req: InferCall): Promise<InferResponse> {
    return this.call<InferResponse>('ModelInfer', req);
  }

  close(): void {
    this.stub.close();
  }
}
