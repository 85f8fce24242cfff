import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, post, qs, type PageOf } from '../api';
import { dateTime, deliveryStatusText, latencyText, timeAgo } from '../format';
import { applyFrame, freshest, subscribe } from '../stream';
import type { Attempt, Delivery, Endpoint } from '../types';
import { EndpointSelect, Empty, ErrorBox, Loading, PageHeader, endpointLabel, loadCatalog, loadEndpoints, useLoad } from '../ui';

const PAGE_SIZE = 50;
const FETCH_SIZE = 100;

/** Re-renders every few seconds so "2m ago" stays true. */
export function useNow(ms = 10000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(t);
  }, [ms]);
  return now;
}

export function statusKind(d: Delivery): string {
  return d.status === 'delivered' ? 'ok' : d.status === 'retrying' ? 'retry' : d.status === 'dead' ? 'dead' : 'pending';
}

export function DeliveryRow({ d, now, endpoints }: { d: Delivery; now: number; endpoints?: Endpoint[] }) {
  return (
    <tr data-delivery-id={d.id} data-status={d.status}>
      <td>
        <a href={`#/deliveries/${d.id}`} title={endpointLabel(endpoints, d.endpoint_id)}>
          {d.event_type}
        </a>
        {d.test ? <span class="tag small">test</span> : null}
      </td>
      <td>
        <span class={`status status-${statusKind(d)}`}>{deliveryStatusText(d)}</span>
      </td>
      <td>{latencyText(d.last_latency_ms)}</td>
      <td>
        <time dateTime={d.created_at} title={dateTime(d.created_at)}>
          {timeAgo(d.created_at, now)}
        </time>
      </td>
    </tr>
  );
}

export function DeliveryTable({ rows, now, endpoints, caption }: { rows: Delivery[]; now: number; endpoints?: Endpoint[]; caption: string }) {
  return (
    <div class="table-wrap">
      <table class="deliveries">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Response</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <DeliveryRow d={d} now={now} endpoints={endpoints} key={d.id} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const WINDOWS: Record<string, number> = { '15m': 15 * 60e3, '1h': 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };

function listPath(endpoint: string, params: Record<string, string | number | undefined>) {
  return `${endpoint ? `/v2/webhooks/${endpoint}/deliveries` : '/v2/webhooks/deliveries'}${qs(params)}`;
}

export function DeliveriesPage({ query }: { query: URLSearchParams }) {
  const endpoints = useLoad(loadEndpoints, []);
  const catalog = useLoad(loadCatalog, []);
  const [endpoint, setEndpoint] = useState(query.get('endpoint') ?? '');
  const [eventType, setEventType] = useState(query.get('event') ?? '');
  const [status, setStatus] = useState(query.get('status') ?? '');
  const [windowKey, setWindowKey] = useState(query.get('window') ?? '');
  const [rows, setRows] = useState<Delivery[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [page, setPage] = useState(0);
  const now = useNow();
  const filterRef = useRef({ endpoint, eventType, status, windowKey });
  filterRef.current = { endpoint, eventType, status, windowKey };

  const params = () => {
    const f = filterRef.current;
    return {
      event: f.eventType || undefined,
      status: f.status || undefined,
      from: f.windowKey ? new Date(Date.now() - WINDOWS[f.windowKey]).toISOString() : undefined,
      limit: FETCH_SIZE,
    };
  };

  const loadFirst = async (quiet = false) => {
    if (!quiet) setLoading(true);
    try {
      const p = await get<PageOf<Delivery>>(listPath(filterRef.current.endpoint, params()));
      const loaded = p.data.map(freshest);
      setRows((old) => {
        if (!quiet) return loaded;
        const fresh = new Set(loaded.map((d) => d.id));
        return loaded.concat(old.filter((d) => !fresh.has(d.id)));
      });
      if (!quiet) {
        setHasMore(p.has_more);
        setPage(0);
      }
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  const loadMore = async () => {
    setLoading(true);
    try {
      const last = rows[rows.length - 1];
      const p = await get<PageOf<Delivery>>(listPath(endpoint, { ...params(), starting_after: last?.id }));
      setRows((old) => old.concat(p.data.filter((d) => !old.some((o) => o.id === d.id)).map(freshest)));
      setHasMore(p.has_more);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    loadFirst();
  }, [endpoint, eventType, status, windowKey]);

  useEffect(
    () =>
      subscribe({
        delivery: (f) => {
          let known = false;
          setRows((old) => {
            const i = old.findIndex((d) => d.id === f.delivery_id);
            if (i < 0) return old;
            known = true;
            const copy = old.slice();
            copy[i] = applyFrame(old[i], f);
            const st = filterRef.current.status;
            return st && copy[i].status !== st ? copy.filter((d) => d.id !== f.delivery_id) : copy;
          });
          if (!known) {
            const flt = filterRef.current;
            if ((flt.endpoint && flt.endpoint !== f.endpoint_id) || (flt.eventType && flt.eventType !== f.event) || (flt.status && flt.status !== f.status)) return;
            get<Delivery>(`/v2/webhooks/deliveries/${f.delivery_id}`)
              .then((d) => setRows((old) => (old.some((o) => o.id === d.id) ? old.map((o) => (o.id === d.id ? freshest(d) : o)) : [freshest(d), ...old])))
              .catch(() => undefined);
          }
        },
        poll: () => loadFirst(true),
      }),
    [],
  );

  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const visible = useMemo(() => rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE), [rows, current]);
  const types = catalog.data?.map((t) => t.type) ?? [];

  return (
    <div>
      <PageHeader title="Recent Deliveries" intro="Every event sent to your endpoints, newest first, updated live." />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Delivery filters">
        <div>
          <label for="f-endpoint">Endpoint</label>
          <EndpointSelect id="f-endpoint" endpoints={endpoints.data ?? []} value={endpoint} onChange={setEndpoint} allowAll />
        </div>
        <div>
          <label for="f-event">Event type</label>
          <select id="f-event" value={eventType} onChange={(e) => setEventType((e.target as HTMLSelectElement).value)}>
            <option value="">All event types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">All statuses</option>
            <option value="delivered">Delivered (2xx OK)</option>
            <option value="pending">Pending</option>
            <option value="retrying">Retry</option>
            <option value="dead">Dead</option>
          </select>
        </div>
        <div>
          <label for="f-window">Time</label>
          <select id="f-window" value={windowKey} onChange={(e) => setWindowKey((e.target as HTMLSelectElement).value)}>
            <option value="">Any time</option>
            <option value="15m">Last 15 minutes</option>
            <option value="1h">Last hour</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
          </select>
        </div>
      </form>
      <ErrorBox error={error} />
      {loading && rows.length === 0 ? <Loading what="deliveries" /> : null}
      {!loading && !error && rows.length === 0 ? <Empty>No deliveries match. Send a test from the Test &amp; Simulator page.</Empty> : null}
      {rows.length > 0 ? <DeliveryTable rows={visible} now={now} endpoints={endpoints.data} caption="Recent deliveries" /> : null}
      <nav class="pager" aria-label="Deliveries pages">
        <button type="button" class="btn btn-small" disabled={current === 0} onClick={() => setPage(current - 1)}>
          Previous
        </button>
        <span aria-live="polite" data-testid="pager-status">
          Page {current + 1} of {pages} · {rows.length} loaded{hasMore ? ', more available' : ''}
        </span>
        <button type="button" class="btn btn-small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
          Next
        </button>
        {hasMore ? (
          <button type="button" class="btn btn-small" disabled={loading} onClick={loadMore}>
            Load more
          </button>
        ) : null}
      </nav>
    </div>
  );
}

export function DeliveryDetailPage({ id }: { id: string }) {
  const delivery = useLoad(() => get<Delivery>(`/v2/webhooks/deliveries/${id}`), [id]);
  const attempts = useLoad(() => get<{ data: Attempt[] } | Attempt[]>(`/v2/webhooks/deliveries/${id}/attempts`), [id]);
  const [msg, setMsg] = useState('');
  const [error, setError] = useState<unknown>(null);
  const now = useNow();
  useEffect(
    () =>
      subscribe({
        delivery: (f) => {
          if (f.delivery_id === id) {
            delivery.reload();
            attempts.reload();
          }
        },
        poll: () => {
          delivery.reload();
          attempts.reload();
        },
      }),
    [id],
  );
  const list: Attempt[] = Array.isArray(attempts.data) ? attempts.data : (attempts.data?.data ?? []);
  const d = delivery.data;
  return (
    <div>
      <PageHeader title={`Delivery ${id}`}>
        <a class="btn" href="#/deliveries">
          Back to deliveries
        </a>
      </PageHeader>
      <ErrorBox error={delivery.error} />
      {delivery.loading && !d ? <Loading what="the delivery" /> : null}
      {d ? (
        <section class="card">
          <dl class="facts">
            <dt>Event</dt>
            <dd>
              {d.event_type} <code>{d.event_id}</code>
            </dd>
            <dt>Status</dt>
            <dd>
              <span class={`status status-${statusKind(d)}`}>{deliveryStatusText(d)}</span>
            </dd>
            <dt>Endpoint</dt>
            <dd>
              <code>{d.endpoint_id}</code>
            </dd>
            <dt>Attempts</dt>
            <dd>{d.attempts}</dd>
            <dt>Created</dt>
            <dd>
              {dateTime(d.created_at)} ({timeAgo(d.created_at, now)})
            </dd>
            {d.next_attempt_at ? (
              <>
                <dt>Next attempt</dt>
                <dd>{dateTime(d.next_attempt_at)}</dd>
              </>
            ) : null}
            {d.last_error ? (
              <>
                <dt>Last error</dt>
                <dd>{d.last_error}</dd>
              </>
            ) : null}
          </dl>
          <div class="row">
            <button
              type="button"
              class="btn btn-primary"
              onClick={async () => {
                setError(null);
                try {
                  await post(`/v2/webhooks/deliveries/${id}/redeliver`);
                  setMsg('Redelivery queued');
                  delivery.reload();
                } catch (e) {
                  setError(e);
                }
              }}
            >
              Redeliver
            </button>
            <span role="status">{msg}</span>
          </div>
          <ErrorBox error={error} />
        </section>
      ) : null}
      <section aria-labelledby="attempts-title">
        <h2 id="attempts-title">Attempts</h2>
        <ErrorBox error={attempts.error} />
        {attempts.loading && !attempts.data ? <Loading what="attempts" /> : null}
        {attempts.data && list.length === 0 ? <Empty>No attempt yet.</Empty> : null}
        {list.length > 0 ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Time</th>
                  <th scope="col">Status code</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Error class</th>
                  <th scope="col">Response excerpt</th>
                </tr>
              </thead>
              <tbody>
                {list.map((a) => (
                  <tr key={a.attempt}>
                    <td>{a.attempt}</td>
                    <td>{dateTime(a.attempted_at)}</td>
                    <td>{a.status_code ?? '—'}</td>
                    <td>{latencyText(a.latency_ms)}</td>
                    <td>{a.error_class ?? '—'}</td>
                    <td>
                      <code class="excerpt">{a.response_excerpt || '—'}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
