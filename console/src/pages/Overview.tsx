import { useEffect, useState } from 'preact/hooks';
import { get, type PageOf } from '../api';
import { dateTime, money, timeAgo } from '../format';
import { subscribe } from '../stream';
import type { Envelope } from '../types';
import { Empty, ErrorBox, Loading, PageHeader, useLoad } from '../ui';
import { useNow } from './Deliveries';

interface Server {
  id: string;
  name: string;
  region: string;
  plan: string;
  status: string;
  ip: string | null;
}
interface Cluster {
  id: string;
  name: string;
  region: string;
  version: string;
  status: string;
  node_pools: { name: string; size: string; count: number; joined: number }[];
  node_count: number;
}
interface Invoice {
  id: string;
  status: string;
  period_start: string;
  period_end: string;
  currency: string;
  amount_due: number;
}
interface Usage {
  period: string;
  currency: string;
  amount_due: number;
  as_of: string;
}

function summary(e: Envelope): string {
  const d = e.data ?? {};
  const id = d.server_id ?? d.cluster_id ?? d.deployment_id ?? d.invoice_id ?? d.backup_id ?? d.endpoint_id ?? '';
  return id ? `${id}` : '';
}

export function OverviewPage() {
  const servers = useLoad(() => get<PageOf<Server>>('/v2/servers?limit=100'), []);
  const clusters = useLoad(() => get<PageOf<Cluster>>('/v2/clusters/k8s?limit=100'), []);
  const invoices = useLoad(() => get<PageOf<Invoice>>('/v2/billing/invoices'), []);
  const usage = useLoad(() => get<Usage>('/v2/billing/usage'), []);
  const [feed, setFeed] = useState<Envelope[]>([]);
  const [feedError, setFeedError] = useState<unknown>(null);
  const now = useNow();
  useEffect(() => {
    // the list and the stream's frames can arrive in either order: merge by id, newest first
    const merge = (incoming: Envelope[]) =>
      setFeed((f) =>
        [...f, ...incoming.filter((e) => !f.some((x) => x.id === e.id))]
          .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))
          .slice(0, 50),
      );
    const read = () => get<PageOf<Envelope>>('/v2/events?limit=20').then((p) => merge(p.data));
    read().catch(setFeedError);
    return subscribe({
      event: (e) => merge([e]),
      poll: () => read().catch(() => undefined),
    });
  }, []);
  return (
    <div>
      <PageHeader title="Overview" intro="Your servers, Kubernetes clusters and billing, and what is happening now." />
      <div class="grid">
        <section class="card" aria-labelledby="ov-servers">
          <h2 id="ov-servers">Servers</h2>
          <ErrorBox error={servers.error} />
          {servers.loading && !servers.data ? <Loading what="servers" /> : null}
          {servers.data && servers.data.data.length === 0 ? <Empty>No servers.</Empty> : null}
          <ul class="plain">
            {servers.data?.data.map((s) => (
              <li key={s.id}>
                <span class={`badge badge-${s.status === 'active' ? 'active' : 'paused'}`}>{s.status}</span> {s.name || s.id} · {s.region} · {s.plan}
                {s.ip ? ` · ${s.ip}` : ''}
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="ov-clusters">
          <h2 id="ov-clusters">Kubernetes clusters</h2>
          <ErrorBox error={clusters.error} />
          {clusters.loading && !clusters.data ? <Loading what="clusters" /> : null}
          {clusters.data && clusters.data.data.length === 0 ? <Empty>No clusters.</Empty> : null}
          <ul class="plain">
            {clusters.data?.data.map((c) => (
              <li key={c.id}>
                <span class={`badge badge-${c.status === 'running' || c.status === 'active' ? 'active' : 'paused'}`}>{c.status}</span> {c.name} · {c.region} · v{c.version} ·{' '}
                {c.node_count} nodes
                <ul class="pools">
                  {c.node_pools.map((p) => (
                    <li key={p.name}>
                      pool {p.name}: {p.joined}/{p.count} × {p.size}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="ov-billing">
          <h2 id="ov-billing">Billing</h2>
          <ErrorBox error={usage.error ?? invoices.error} />
          {usage.data ? (
            <p>
              Usage {usage.data.period}: <strong>{money(usage.data.amount_due, usage.data.currency)}</strong> <span class="muted small">as of {dateTime(usage.data.as_of)}</span>
            </p>
          ) : usage.loading ? (
            <Loading what="usage" />
          ) : null}
          {invoices.data && invoices.data.data.length === 0 ? <Empty>No invoices yet.</Empty> : null}
          <ul class="plain">
            {invoices.data?.data.map((i) => (
              <li key={i.id}>
                {i.id} · {i.status} · {i.period_start?.slice(0, 10)} – {i.period_end?.slice(0, 10)} · {money(i.amount_due, i.currency)}
              </li>
            ))}
          </ul>
        </section>
        <section class="card" aria-labelledby="ov-activity">
          <h2 id="ov-activity">Live activity</h2>
          <ErrorBox error={feedError} />
          {feed.length === 0 ? <Empty>No events yet.</Empty> : null}
          <ol class="plain feed" aria-live="polite">
            {feed.map((e) => (
              <li key={e.id} data-event-id={e.id}>
                <code>{e.event}</code> {summary(e)} <span class="muted small">{timeAgo(e.timestamp, now)}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
