import type { Delivery, DeliveryStatus } from './types';

/** The reference page's status text: `200 OK`, `502 Retry`, `Pending`, `Dead`. */
export function statusText(status: DeliveryStatus, code: number | null | undefined): string {
  switch (status) {
    case 'delivered':
      return `${code ?? 200} OK`;
    case 'retrying':
      return code ? `${code} Retry` : 'Retry';
    case 'dead':
      return 'Dead';
    default:
      return 'Pending';
  }
}

export function deliveryStatusText(d: Delivery): string {
  return statusText(d.status, d.last_status_code);
}

/** `245ms`, `1.2s`, `—` */
export function latencyText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}

/** `just now`, `42s ago`, `2m ago`, `1h ago`, `3d ago` */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD' }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export const CATEGORY_ORDER = ['Compute', 'Kubernetes', 'Storage', 'Security', 'Billing'];

export function byCategory<T extends { category: string }>(items: T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const c of CATEGORY_ORDER) groups.set(c, []);
  for (const i of items) {
    if (!groups.has(i.category)) groups.set(i.category, []);
    groups.get(i.category)!.push(i);
  }
  return [...groups.entries()].filter(([, v]) => v.length > 0);
}
