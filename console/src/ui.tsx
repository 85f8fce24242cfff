import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText, get, type PageOf } from './api';
import type { Endpoint, EventType } from './types';

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const rid = error instanceof ApiError ? error.requestId : '';
  return (
    <div class="error" role="alert">
      <strong>{error instanceof ApiError ? error.title : 'Error'}</strong>
      {error instanceof ApiError ? (error.detail ? <span>: {error.detail}</span> : null) : <span>: {errorText(error)}</span>}
      {rid ? <div class="rid">Request id: <code>{rid}</code></div> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function PageHeader({ title, intro, children }: { title: string; intro?: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        {intro ? <p class="intro">{intro}</p> : null}
      </div>
      {children ? <div class="page-actions">{children}</div> : null}
    </header>
  );
}

export function Badge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={`badge badge-${kind}`}>{children}</span>;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState<string>('');
  return (
    <span class="copy">
      <button
        type="button"
        class="btn btn-small"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setDone('Copied');
          } catch {
            setDone('Select the text and copy it');
          }
        }}
      >
        {label}
      </button>
      <span role="status" class="copy-status">
        {done}
      </span>
    </span>
  );
}

/**
 * A secret shown exactly once (an endpoint's signing secret, a new API key, an OAuth client's secret): the
 * value with a copy button, and a button that drops it (the caller forgets it then).
 */
export function SecretOnce({
  secret,
  title,
  noun = 'secret',
  onDone,
  children,
}: {
  secret: string;
  title: string;
  noun?: string;
  onDone: () => void;
  children?: ComponentChildren;
}) {
  return (
    <section class="card secret" aria-labelledby="secret-title">
      <h2 id="secret-title">{title}</h2>
      <p>
        It is shown only this once. {children}
      </p>
      <p class="secret-row">
        <code class="secret-value" data-testid="secret">
          {secret}
        </code>
        <CopyButton text={secret} label={`Copy ${noun}`} />
      </p>
      <button type="button" class="btn" onClick={onDone}>
        I have saved the {noun}
      </button>
    </section>
  );
}

/** Loads something once (and again when deps change). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (t: T) => void;
} {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      })
      .catch((e) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { data, error, loading, reload: () => setN((x) => x + 1), setData };
}

let catalogCache: Promise<EventType[]> | null = null;
export function loadCatalog(): Promise<EventType[]> {
  if (!catalogCache) {
    catalogCache = get<{ data: EventType[] }>('/v2/events/types').then((r) => r.data);
    catalogCache.catch(() => (catalogCache = null));
  }
  return catalogCache;
}

export async function loadEndpoints(): Promise<Endpoint[]> {
  const all: Endpoint[] = [];
  let after = '';
  for (let i = 0; i < 10; i++) {
    const page = await get<PageOf<Endpoint>>(`/v2/webhooks?limit=100${after ? `&starting_after=${after}` : ''}`);
    all.push(...page.data);
    if (!page.has_more || page.data.length === 0) break;
    after = page.data[page.data.length - 1].id;
  }
  return all;
}

export function EndpointSelect({
  endpoints,
  value,
  onChange,
  id,
  allowAll,
}: {
  endpoints: Endpoint[];
  value: string;
  onChange: (v: string) => void;
  id: string;
  allowAll?: boolean;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      {allowAll ? <option value="">All endpoints</option> : null}
      {!allowAll && endpoints.length === 0 ? <option value="">No endpoints yet</option> : null}
      {endpoints.map((e) => (
        <option value={e.id} key={e.id}>
          {e.url} ({e.id})
        </option>
      ))}
    </select>
  );
}

export function endpointLabel(endpoints: Endpoint[] | undefined, id: string): string {
  const e = endpoints?.find((x) => x.id === id);
  return e ? e.url : id;
}
