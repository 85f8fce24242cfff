// Same-origin calls to /console/session and /v2 with the session cookie and the CSRF token (memory only).

export interface Session {
  account_id: string;
  key_prefix: string;
  scopes: string[];
  tier: string;
  csrf_token: string;
  expires_at: string;
}

/** An RFC 9457 problem (or any failed call) as the console shows it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly requestId: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

let session: Session | null = null;
const sessionListeners = new Set<(s: Session | null) => void>();

export function currentSession(): Session | null {
  return session;
}

export function onSession(listener: (s: Session | null) => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

function setSession(s: Session | null) {
  session = s;
  sessionListeners.forEach((l) => l(s));
}

async function toError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id') ?? '';
  let title = res.statusText || `HTTP ${res.status}`;
  let detail = '';
  let rid = requestId;
  try {
    const text = await res.text();
    if (text) {
      const body = JSON.parse(text);
      if (body && typeof body === 'object') {
        if (typeof body.title === 'string') title = body.title;
        if (typeof body.detail === 'string') detail = body.detail;
        if (typeof body.request_id === 'string') rid = body.request_id;
        if (Array.isArray(body.valid_values)) detail += ` (valid values: ${body.valid_values.join(', ')})`;
      }
    }
  } catch {
    // not JSON: keep the status line
  }
  if (!title) title = `HTTP ${res.status}`;
  return new ApiError(res.status, title, detail, rid);
}

function networkError(e: unknown): ApiError {
  return new ApiError(0, 'Network error', e instanceof Error ? e.message : 'the request did not complete', '');
}

async function send(method: string, path: string, body?: unknown, csrf = true): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrf && session) {
    headers['X-CSRF-Token'] = session.csrf_token;
    headers['X-CloudNexus-Id'] = session.account_id;
  }
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw networkError(e);
  }
}

/** A /v2 call: the parsed JSON answer (null for 204), or an ApiError. A 401 means the session ended. */
export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && session) setSession(null);
    throw err;
  }
  if (res.status === 204) return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

/** At start-up: are we signed in? (the CSRF token comes back with the session, never from storage) */
export async function loadSession(): Promise<Session | null> {
  const res = await send('GET', '/console/session', undefined, false);
  if (res.ok) {
    setSession((await res.json()) as Session);
  } else {
    setSession(null);
  }
  return session;
}

export async function signIn(apiKey: string): Promise<Session> {
  const res = await send('POST', '/console/session', { api_key: apiKey }, false);
  if (!res.ok) throw await toError(res);
  const s = (await res.json()) as Session;
  setSession(s);
  return s;
}

export async function signOut(): Promise<void> {
  const res = await send('DELETE', '/console/session');
  if (!res.ok && res.status !== 401) throw await toError(res);
  setSession(null);
}

export interface PageOf<T> {
  data: T[];
  has_more: boolean;
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Something went wrong';
}
