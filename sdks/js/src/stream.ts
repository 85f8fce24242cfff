import { APIError, APIConnectionError } from './errors.js';
import { sleep, type HttpClient } from './core.js';
import type { WebhookEnvelope } from './webhooks.js';

export interface StreamParams {
  /** Catalogued types, `prefix.*` wildcards or `*` (default: every type). */
  types?: string[] | string;
  /** Resume after this event id (`evt_...`). */
  since?: string;
  /** Also yield `delivery` frames (attempts of your endpoints); default false: events only. */
  deliveries?: boolean;
  /** Stops the stream (the iterator then ends). */
  signal?: AbortSignal;
  /** Reconnects after a dropped connection, resuming after the last event (default true). */
  reconnect?: boolean;
  /** Consecutive failed reconnects before the error is thrown (default 10). */
  maxReconnects?: number;
  /** Called each time the stream is connected (the server answered 2xx): events from then on are yielded. */
  onOpen?: () => void;
}

export interface DeliveryFrame {
  type: 'delivery';
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  event: string;
  status: 'delivered' | 'retrying' | 'dead';
  attempt: number;
  status_code?: number | null;
  latency_ms?: number | null;
  error_class?: string;
  next_attempt_at?: string;
  timestamp: string;
}

export interface SseMessage {
  event?: string;
  id?: string;
  data: string;
  retry?: number;
}

/** Parses a Server-Sent Events byte stream into messages (comments and empty data skipped). */
export async function* parseSse(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let msg: { event?: string; id?: string; data: string[]; retry?: number } = { data: [] };
  const iterable: AsyncIterable<Uint8Array> =
    Symbol.asyncIterator in (body as object)
      ? (body as AsyncIterable<Uint8Array>)
      : readerIterable(body as ReadableStream<Uint8Array>);
  for await (const chunk of iterable) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // a CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk
      if (nl === buffer.length - 1 && buffer[nl] === '\r') break;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (msg.data.length > 0 || msg.retry !== undefined) {
          yield { event: msg.event, id: msg.id, data: msg.data.join('\n'), retry: msg.retry };
        }
        msg = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') msg.data.push(value);
      else if (field === 'event') msg.event = value;
      else if (field === 'id') msg.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) msg.retry = Number(value);
    }
  }
}

async function* readerIterable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    // also when the consumer stops early: close the connection
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * The live event stream (`GET /v2/events/stream`) over Server-Sent Events with `fetch` (it carries the
 * `Authorization` header, which a WebSocket cannot in browsers). Yields each event's envelope; reconnects
 * when the connection drops and resumes with `since` = the last event id, so nothing is missed or repeated.
 */
export async function* streamEvents(
  http: HttpClient,
  params: StreamParams = {},
): AsyncGenerator<WebhookEnvelope | DeliveryFrame> {
  const types = Array.isArray(params.types) ? params.types.join(',') : params.types;
  let since = params.since;
  let retryMs = 1000;
  let failures = 0;
  const maxReconnects = params.maxReconnects ?? 10;
  for (;;) {
    let response: Response;
    try {
      response = await http.fetch('GET', '/events/stream', {
        query: { types, since },
        accept: 'text/event-stream',
        headers: since ? { 'last-event-id': since } : undefined,
        signal: params.signal,
        stream: true,
        maxRetries: 0,
      });
    } catch (e) {
      if (params.signal?.aborted) return;
      const retryable = !(e instanceof APIError) || [408, 429, 502, 503, 504].includes(e.status);
      if (!retryable || params.reconnect === false || ++failures > maxReconnects) throw e;
      const ra = e instanceof APIError ? e.headers.get('retry-after') : null;
      const wait = ra && !isNaN(Number(ra)) ? Number(ra) * 1000 : Math.min(30_000, retryMs * 2 ** (failures - 1));
      try { await sleep(wait, params.signal); } catch { return; }
      continue;
    }
    params.onOpen?.();
    try {
      if (!response.body) throw new APIConnectionError('The event stream has no body');
      for await (const msg of parseSse(response.body)) {
        if (msg.retry !== undefined) retryMs = msg.retry;
        if (!msg.data) continue;
        let frame: { type?: string; event?: unknown };
        try { frame = JSON.parse(msg.data); } catch { continue; }
        failures = 0;
        if (frame.type === 'event' && frame.event && typeof frame.event === 'object') {
          const env = frame.event as WebhookEnvelope;
          if (env.id) since = env.id;
          yield env;
        } else if (frame.type === 'delivery' && params.deliveries) {
          yield frame as DeliveryFrame;
        }
      }
    } catch (e) {
      if (params.signal?.aborted) return;
      if (params.reconnect === false || ++failures > maxReconnects) throw e;
    }
    if (params.signal?.aborted) return;
    if (params.reconnect === false) return;
    try { await sleep(retryMs, params.signal); } catch { return; }
  }
}
