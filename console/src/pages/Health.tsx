import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ApiError, get, qs, type PageOf } from '../api';
import type { Delivery } from '../types';
import { EndpointSelect, Empty, ErrorBox, Loading, PageHeader, loadEndpoints, useLoad } from '../ui';

interface Bucket {
  start: string;
  delivered: number;
  failed: number;
  p50_ms: number | null;
  p95_ms: number | null;
}
interface Stats {
  window: string;
  bucket_seconds: number;
  buckets: Bucket[];
  backlog: { pending: number; retrying: number; dead: number };
  source: 'stats' | 'deliveries';
  sampled?: number;
}

const WINDOW_MS: Record<string, number> = { '1h': 3600e3, '24h': 24 * 3600e3 };
const BUCKET_S: Record<string, number> = { '1h': 300, '24h': 3600 };

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function countStatus(endpoint: string, status: string): Promise<number> {
  const p = await get<PageOf<Delivery>>(`/v2/webhooks/${endpoint}/deliveries${qs({ status, limit: 100 })}`);
  return p.data.length + (p.has_more ? 1 : 0) * 0; // capped at 100 by the listing
}

/** From the deliveries listing when the API has no stats endpoint: at most 1,000 deliveries of the window. */
async function fromDeliveries(endpoint: string, win: string): Promise<Stats> {
  const since = Date.now() - WINDOW_MS[win];
  const rows: Delivery[] = [];
  let after: string | undefined;
  for (let i = 0; i < 10; i++) {
    const p = await get<PageOf<Delivery>>(`/v2/webhooks/${endpoint}/deliveries${qs({ from: new Date(since).toISOString(), limit: 100, starting_after: after })}`);
    rows.push(...p.data);
    if (!p.has_more || !p.data.length) break;
    after = p.data[p.data.length - 1].id;
  }
  const size = BUCKET_S[win];
  const n = Math.ceil(WINDOW_MS[win] / 1000 / size);
  const start0 = Math.floor(since / 1000 / size) * size;
  const buckets: { delivered: number; failed: number; lat: number[] }[] = Array.from({ length: n + 1 }, () => ({ delivered: 0, failed: 0, lat: [] }));
  for (const d of rows) {
    const t = Date.parse(d.updated_at || d.created_at) / 1000;
    const i = Math.floor((t - start0) / size);
    if (i < 0 || i > n) continue;
    if (d.status === 'delivered') buckets[i].delivered++;
    else if (d.status === 'retrying' || d.status === 'dead') buckets[i].failed++;
    if (d.last_latency_ms !== null) buckets[i].lat.push(d.last_latency_ms);
  }
  const [pending, retrying, dead] = await Promise.all(['pending', 'retrying', 'dead'].map((s) => countStatus(endpoint, s)));
  return {
    window: win,
    bucket_seconds: size,
    source: 'deliveries',
    sampled: rows.length,
    backlog: { pending, retrying, dead },
    buckets: buckets.map((b, i) => {
      const lat = b.lat.sort((a, c) => a - c);
      return { start: new Date((start0 + i * size) * 1000).toISOString(), delivered: b.delivered, failed: b.failed, p50_ms: percentile(lat, 50), p95_ms: percentile(lat, 95) };
    }),
  };
}

async function loadStats(endpoint: string, win: string): Promise<Stats | null> {
  if (!endpoint) return null;
  try {
    const s = await get<Omit<Stats, 'source'>>(`/v2/webhooks/${endpoint}/stats?window=${win}`);
    return { ...s, source: 'stats' };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return fromDeliveries(endpoint, win);
    throw e;
  }
}

function Chart({ title, data, series, width, yRange }: { title: string; data: uPlot.AlignedData; series: uPlot.Series[]; width: number; yRange?: [number, number] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const scales: uPlot.Scales = { x: { time: true } };
    if (yRange) scales.y = { range: yRange };
    const plot = new uPlot({ width, height: 220, series: [{}, ...series], axes: [{}, {}], scales }, data, ref.current);
    return () => plot.destroy();
  }, [data, width]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={ref} role="img" aria-label={title} />
    </figure>
  );
}

export function HealthPage({ query }: { query: URLSearchParams }) {
  const endpoints = useLoad(loadEndpoints, []);
  const [endpoint, setEndpoint] = useState(query.get('endpoint') ?? '');
  const [win, setWin] = useState('1h');
  const [width, setWidth] = useState(600);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!endpoint && endpoints.data?.length) setEndpoint(endpoints.data[0].id);
  }, [endpoints.data]);
  useEffect(() => {
    const measure = () => box.current && setWidth(Math.max(280, Math.min(900, box.current.clientWidth - 8)));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  const stats = useLoad(() => loadStats(endpoint, win), [endpoint, win]);
  const s = stats.data;
  const xs = s ? s.buckets.map((b) => Date.parse(b.start) / 1000) : [];
  const rate = s ? s.buckets.map((b) => (b.delivered + b.failed ? (100 * b.delivered) / (b.delivered + b.failed) : null)) : [];
  const p50 = s ? s.buckets.map((b) => b.p50_ms) : [];
  const p95 = s ? s.buckets.map((b) => b.p95_ms) : [];
  const totalD = s ? s.buckets.reduce((a, b) => a + b.delivered, 0) : 0;
  const totalF = s ? s.buckets.reduce((a, b) => a + b.failed, 0) : 0;
  return (
    <div ref={box}>
      <PageHeader title="Delivery Health" intro="Success rate and latency over time per endpoint, and the current retry backlog." />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Health filters">
        <div>
          <label for="h-endpoint">Endpoint</label>
          <EndpointSelect id="h-endpoint" endpoints={endpoints.data ?? []} value={endpoint} onChange={setEndpoint} />
        </div>
        <div>
          <label for="h-window">Window</label>
          <select id="h-window" value={win} onChange={(e) => setWin((e.target as HTMLSelectElement).value)}>
            <option value="1h">Last hour</option>
            <option value="24h">Last day</option>
          </select>
        </div>
      </form>
      <ErrorBox error={endpoints.error ?? stats.error} />
      {endpoints.data && endpoints.data.length === 0 ? <Empty>No endpoints yet.</Empty> : null}
      {stats.loading && !s && endpoint ? <Loading what="delivery health" /> : null}
      {s ? (
        <>
          <div class="stats">
            <div class="stat card">
              <span class="stat-label">Success rate</span>
              <span class="stat-value" data-testid="success-rate">{totalD + totalF ? `${((100 * totalD) / (totalD + totalF)).toFixed(1)}%` : '—'}</span>
            </div>
            <div class="stat card">
              <span class="stat-label">Pending</span>
              <span class="stat-value">{s.backlog.pending}</span>
            </div>
            <div class="stat card">
              <span class="stat-label">Retrying</span>
              <span class="stat-value">{s.backlog.retrying}</span>
            </div>
            <div class="stat card">
              <span class="stat-label">Dead</span>
              <span class="stat-value">{s.backlog.dead}</span>
            </div>
          </div>
          {totalD + totalF === 0 ? <Empty>No finished attempts in this window yet.</Empty> : null}
          <Chart title="Success rate (%)" width={width} yRange={[0, 100]} data={[xs, rate] as uPlot.AlignedData} series={[{ label: 'success %', stroke: '#15803d', spanGaps: true }]} />
          <Chart
            title="Latency (ms)"
            width={width}
            data={[xs, p50, p95] as uPlot.AlignedData}
            series={[
              { label: 'p50', stroke: '#1d4ed8', spanGaps: true },
              { label: 'p95', stroke: '#b45309', spanGaps: true },
            ]}
          />
          <p class="muted small">
            {s.source === 'stats' ? `From the stats API, ${s.bucket_seconds}s buckets.` : `Computed from the latest ${s.sampled} deliveries of the window (${s.bucket_seconds / 60} min buckets); backlog counts are capped at 100.`}
          </p>
        </>
      ) : null}
    </div>
  );
}
