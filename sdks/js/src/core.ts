import { randomUUID } from 'node:crypto';
import { APIConnectionError, APIError, APITimeoutError, CloudNexusError, type Problem } from './errors.js';

export const VERSION = '0.1.0';
export const DEFAULT_BASE_URL = 'https://api.cloudnexus.io/v2';

export interface ClientOptions {
  /** Default `CLOUDNEXUS_BASE_URL`, else `https://api.cloudnexus.io/v2`. */
  baseUrl?: string;
  /** Sent as `X-CloudNexus-Id`. Optional with an API key (a key belongs to one account); default `CN_ACCOUNT_ID`. */
  accountId?: string;
  /** Per attempt, in milliseconds (default 60,000). */
  timeout?: number;
  /** Retries after the first attempt for 408/429/502/503/504 and connection errors (default 2). */
  maxRetries?: number;
  /** First backoff delay in ms (default 500), doubled per retry, with jitter. */
  initialRetryDelay?: number;
  /** Largest backoff delay in ms (default 8,000); a longer `Retry-After` is still honoured up to `maxRetryAfter`. */
  maxRetryDelay?: number;
  /** Longest `Retry-After` (seconds) the client waits for; a longer one ends the retries (default 60). */
  maxRetryAfter?: number;
  /** A `fetch` implementation (default the global one). */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  defaultHeaders?: Record<string, string>;
}

export interface RequestOptions {
  query?: Record<string, unknown>;
  body?: unknown;
  /** For POST: the `Idempotency-Key` (default: a new one per call, kept across its retries). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeout?: number;
  maxRetries?: number;
}

const RETRY_STATUSES = new Set([408, 429, 502, 503, 504]);

function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.[name];
  return v && v.length > 0 ? v : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers): number | undefined {
  const v = headers.get('retry-after');
  if (v == null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function queryString(query?: Record<string, unknown>): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    params.append(k, Array.isArray(v) ? v.join(',') : v instanceof Date ? v.toISOString() : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The HTTP core shared by every resource: auth, retries with backoff, idempotency keys, typed errors. */
export class HttpClient {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly accountId: string | undefined;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly initialRetryDelay: number;
  readonly maxRetryDelay: number;
  readonly maxRetryAfter: number;
  readonly defaultHeaders: Record<string, string>;
  private readonly fetchImpl: typeof fetch;

  constructor(apiKey: string | undefined, options: ClientOptions = {}) {
    const key = apiKey ?? env('CN_API_KEY');
    if (!key) {
      throw new CloudNexusError('No API key: pass it to new CloudNexus(apiKey) or set CN_API_KEY');
    }
    this.apiKey = key;
    this.baseUrl = (options.baseUrl ?? env('CLOUDNEXUS_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.accountId = options.accountId ?? env('CN_ACCOUNT_ID');
    this.timeout = options.timeout ?? 60_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.initialRetryDelay = options.initialRetryDelay ?? 500;
    this.maxRetryDelay = options.maxRetryDelay ?? 8_000;
    this.maxRetryAfter = options.maxRetryAfter ?? 60;
    this.defaultHeaders = options.defaultHeaders ?? {};
    const f = options.fetch ?? (globalThis.fetch as typeof fetch | undefined);
    if (!f) throw new CloudNexusError('No global fetch: use Node 18+ or pass options.fetch');
    this.fetchImpl = f;
  }

  headers(extra?: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
      ...this.defaultHeaders,
    };
    if ((globalThis as { process?: unknown }).process) h['user-agent'] = `cloudnexus-js/${VERSION}`;
    if (this.accountId) h['x-cloudnexus-id'] = this.accountId;
    return { ...h, ...extra };
  }

  /** Backoff before retry number `retry` (1-based): exponential with jitter, or the server's `Retry-After`. */
  backoff(retry: number, headers?: Headers): number | undefined {
    const ra = headers ? retryAfterMs(headers) : undefined;
    if (ra !== undefined) {
      if (ra > this.maxRetryAfter * 1000) return undefined;
      return ra;
    }
    const base = Math.min(this.maxRetryDelay, this.initialRetryDelay * 2 ** (retry - 1));
    return base / 2 + Math.random() * (base / 2);
  }

  /** Opens a request with retries and returns the successful `Response` (body unread). */
  async fetch(method: string, path: string, opts: RequestOptions & { accept?: string; stream?: boolean } = {}): Promise<Response> {
    const url = this.baseUrl + path + queryString(opts.query);
    const extra: Record<string, string> = { ...opts.headers };
    if (opts.accept) extra.accept = opts.accept;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      extra['content-type'] = 'application/json';
    }
    if (method === 'POST') extra['idempotency-key'] = opts.idempotencyKey ?? randomUUID();
    const headers = this.headers(extra);
    const maxRetries = opts.maxRetries ?? this.maxRetries;
    const timeout = opts.timeout ?? this.timeout;
    for (let attempt = 0; ; attempt++) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = opts.stream ? undefined : setTimeout(() => { timedOut = true; controller.abort(); }, timeout);
      const onAbort = () => controller.abort(opts.signal!.reason);
      if (opts.signal?.aborted) throw opts.signal.reason;
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let response: Response;
      try {
        response = await this.fetchImpl(url, { method, headers, body, signal: controller.signal });
      } catch (e) {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (opts.signal?.aborted) throw opts.signal.reason;
        const err = timedOut
          ? new APITimeoutError(`${method} ${path}: no answer within ${timeout} ms`, { cause: e })
          : new APIConnectionError(`${method} ${path}: ${(e as Error)?.message ?? e}`, { cause: e });
        const wait = attempt < maxRetries ? this.backoff(attempt + 1) : undefined;
        if (wait === undefined) throw err;
        await sleep(wait, opts.signal);
        continue;
      }
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (response.ok) return response;
      const text = await response.text().catch(() => '');
      let problem: Problem;
      try {
        const parsed = text ? JSON.parse(text) : {};
        problem = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : { detail: text };
      } catch {
        problem = { title: response.statusText || undefined, detail: text || undefined };
      }
      if (problem.status === undefined) problem.status = response.status;
      const error = APIError.from(response.status, problem, response.headers);
      const retryable =
        RETRY_STATUSES.has(response.status) ||
        (response.status === 409 && typeof problem.type === 'string' && problem.type.endsWith('idempotency-in-progress'));
      const wait = retryable && attempt < maxRetries ? this.backoff(attempt + 1, response.headers) : undefined;
      if (wait === undefined) throw error;
      await sleep(wait, opts.signal);
    }
  }

  /** A JSON request: returns the parsed body (undefined for an empty one). */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const response = await this.fetch(method, path, opts);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** `encodeURIComponent` for a path segment. */
export function seg(id: string): string {
  if (typeof id !== 'string' || id.length === 0) throw new CloudNexusError('An id is required');
  return encodeURIComponent(id);
}
