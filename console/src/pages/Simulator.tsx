import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { byCategory } from '../format';
import { validate, type SchemaError } from '../schema';
import { applyFrame, freshest, subscribe } from '../stream';
import type { Delivery } from '../types';
import { EndpointSelect, Empty, ErrorBox, Loading, PageHeader, loadCatalog, loadEndpoints, useLoad } from '../ui';
import { DeliveryTable, useNow } from './Deliveries';

type Check = { ok: true; data: unknown } | { ok: false; errors: SchemaError[] };

function check(text: string, schema: unknown): Check {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ path: '$', message: `Invalid JSON: ${e instanceof Error ? e.message : 'cannot parse'}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ path: '$', message: 'must be a JSON object (the event data)' }] };
  }
  const errors = validate(schema, data);
  return errors.length ? { ok: false, errors } : { ok: true, data };
}

export function SimulatorPage({ query }: { query: URLSearchParams }) {
  const endpoints = useLoad(loadEndpoints, []);
  const catalog = useLoad(loadCatalog, []);
  const [endpoint, setEndpoint] = useState('');
  const [eventType, setEventType] = useState(query.get('event') ?? '');
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<SchemaError[]>([]);
  const [sendError, setSendError] = useState<unknown>(null);
  const [sent, setSent] = useState<Delivery[]>([]);
  const [busy, setBusy] = useState(false);
  const now = useNow();

  useEffect(() => {
    if (!endpoint && endpoints.data?.length) setEndpoint(endpoints.data[0].id);
  }, [endpoints.data]);
  useEffect(() => {
    if (!catalog.data?.length) return;
    const t = catalog.data.find((x) => x.type === eventType) ?? catalog.data[0];
    if (t.type !== eventType) setEventType(t.type);
    setText(JSON.stringify(t.sample, null, 2));
    setErrors([]);
  }, [catalog.data, eventType]);

  useEffect(() => {
    const refresh = () =>
      setSent((rows) => {
        rows
          .filter((d) => d.status === 'pending' || d.status === 'retrying')
          .forEach((d) =>
            get<Delivery>(`/v2/webhooks/deliveries/${d.id}`)
              .then((fresh) => setSent((rs) => rs.map((r) => (r.id === fresh.id && Date.parse(fresh.updated_at) >= Date.parse(r.updated_at) ? freshest(fresh) : r))))
              .catch(() => undefined),
          );
        return rows;
      });
    return subscribe({
      delivery: (f) => setSent((rows) => rows.map((d) => (d.id === f.delivery_id ? applyFrame(d, f) : d))),
      poll: refresh,
    });
  }, []);

  const type = catalog.data?.find((t) => t.type === eventType);

  const onSend = async (e: Event) => {
    e.preventDefault();
    setSendError(null);
    const result = check(text, type?.schema);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const d = await post<Delivery>(`/v2/webhooks/${endpoint}/test`, { event: eventType, data: result.data });
      // the stream may have reported this delivery's outcome before this answer arrived
      setSent((rows) => (rows.some((r) => r.id === d.id) ? rows : [freshest(d), ...rows]));
    } catch (err) {
      setSendError(err);
    } finally {
      setBusy(false);
    }
  };

  const status = errors.length ? 'Invalid' : 'Ready';
  return (
    <div>
      <PageHeader title="Test & Simulator" intro="Send a test event to one of your endpoints through the real delivery pipeline." />
      <ErrorBox error={endpoints.error ?? catalog.error} />
      {(endpoints.loading && !endpoints.data) || (catalog.loading && !catalog.data) ? <Loading what="endpoints and event types" /> : null}
      {endpoints.data && endpoints.data.length === 0 ? <Empty>Create an endpoint first, on the Endpoints page.</Empty> : null}
      <form class="card form" onSubmit={onSend} aria-label="Send a test event" noValidate>
        <div class="row wrap">
          <div>
            <label for="sim-endpoint">Endpoint</label>
            <EndpointSelect id="sim-endpoint" endpoints={endpoints.data ?? []} value={endpoint} onChange={setEndpoint} />
          </div>
          <div>
            <label for="sim-event">Event type</label>
            <select id="sim-event" value={eventType} onChange={(e) => setEventType((e.target as HTMLSelectElement).value)}>
              {byCategory(catalog.data ?? []).map(([cat, types]) => (
                <optgroup label={cat} key={cat}>
                  {types.map((t) => (
                    <option value={t.type} key={t.type}>
                      {t.type}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
        </div>
        <label for="sim-payload">
          Event data (JSON) <span class={`badge badge-${errors.length ? 'disabled' : 'active'}`}>{status}</span>
        </label>
        <textarea
          id="sim-payload"
          class="code-editor"
          spellcheck={false}
          rows={14}
          value={text}
          aria-invalid={errors.length > 0}
          aria-describedby="sim-errors"
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            if (errors.length) setErrors([]);
          }}
        />
        <div id="sim-errors" role="alert" class="field-errors">
          {errors.length ? (
            <ul>
              {errors.map((er, i) => (
                <li key={i}>
                  <code>{er.path}</code> {er.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <ErrorBox error={sendError} />
        <div class="row">
          <button type="submit" class="btn btn-primary" disabled={busy || !endpoint}>
            Send test event
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              if (type) setText(JSON.stringify(type.sample, null, 2));
              setErrors([]);
            }}
          >
            Reset to sample
          </button>
        </div>
      </form>
      <section aria-labelledby="sim-results">
        <h2 id="sim-results">Test deliveries</h2>
        {sent.length === 0 ? <Empty>Nothing sent yet.</Empty> : <DeliveryTable rows={sent} now={now} endpoints={endpoints.data} caption="Test deliveries sent from this page" />}
      </section>
    </div>
  );
}
