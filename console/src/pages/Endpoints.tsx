import { useEffect, useState } from 'preact/hooks';
import { api, post } from '../api';
import { byCategory, dateTime } from '../format';
import type { Endpoint, EventType } from '../types';
import { Badge, Empty, ErrorBox, Loading, PageHeader, SecretOnce, loadCatalog, loadEndpoints, useLoad } from '../ui';

function prefixesOf(types: EventType[]): string[] {
  const set = new Set<string>();
  for (const t of types) set.add(`${t.type.split('.')[0]}.*`);
  return [...set];
}

export function EventPicker({ catalog, value, onChange }: { catalog: EventType[]; value: string[]; onChange: (v: string[]) => void }) {
  const toggle = (f: string, on: boolean) => onChange(on ? [...value.filter((v) => v !== f), f] : value.filter((v) => v !== f));
  const all = value.includes('*');
  return (
    <fieldset class="picker">
      <legend>Events</legend>
      <label class="check">
        <input type="checkbox" checked={all} onChange={(e) => toggle('*', (e.target as HTMLInputElement).checked)} />
        All events (<code>*</code>)
      </label>
      {byCategory(catalog).map(([category, types]) => (
        <fieldset class="picker-group" key={category} disabled={all}>
          <legend>{category}</legend>
          {prefixesOf(types).map((w) => (
            <label class="check wildcard" key={w}>
              <input type="checkbox" checked={value.includes(w)} onChange={(e) => toggle(w, (e.target as HTMLInputElement).checked)} />
              <code>{w}</code>
            </label>
          ))}
          {types.map((t) => (
            <label class="check" key={t.type}>
              <input
                type="checkbox"
                checked={value.includes(t.type) || value.includes(`${t.type.split('.')[0]}.*`)}
                disabled={value.includes(`${t.type.split('.')[0]}.*`)}
                onChange={(e) => toggle(t.type, (e.target as HTMLInputElement).checked)}
              />
              <code>{t.type}</code>
            </label>
          ))}
        </fieldset>
      ))}
    </fieldset>
  );
}

function EndpointForm({
  initial,
  catalog,
  onSaved,
  onCancel,
}: {
  initial?: Endpoint;
  catalog: EventType[];
  onSaved: (e: Endpoint) => void;
  onCancel: () => void;
}) {
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [events, setEvents] = useState<string[]>(initial?.events ?? []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState('');
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (events.length === 0) {
      setMissing('Choose at least one event');
      return;
    }
    setMissing('');
    setBusy(true);
    setError(null);
    try {
      const body = { url, description, events };
      const saved = initial ? await api<Endpoint>('PATCH', `/v2/webhooks/${initial.id}`, body) : await post<Endpoint>('/v2/webhooks', body);
      onSaved(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby="endpoint-form-title">
      <h2 id="endpoint-form-title">{initial ? `Edit ${initial.id}` : 'New endpoint'}</h2>
      <label for="ep-url">Endpoint URL</label>
      <input id="ep-url" type="url" required value={url} placeholder="https://example.com/webhooks" onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
      <label for="ep-description">Description</label>
      <input id="ep-description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
      <EventPicker catalog={catalog} value={events} onChange={setEvents} />
      {missing ? (
        <p class="field-error" role="alert">
          {missing}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {initial ? 'Save endpoint' : 'Create endpoint'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const STATUS_LABEL: Record<string, string> = { active: 'Active', paused: 'Paused', disabled: 'Disabled' };

export function EndpointsPage() {
  const list = useLoad(loadEndpoints, []);
  const catalog = useLoad(loadCatalog, []);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [secret, setSecret] = useState<{ value: string; what: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');

  useEffect(() => setNotice(''), [editing]);

  const act = async (label: string, fn: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await fn();
      setNotice(label);
      list.reload();
    } catch (e) {
      setActionError(e);
    }
  };

  const endpoints = (list.data ?? []).filter((e) => {
    const f = filter.trim().toLowerCase();
    return !f || e.url.toLowerCase().includes(f) || (e.description ?? '').toLowerCase().includes(f) || e.status.includes(f) || e.events.some((x) => x.includes(f));
  });

  return (
    <div>
      <PageHeader title="Webhook Endpoints" intro="Receive real-time event notifications about your infrastructure. Configure endpoints, manage signatures, and monitor deliveries.">
        <button type="button" class="btn btn-primary" onClick={() => setEditing('new')}>
          Add endpoint
        </button>
      </PageHeader>
      {secret ? (
        <SecretOnce secret={secret.value} title={`${secret.what}: copy the signing secret now`} onDone={() => setSecret(null)}>
          Store it with your receiver; it verifies the Cloudnexus-Signature header.
        </SecretOnce>
      ) : null}
      {editing && catalog.data ? (
        <EndpointForm
          initial={editing === 'new' ? undefined : editing}
          catalog={catalog.data}
          onCancel={() => setEditing(null)}
          onSaved={(e) => {
            if (e.secret) setSecret({ value: e.secret, what: `Endpoint ${e.id} created` });
            setNotice(editing === 'new' ? `Endpoint ${e.id} created` : `Endpoint ${e.id} saved`);
            setEditing(null);
            list.reload();
          }}
        />
      ) : null}
      {editing && catalog.error ? <ErrorBox error={catalog.error} /> : null}
      <section aria-labelledby="endpoint-config">
        <h2 id="endpoint-config">Endpoint Configuration</h2>
        <div class="toolbar">
          <label for="ep-filter">Filter endpoints</label>
          <input id="ep-filter" type="search" value={filter} placeholder="URL, status or event" onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        </div>
        <p role="status" class="notice">
          {notice}
        </p>
        <ErrorBox error={actionError} />
        {list.loading && !list.data ? <Loading what="endpoints" /> : null}
        <ErrorBox error={list.error} />
        {list.data && list.data.length === 0 ? <Empty>No endpoints yet. Add one to start receiving events.</Empty> : null}
        {list.data && list.data.length > 0 && endpoints.length === 0 ? <Empty>No endpoint matches the filter.</Empty> : null}
        <ul class="endpoint-list">
          {endpoints.map((e) => (
            <li class="card endpoint" key={e.id} data-endpoint-id={e.id}>
              <div class="endpoint-head">
                <Badge kind={e.status}>{STATUS_LABEL[e.status] ?? e.status}</Badge>
                <span class="endpoint-url">{e.url}</span>
              </div>
              {e.description ? <p class="muted">{e.description}</p> : null}
              {e.status === 'disabled' && e.disabled_reason ? <p class="warn">Disabled: {e.disabled_reason}</p> : null}
              {e.failing_since ? <p class="warn">Failing since {dateTime(e.failing_since)}</p> : null}
              <p class="muted">
                {e.events.includes('*') ? 'Receives all selected events' : 'Events: '}
                {e.events.includes('*') ? null : e.events.map((x) => <code class="tag" key={x}>{x}</code>)}
              </p>
              <p class="muted small">
                <code>{e.id}</code> · {e.rate_limit ?? '—'} req/s
                {e.previous_secret_expires_at ? ` · previous secret valid until ${dateTime(e.previous_secret_expires_at)}` : ''}
              </p>
              <div class="row wrap">
                <button type="button" class="btn btn-small" onClick={() => setEditing(e)}>
                  Edit
                </button>
                {e.status === 'active' ? (
                  <button type="button" class="btn btn-small" onClick={() => act(`Endpoint ${e.id} paused`, () => post(`/v2/webhooks/${e.id}/pause`))}>
                    Pause
                  </button>
                ) : null}
                {e.status === 'paused' ? (
                  <button type="button" class="btn btn-small" onClick={() => act(`Endpoint ${e.id} resumed`, () => post(`/v2/webhooks/${e.id}/resume`))}>
                    Resume
                  </button>
                ) : null}
                {e.status === 'disabled' ? (
                  <button type="button" class="btn btn-small" onClick={() => act(`Endpoint ${e.id} enabled`, () => post(`/v2/webhooks/${e.id}/enable`))}>
                    Enable
                  </button>
                ) : (
                  <button type="button" class="btn btn-small" onClick={() => act(`Endpoint ${e.id} disabled`, () => post(`/v2/webhooks/${e.id}/disable`))}>
                    Disable
                  </button>
                )}
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() =>
                    act(`Secret of ${e.id} rotated`, async () => {
                      const r = await post<Endpoint>(`/v2/webhooks/${e.id}/secret/rotate`);
                      if (r.secret) setSecret({ value: r.secret, what: `Secret of ${e.id} rotated` });
                    })
                  }
                >
                  Rotate secret
                </button>
                <a class="btn btn-small" href={`#/health?endpoint=${e.id}`}>
                  Health
                </a>
                <a class="btn btn-small" href={`#/dead-letters?endpoint=${e.id}`}>
                  Dead letters
                </a>
                <button type="button" class="btn btn-small btn-danger" onClick={() => setConfirmDelete(e.id)}>
                  Delete
                </button>
              </div>
              {confirmDelete === e.id ? (
                <div class="confirm" role="alertdialog" aria-labelledby={`del-${e.id}`}>
                  <p id={`del-${e.id}`}>Delete {e.url}? Its deliveries are deleted with it.</p>
                  <button
                    type="button"
                    class="btn btn-danger"
                    onClick={() =>
                      act(`Endpoint ${e.id} deleted`, async () => {
                        await api('DELETE', `/v2/webhooks/${e.id}`);
                        setConfirmDelete(null);
                      })
                    }
                  >
                    Confirm delete
                  </button>
                  <button type="button" class="btn" onClick={() => setConfirmDelete(null)}>
                    Cancel
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
