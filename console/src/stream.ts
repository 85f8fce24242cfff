// The live stream: a single-use ticket, then a WebSocket on the same origin; reconnects with a new ticket and
// since=<last event id>; after repeated failures it falls back to polling (pages re-read what they show).
// Delivery frames can overtake the HTTP answer that tells a page about a delivery (a test's POST, a list's GET), and
// frames sent while the socket is down are not replayed: so the stream remembers the newest frame per delivery
// (freshest() applies it to whatever a page loads later), and every (re)connection asks the pages to re-read once.
import { api } from './api';
import type { Delivery, DeliveryFrame, Envelope } from './types';

export type StreamState = 'connecting' | 'live' | 'polling' | 'off';

type Listener = {
  event?: (e: Envelope) => void;
  delivery?: (d: DeliveryFrame) => void;
  poll?: () => void;
  state?: (s: StreamState) => void;
};

const listeners = new Set<Listener>();
let ws: WebSocket | null = null;
let state: StreamState = 'off';
let lastEventId: string | null = null;
let failures = 0;
let running = false;
let reconnectTimer: number | undefined;
let pollTimer: number | undefined;

const POLL_MS = 3000;
const HEALTHY_MS = 5000;
const REMEMBERED_FRAMES = 1000;
const latestFrames = new Map<string, DeliveryFrame>();

function time(iso: string | null | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/** The delivery as the frame says it is now; a frame older than what the row already shows changes nothing. */
export function applyFrame(d: Delivery, f: DeliveryFrame): Delivery {
  if (time(f.timestamp) < time(d.updated_at)) return d;
  return {
    ...d,
    status: f.status,
    attempts: Math.max(d.attempts, f.attempt ?? d.attempts),
    last_status_code: f.status_code ?? null,
    last_latency_ms: f.latency_ms ?? d.last_latency_ms,
    last_error: f.error_class ?? (f.status === 'delivered' ? null : d.last_error),
    next_attempt_at: f.next_attempt_at ?? null,
    updated_at: f.timestamp ?? d.updated_at,
  };
}

/** A delivery read over HTTP, brought up to the newest frame the stream has seen for it (if any). */
export function freshest(d: Delivery): Delivery {
  const f = latestFrames.get(d.id);
  return f ? applyFrame(d, f) : d;
}

function remember(f: DeliveryFrame) {
  latestFrames.delete(f.delivery_id);
  latestFrames.set(f.delivery_id, f);
  if (latestFrames.size > REMEMBERED_FRAMES) latestFrames.delete(latestFrames.keys().next().value as string);
}

export function wsUrl(path: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${path}`;
}

export function subscribe(l: Listener): () => void {
  listeners.add(l);
  l.state?.(state);
  return () => listeners.delete(l);
}

export function streamState(): StreamState {
  return state;
}

function setState(s: StreamState) {
  state = s;
  listeners.forEach((l) => l.state?.(s));
  if (s === 'polling' && pollTimer === undefined) {
    pollTimer = window.setInterval(() => listeners.forEach((l) => l.poll?.()), POLL_MS);
  } else if (s !== 'polling' && pollTimer !== undefined) {
    window.clearInterval(pollTimer);
    pollTimer = undefined;
  }
}

function scheduleReconnect() {
  if (!running) return;
  failures++;
  if (failures >= 3) setState('polling');
  const delay = Math.min(15000, 500 * 2 ** Math.min(failures, 5));
  reconnectTimer = window.setTimeout(connect, delay);
}

async function connect() {
  if (!running) return;
  if (state !== 'polling') setState('connecting');
  let url: string;
  try {
    const t = await api<{ ticket: string; url?: string }>('POST', '/v2/events/stream/tickets', {});
    url = t.url ?? `/v2/events/stream?ticket=${encodeURIComponent(t.ticket)}`;
    if (lastEventId) url += `&since=${encodeURIComponent(lastEventId)}`;
  } catch {
    scheduleReconnect();
    return;
  }
  if (!running) return;
  const socket = new WebSocket(wsUrl(url));
  ws = socket;
  let openedAt = 0;
  socket.onopen = () => {
    openedAt = Date.now();
    setState('live');
    // what changed while there was no socket (or before this page's first answer) is read once
    listeners.forEach((l) => l.poll?.());
  };
  socket.onmessage = (m) => {
    let frame: any;
    try {
      frame = JSON.parse(String(m.data));
    } catch {
      return;
    }
    if (frame.type === 'event' && frame.event) {
      lastEventId = frame.event.id ?? lastEventId;
      listeners.forEach((l) => l.event?.(frame.event as Envelope));
    } else if (frame.type === 'delivery') {
      remember(frame as DeliveryFrame);
      listeners.forEach((l) => l.delivery?.(frame as DeliveryFrame));
    }
  };
  socket.onclose = () => {
    if (ws === socket) ws = null;
    if (!running) return;
    // a stream that stayed up a while was healthy: start counting failures again. One that opens and closes
    // at once (a proxy that drops it, a refusing server) counts as a failure, so it ends in polling too.
    if (openedAt && Date.now() - openedAt >= HEALTHY_MS) failures = 0;
    scheduleReconnect();
  };
}

export function startStream() {
  if (running) return;
  running = true;
  failures = 0;
  connect();
}

export function stopStream() {
  running = false;
  window.clearTimeout(reconnectTimer);
  if (ws) {
    const s = ws;
    ws = null;
    s.onclose = null;
    s.close(1000);
  }
  lastEventId = null;
  latestFrames.clear();
  setState('off');
}
