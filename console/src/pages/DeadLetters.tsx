import { useEffect, useState } from 'preact/hooks';
import { api, get, post, qs, type PageOf } from '../api';
import { dateTime, latencyText, timeAgo } from '../format';
import type { Delivery } from '../types';
import { EndpointSelect, Empty, ErrorBox, Loading, PageHeader, loadEndpoints, useLoad } from '../ui';
import { useNow } from './Deliveries';

function isoOrUndefined(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function DeadLettersPage({ query }: { query: URLSearchParams }) {
  const endpoints = useLoad(loadEndpoints, []);
  const [endpoint, setEndpoint] = useState(query.get('endpoint') ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [msg, setMsg] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [confirmPurge, setConfirmPurge] = useState(false);
  const now = useNow();

  useEffect(() => {
    if (!endpoint && endpoints.data && endpoints.data.length > 0) setEndpoint(endpoints.data[0].id);
  }, [endpoints.data]);

  const window = { from: isoOrUndefined(from), to: isoOrUndefined(to) };
  const list = useLoad<Delivery[]>(
    async () => (endpoint ? (await get<PageOf<Delivery>>(`/v2/webhooks/${endpoint}/dead-letters${qs({ ...window, limit: 100 })}`)).data : []),
    [endpoint, from, to],
  );

  const act = async (fn: () => Promise<string>) => {
    setError(null);
    try {
      setMsg(await fn());
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div>
      <PageHeader title="Dead Letters" intro="Deliveries that exhausted their retries. Replay them once the endpoint is fixed, or purge them." />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Dead letter window">
        <div>
          <label for="dl-endpoint">Endpoint</label>
          <EndpointSelect id="dl-endpoint" endpoints={endpoints.data ?? []} value={endpoint} onChange={setEndpoint} />
        </div>
        <div>
          <label for="dl-from">From</label>
          <input id="dl-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="dl-to">To</label>
          <input id="dl-to" type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </div>
      </form>
      {endpoint ? (
        <div class="row wrap">
          <button
            type="button"
            class="btn btn-primary"
            onClick={() =>
              act(async () => {
                const r = await post<{ replayed: number }>(`/v2/webhooks/${endpoint}/dead-letters/replay`, window);
                return `Replayed ${r.replayed} dead letter${r.replayed === 1 ? '' : 's'}`;
              })
            }
          >
            Replay all in window
          </button>
          <button type="button" class="btn btn-danger" onClick={() => setConfirmPurge(true)}>
            Purge all in window
          </button>
        </div>
      ) : null}
      {confirmPurge ? (
        <div class="confirm" role="alertdialog" aria-labelledby="purge-q">
          <p id="purge-q">Purge every dead letter of this endpoint in the window? This cannot be undone.</p>
          <button
            type="button"
            class="btn btn-danger"
            onClick={() =>
              act(async () => {
                setConfirmPurge(false);
                const r = await api<any>('DELETE', `/v2/webhooks/${endpoint}/dead-letters${qs(window)}`);
                const n = r && typeof r === 'object' ? (r.purged ?? r.deleted ?? '') : '';
                return `Purged ${n} dead letters`.replace('  ', ' ');
              })
            }
          >
            Confirm purge
          </button>
          <button type="button" class="btn" onClick={() => setConfirmPurge(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      <p role="status" class="notice">
        {msg}
      </p>
      <ErrorBox error={error} />
      <ErrorBox error={endpoints.error ?? list.error} />
      {endpoints.data && endpoints.data.length === 0 ? <Empty>No endpoints yet.</Empty> : null}
      {list.loading && !list.data ? <Loading what="dead letters" /> : null}
      {list.data && endpoint && list.data.length === 0 ? <Empty>No dead letters for this endpoint. Good.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Last status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Dead since</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id} data-delivery-id={d.id}>
                  <td>
                    <a href={`#/deliveries/${d.id}`}>{d.event_type}</a>
                  </td>
                  <td>
                    {d.last_status_code ?? '—'} · {latencyText(d.last_latency_ms)}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.last_error ?? '—'}</td>
                  <td title={dateTime(d.finished_at ?? d.updated_at)}>{timeAgo(d.finished_at ?? d.updated_at, now)}</td>
                  <td class="row">
                    <button type="button" class="btn btn-small" onClick={() => act(async () => (await post(`/v2/webhooks/${endpoint}/dead-letters/${d.id}/replay`), `Replayed ${d.id}`))}>
                      Replay
                    </button>
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      onClick={() => act(async () => (await api('DELETE', `/v2/webhooks/${endpoint}/dead-letters/${d.id}`), `Purged ${d.id}`))}
                    >
                      Purge
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
