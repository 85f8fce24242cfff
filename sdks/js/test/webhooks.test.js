import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { CloudNexus, WebhookVerificationError, verify, sign } from '../dist/index.js';

const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
const previous = 'whsec_' + Buffer.from('fedcba9876543210fedcba9876543210').toString('base64');
const body = '{"event":"server.created","id":"evt_9f8a7b6c5d4e","timestamp":"2025-01-15T14:22:00Z","data":{"server_id":"srv_2x9k4m","region":"us-east-1"}}';
const now = () => Math.floor(Date.now() / 1000);

// Computed here independently, as the platform does (docs/webhook-service.md "The request a receiver gets").
function hex(s, b = body) { return crypto.createHmac('sha256', s).update(b, 'utf-8').digest('hex'); }
function std(s, id, ts, b = body) {
  return crypto.createHmac('sha256', Buffer.from(s.slice(6), 'base64')).update(`${id}.${ts}.${b}`).digest('base64');
}
function platformHeaders(ts = now(), secrets = [secret]) {
  return {
    'X-CloudNexus-Signature': hex(secrets[0]),
    'CloudNexus-Signature': hex(secrets[0]),
    'webhook-id': 'evt_9f8a7b6c5d4e',
    'webhook-timestamp': String(ts),
    'webhook-signature': secrets.map((s) => `v1,${std(s, 'evt_9f8a7b6c5d4e', ts)}`).join(' '),
  };
}
const cn = new CloudNexus('cn_live_sk_x', { baseUrl: 'http://127.0.0.1:9/v2' });

test('valid Standard Webhooks signature returns the envelope', () => {
  const event = cn.webhooks.verify(body, platformHeaders(), secret);
  assert.equal(event.event, 'server.created');
  assert.equal(event.data.server_id, 'srv_2x9k4m');
  // bytes, a Headers object and a Map work too
  assert.equal(verify(Buffer.from(body), new Headers(platformHeaders()), secret).id, 'evt_9f8a7b6c5d4e');
  assert.equal(verify(new Uint8Array(Buffer.from(body)), new Map(Object.entries(platformHeaders())), secret).id, 'evt_9f8a7b6c5d4e');
});

test('valid hex X-CloudNexus-Signature (the reference docs style) returns the envelope', () => {
  assert.equal(verify(body, { 'x-cloudnexus-signature': hex(secret) }, secret).id, 'evt_9f8a7b6c5d4e');
  assert.equal(verify(body, { 'CloudNexus-Signature': hex(secret) }, secret).id, 'evt_9f8a7b6c5d4e');
});

test('a tampered body, a wrong secret or a tampered signature throws', () => {
  const tampered = body.replace('us-east-1', 'us-west-2');
  assert.throws(() => verify(tampered, platformHeaders(), secret), WebhookVerificationError);
  assert.throws(() => verify(tampered, { 'x-cloudnexus-signature': hex(secret) }, secret), WebhookVerificationError);
  assert.throws(() => verify(body, platformHeaders(), previous), WebhookVerificationError);
  const h = platformHeaders();
  h['webhook-signature'] = 'v1,' + Buffer.alloc(32).toString('base64');
  assert.throws(() => verify(body, h, secret), WebhookVerificationError);
  assert.throws(() => verify(body, {}, secret), /No signature header/);
  assert.throws(() => verify(body, platformHeaders(), ''), /No webhook secret/);
  assert.throws(() => verify(JSON.parse(body), platformHeaders(), secret), /raw body/);
});

test('a stale or future timestamp throws (5 minute tolerance)', () => {
  assert.throws(() => verify(body, platformHeaders(now() - 301), secret), /tolerance/);
  assert.throws(() => verify(body, platformHeaders(now() + 301), secret), /tolerance/);
  assert.equal(verify(body, platformHeaders(now() - 290), secret).id, 'evt_9f8a7b6c5d4e');
  assert.equal(verify(body, platformHeaders(now() - 1000), secret, { tolerance: 1200 }).id, 'evt_9f8a7b6c5d4e');
});

test('rotation: two v1 signatures (new first) verify with the new or the previous secret', () => {
  const h = platformHeaders(now(), [secret, previous]);
  assert.equal(h['webhook-signature'].split(' ').length, 2);
  assert.equal(verify(body, h, secret).id, 'evt_9f8a7b6c5d4e');
  assert.equal(verify(body, h, previous).id, 'evt_9f8a7b6c5d4e');
  assert.equal(verify(body, h, [previous, secret]).id, 'evt_9f8a7b6c5d4e');
  const other = 'whsec_' + Buffer.from('x'.repeat(32)).toString('base64');
  assert.throws(() => verify(body, h, other), WebhookVerificationError);
  // hex style during a rotation: X-CloudNexus-Signature-Previous carries the previous secret's signature
  assert.equal(verify(body, { 'x-cloudnexus-signature': hex(secret), 'x-cloudnexus-signature-previous': hex(previous) }, previous).id, 'evt_9f8a7b6c5d4e');
});

test('sign() produces what the platform sends (both styles)', () => {
  const ts = now();
  const h = sign(body, secret, { id: 'evt_9f8a7b6c5d4e', timestamp: ts });
  assert.equal(h['x-cloudnexus-signature'], hex(secret));
  assert.equal(h['webhook-signature'], `v1,${std(secret, 'evt_9f8a7b6c5d4e', ts)}`);
  assert.equal(verify(body, h, secret).id, 'evt_9f8a7b6c5d4e');
});
