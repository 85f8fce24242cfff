import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

/** Headers as a `Headers` object, a plain object (Node's `req.headers`, Express) or a `Map`. */
export type HeaderInput =
  | Headers
  | Map<string, string>
  | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Largest allowed distance between `webhook-timestamp` and now, in seconds (default 300). */
  tolerance?: number;
  /** The current time in seconds (for tests). */
  now?: number;
}

export interface WebhookEnvelope<D = Record<string, unknown>> {
  event: string;
  id: string;
  timestamp: string;
  data: D;
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

function header(headers: HeaderInput, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function' && !(headers instanceof Map)) {
    return (headers as Headers).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  const entries: Iterable<[string, unknown]> =
    headers instanceof Map ? headers.entries() : Object.entries(headers as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (k.toLowerCase() === lower) {
      if (Array.isArray(v)) return v.join(', ');
      return v == null ? undefined : String(v);
    }
  }
  return undefined;
}

function bytes(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The key of the Standard Webhooks signature: the base64-decoded part after `whsec_`. */
function standardKey(secret: string): Buffer {
  const raw = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  return Buffer.from(raw, 'base64');
}

/** Lowercase hex HMAC-SHA256 of the raw body keyed with the secret string as shown (`X-CloudNexus-Signature`). */
export function hexSignature(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(bytes(rawBody)).digest('hex');
}

/** Base64 HMAC-SHA256 of `id.timestamp.body` keyed with the decoded secret (Standard Webhooks, without `v1,`). */
export function standardSignature(id: string, timestamp: number | string, rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', standardKey(secret))
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytes(rawBody)]))
    .digest('base64');
}

/** A new signing secret in the platform's format: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return 'whsec_' + randomBytes(32).toString('base64');
}

/**
 * The headers the platform sends with a delivery, for `rawBody` signed with `secret` (used by `listen`
 * and handy in tests of your own receiver).
 */
export function sign(
  rawBody: string | Uint8Array,
  secret: string,
  opts: { id: string; timestamp?: number; event?: string; deliveryId?: string },
): Record<string, string> {
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const hex = hexSignature(rawBody, secret);
  const h: Record<string, string> = {
    'content-type': 'application/json',
    'x-cloudnexus-signature': hex,
    'cloudnexus-signature': hex,
    'webhook-id': opts.id,
    'webhook-timestamp': String(ts),
    'webhook-signature': `v1,${standardSignature(opts.id, ts, rawBody, secret)}`,
  };
  if (opts.event) h['x-cloudnexus-event'] = opts.event;
  if (opts.deliveryId) h['x-cloudnexus-delivery'] = opts.deliveryId;
  return h;
}

/**
 * Verifies a webhook request and returns its parsed envelope; throws {@link WebhookVerificationError}
 * otherwise. Pass the body exactly as received (string or bytes, never re-serialised JSON).
 *
 * - When `webhook-signature` is present (Standard Webhooks): `webhook-id` and `webhook-timestamp` are
 *   required, the timestamp must be within `tolerance` (300 s) of now, and any `v1,` signature of the
 *   space-separated list may match (during a secret rotation the platform sends two).
 * - Otherwise `X-CloudNexus-Signature` (or `CloudNexus-Signature`, or `X-CloudNexus-Signature-Previous`):
 *   the hex HMAC of the raw body. This style carries no signed timestamp, so it cannot be checked for age.
 *
 * `secret` may be a list (e.g. the new and the previous secret during a rotation).
 */
export function verify<D = Record<string, unknown>>(
  rawBody: string | Uint8Array,
  headers: HeaderInput,
  secret: string | string[],
  options: VerifyOptions = {},
): WebhookEnvelope<D> {
  const secrets = (Array.isArray(secret) ? secret : [secret]).filter((s) => typeof s === 'string' && s.length > 0);
  if (secrets.length === 0) throw new WebhookVerificationError('No webhook secret given');
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookVerificationError('Pass the raw body (string, Buffer or Uint8Array) exactly as received, not parsed JSON (e.g. express.raw())');
  }
  const standard = header(headers, 'webhook-signature');
  if (standard) {
    const id = header(headers, 'webhook-id');
    const ts = header(headers, 'webhook-timestamp');
    if (!id || !ts) throw new WebhookVerificationError('Missing webhook-id or webhook-timestamp header');
    if (!/^\d+$/.test(ts.trim())) throw new WebhookVerificationError('Invalid webhook-timestamp header');
    const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const sent = Number(ts.trim());
    if (Math.abs(now - sent) > tolerance) {
      throw new WebhookVerificationError(`Webhook timestamp ${sent} is outside the tolerance of ${tolerance} s (stale or from the future)`);
    }
    const given = standard
      .split(' ')
      .map((s) => s.trim())
      .filter((s) => s.startsWith('v1,'))
      .map((s) => s.slice(3));
    const ok = secrets.some((s) => {
      const expected = standardSignature(id, ts.trim(), rawBody, s);
      return given.some((g) => safeEqual(g, expected));
    });
    if (!ok) throw new WebhookVerificationError('No webhook-signature matches the body and secret');
    return parse<D>(rawBody);
  }
  const hex = [
    header(headers, 'x-cloudnexus-signature') ?? header(headers, 'cloudnexus-signature'),
    header(headers, 'x-cloudnexus-signature-previous'),
  ].filter((v): v is string => !!v).map((v) => v.trim().toLowerCase());
  if (hex.length === 0) throw new WebhookVerificationError('No signature header (webhook-signature or X-CloudNexus-Signature)');
  const ok = secrets.some((s) => {
    const expected = hexSignature(rawBody, s);
    return hex.some((g) => safeEqual(g, expected));
  });
  if (!ok) throw new WebhookVerificationError('X-CloudNexus-Signature does not match the body and secret');
  return parse<D>(rawBody);
}

function parse<D>(rawBody: string | Uint8Array): WebhookEnvelope<D> {
  try {
    return JSON.parse(typeof rawBody === 'string' ? rawBody : bytes(rawBody).toString('utf8')) as WebhookEnvelope<D>;
  } catch (e) {
    throw new WebhookVerificationError('Signed body is not JSON', { cause: e });
  }
}
