import { useState } from 'preact/hooks';
import { api, currentSession, get, post, type PageOf } from '../api';
import { dateTime, timeAgo } from '../format';
import type { ApiKey, OAuthClient, Scope } from '../types';
import { Empty, ErrorBox, Loading, PageHeader, SecretOnce, useLoad } from '../ui';

const SCOPES: Scope[] = ['read', 'write', 'admin'];

/** The scopes a new key or client may get: those of the signed-in credential (admin holds all). */
function grantable(held: string[]): Scope[] {
  return held.includes('admin') ? SCOPES : SCOPES.filter((s) => held.includes(s));
}

function Scopes({ scopes }: { scopes: string[] }) {
  return (
    <>
      {scopes.map((s) => (
        <code class="tag" key={s}>
          {s}
        </code>
      ))}
    </>
  );
}

/** Name and scopes of a new key or client; the API's refusal (e.g. 403 for a scope the credential lacks) inline. */
function CreateForm({ what, id, onCreate }: { what: string; id: string; onCreate: (name: string, scopes: Scope[]) => Promise<unknown> }) {
  const offered = grantable(currentSession()?.scopes ?? []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(offered.includes('read') ? ['read'] : []);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (scopes.length === 0) {
      setMissing('Choose at least one scope');
      return;
    }
    setMissing('');
    setError(null);
    setBusy(true);
    try {
      await onCreate(name.trim(), scopes);
      setName('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New {what}</h3>
      <label for={`${id}-name`}>Name</label>
      <input id={`${id}-name`} required maxLength={200} value={name} placeholder="e.g. deploy bot" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <fieldset class="picker">
        <legend>Scopes</legend>
        {offered.map((s) => (
          <label class="check" key={s}>
            <input
              type="checkbox"
              name={`${id}-scope`}
              value={s}
              checked={scopes.includes(s)}
              onChange={(e) => setScopes((e.target as HTMLInputElement).checked ? [...scopes.filter((x) => x !== s), s] : scopes.filter((x) => x !== s))}
            />
            <code>{s}</code>
          </label>
        ))}
        <p class="muted small">Only the scopes of the key you signed in with can be given.</p>
      </fieldset>
      {missing ? (
        <p class="field-error" role="alert">
          {missing}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <div class="row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          Create {what}
        </button>
      </div>
    </form>
  );
}

/** The inline confirmation of a revoke or delete; its error stays with it. */
function Confirm({ text, action, run, onCancel }: { text: string; action: string; run: () => Promise<unknown>; onCancel: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div class="confirm" role="alertdialog" aria-label={action}>
      <p>{text}</p>
      <ErrorBox error={error} />
      <button
        type="button"
        class="btn btn-danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await run();
          } catch (e) {
            setError(e);
            setBusy(false);
          }
        }}
      >
        {action}
      </button>
      <button type="button" class="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

type Shown = { secret: string; title: string; noun: string; note: string; clientId?: string };

function KeysSection({ show }: { show: (s: Shown) => void }) {
  const list = useLoad(() => get<PageOf<ApiKey>>('/v2/api-keys').then((p) => p.data), []);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState('');
  const own = currentSession()?.key_prefix;
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p class="intro">Send a key as <code>Authorization: Bearer cn_live_sk_…</code>. A key stops working as soon as it is revoked.</p>
      <CreateForm
        what="API key"
        id="key-form"
        onCreate={async (name, scopes) => {
          const k = await post<ApiKey>('/v2/api-keys', { name, scopes });
          show({ secret: k.key ?? '', title: `API key ${k.name} created: copy the key now`, noun: 'key', note: 'The console keeps no copy of it.' });
          setNotice(`API key ${k.name} created`);
          list.reload();
        }}
      />
      <p role="status" class="notice">
        {notice}
      </p>
      {revoking ? (
        <Confirm
          text={`Revoke the key ${revoking.name} (${revoking.prefix}…)? Every call made with it fails from now on${revoking.prefix === own ? ', and this console session ends' : ''}.`}
          action="Confirm revoke"
          onCancel={() => setRevoking(null)}
          run={async () => {
            await api('DELETE', `/v2/api-keys/${revoking.id}`);
            setNotice(`API key ${revoking.name} revoked`);
            setRevoking(null);
            list.reload();
          }}
        />
      ) : null}
      {list.loading && !list.data ? <Loading what="API keys" /> : null}
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 ? <Empty>No API keys.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div class="table-wrap">
          <table class="keys">
            <caption class="sr-only">API keys of the account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((k) => (
                <tr key={k.id} data-key-id={k.id}>
                  <td>
                    {k.name}
                    {k.prefix === own ? <span class="muted small"> (this session)</span> : null}
                  </td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    <Scopes scopes={k.scopes} />
                  </td>
                  <td title={dateTime(k.created_at)}>{timeAgo(k.created_at)}</td>
                  <td title={k.last_used_at ? dateTime(k.last_used_at) : 'never used'}>{k.last_used_at ? timeAgo(k.last_used_at) : 'Never'}</td>
                  <td>
                    <button type="button" class="btn btn-small btn-danger" aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function ClientsSection({ show }: { show: (s: Shown) => void }) {
  const list = useLoad(() => get<PageOf<OAuthClient>>('/v2/oauth/clients').then((p) => p.data), []);
  const [deleting, setDeleting] = useState<OAuthClient | null>(null);
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">OAuth clients</h2>
      <p class="intro">
        A client gets access tokens at <code>POST /v2/oauth/token</code> (<code>grant_type=client_credentials</code>). Deleting it revokes its tokens.
      </p>
      <CreateForm
        what="OAuth client"
        id="client-form"
        onCreate={async (name, scopes) => {
          const c = await post<OAuthClient>('/v2/oauth/clients', { name, scopes });
          show({
            secret: c.client_secret ?? '',
            title: `OAuth client ${c.name} created: copy its secret now`,
            noun: 'secret',
            note: 'Use it with the client ID below.',
            clientId: c.client_id,
          });
          setNotice(`OAuth client ${c.name} created`);
          list.reload();
        }}
      />
      <p role="status" class="notice">
        {notice}
      </p>
      {deleting ? (
        <Confirm
          text={`Delete the client ${deleting.name} (${deleting.client_id})? Its access tokens are revoked.`}
          action="Confirm delete"
          onCancel={() => setDeleting(null)}
          run={async () => {
            await api('DELETE', `/v2/oauth/clients/${deleting.client_id}`);
            setNotice(`OAuth client ${deleting.name} deleted`);
            setDeleting(null);
            list.reload();
          }}
        />
      ) : null}
      {list.loading && !list.data ? <Loading what="OAuth clients" /> : null}
      <ErrorBox error={list.error} />
      {list.data && list.data.length === 0 ? <Empty>No OAuth clients.</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <div class="table-wrap">
          <table class="clients">
            <caption class="sr-only">OAuth clients of the account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client ID</th>
                <th scope="col">Scopes</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((c) => (
                <tr key={c.client_id} data-client-id={c.client_id}>
                  <td>{c.name}</td>
                  <td>
                    <code>{c.client_id}</code>
                  </td>
                  <td>
                    <Scopes scopes={c.scopes} />
                  </td>
                  <td title={dateTime(c.created_at)}>{timeAgo(c.created_at)}</td>
                  <td>
                    <button type="button" class="btn btn-small btn-danger" aria-label={`Delete ${c.name}`} onClick={() => setDeleting(c)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function KeysPage() {
  const [shown, setShown] = useState<Shown | null>(null);
  return (
    <div class="credentials">
      <PageHeader title="API keys & OAuth" intro="Keys and OAuth 2.0 clients of your account. Secrets are shown once, when created." />
      {shown ? (
        <SecretOnce secret={shown.secret} title={shown.title} noun={shown.noun} onDone={() => setShown(null)}>
          {shown.note}
          {shown.clientId ? (
            <>
              {' '}
              Client ID: <code data-testid="client-id">{shown.clientId}</code>
            </>
          ) : null}
        </SecretOnce>
      ) : null}
      <KeysSection show={setShown} />
      <ClientsSection show={setShown} />
    </div>
  );
}
