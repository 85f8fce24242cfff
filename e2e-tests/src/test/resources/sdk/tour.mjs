// A customer's tour through @cloudnexus/sdk against the real platform, run by JsSdkIT from a directory where the
// packed SDK is installed (never from the source tree). The SDK reads CN_API_KEY and CLOUDNEXUS_BASE_URL;
// CN_LIMITED_API_KEY is the key of an account with a tiny rate limit. Every check fails the script (exit 1);
// the last line is "TOUR <json>" for the IT to check against the platform.
import assert from 'node:assert/strict';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { CloudNexus, RateLimitError, WebhookVerificationError, verify } from '@cloudnexus/sdk';

const WAIT_MS = 120_000;
const result = { sdk: fileURLToPath(import.meta.resolve('@cloudnexus/sdk')) };
const cn = new CloudNexus(process.env.CN_API_KEY);

// A receiver as a customer writes it: the raw body and the headers go to the SDK's verify; 204 if it verifies, else 400.
let secret;
const received = [];
const listeners = new Set();
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    let envelope = null;
    let error = null;
    try {
      envelope = verify(raw, req.headers, secret);
    } catch (e) {
      error = e;
    }
    received.push({ raw, headers: req.headers, envelope, error });
    res.writeHead(envelope ? 204 : 400).end();
    for (const l of listeners) l();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));

/** Resolves with check()'s first truthy value, re-checked on every request the receiver gets. */
function arrival(what, check) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { listeners.delete(listener); reject(new Error(`no ${what} within ${WAIT_MS} ms`)); }, WAIT_MS);
    const listener = () => {
      const v = check();
      if (v) { clearTimeout(timer); listeners.delete(listener); resolve(v); }
    };
    listeners.add(listener);
    listener();
  });
}

/** Re-runs fn (an API read) until it returns a truthy value; the platform's state settles asynchronously. */
async function eventually(what, fn) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// 1. an endpoint for the receiver; a server created: its server.created arrives signed, and verifies
const endpoint = await cn.webhooks.create({ url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['server.*'] });
secret = endpoint.secret;
assert.match(endpoint.id, /^whk_/);
assert.match(secret, /^whsec_/);
const server = await cn.servers.create({ region: 'us-east-1', plan: 'starter', image: 'ubuntu-22.04' });
const delivery = await arrival(`server.created of ${server.id}`, () =>
  received.find((d) => d.envelope?.event === 'server.created' && d.envelope.data.server_id === server.id));
assert.deepEqual(received.filter((d) => d.error).map((d) => d.error.message), [], 'every delivery verifies');

// both signature styles, each alone, with the SDK's verify; a changed byte or another secret does not verify
const { raw, headers } = delivery;
assert.ok(headers['webhook-signature'] && headers['x-cloudnexus-signature'], 'the platform sends both styles');
const standard = { 'webhook-id': headers['webhook-id'], 'webhook-timestamp': headers['webhook-timestamp'], 'webhook-signature': headers['webhook-signature'] };
const hex = { 'x-cloudnexus-signature': headers['x-cloudnexus-signature'] };
for (const style of [standard, hex]) {
  assert.equal(verify(raw, style, secret).id, delivery.envelope.id);
  const tampered = Buffer.from(raw);
  tampered[tampered.length - 2] ^= 1;
  assert.throws(() => verify(tampered, style, secret), WebhookVerificationError);
  assert.throws(() => verify(raw, style, 'whsec_' + Buffer.alloc(32, 7).toString('base64')), WebhookVerificationError);
}
assert.throws(() => verify(raw, { ...standard, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) }, secret),
  WebhookVerificationError, 'an hour-old timestamp is refused');
result.endpoint_id = endpoint.id;
result.event_id = delivery.envelope.id;
result.server_id = server.id;

// 2. the deliveries list shows it delivered (the platform records the receiver's 204)
const listed = await eventually('the delivery listed as delivered', async () => {
  for await (const d of cn.webhooks.deliveries.list({ endpoint_id: endpoint.id, limit: 100 })) {
    if (d.event_id === delivery.envelope.id && d.status === 'delivered') return d;
  }
  return null;
});
result.delivery_id = listed.id;

// 3. more than one page of servers, walked with the pagination iterator
const more = await cn.servers.create({ region: 'us-east-1', plan: 'starter', image: 'ubuntu-22.04', count: 4 });
const created = [server.id, ...more.servers.map((s) => s.id)];
const pages = [];
for await (const page of cn.servers.list({ limit: 2 }).pages()) pages.push(page.data.map((s) => s.id));
const walked = [];
for await (const s of cn.servers.list({ limit: 2 })) walked.push(s.id);
assert.equal(pages.length, 3, `5 servers in pages of 2: ${JSON.stringify(pages)}`);
assert.deepEqual(pages.flat(), walked);
assert.deepEqual([...walked].sort(), [...created].sort(), 'the account has exactly the servers the tour created');
result.server_ids = created;
result.pages = pages;

// 4. a real 429: the limited account's window used up without retries, then a client that waits per Retry-After
const impatient = new CloudNexus(process.env.CN_LIMITED_API_KEY, { maxRetries: 0 });
let limited;
for (let i = 0; i < 50 && !limited; i++) {
  try {
    await impatient.regions.list();
  } catch (e) {
    if (!(e instanceof RateLimitError)) throw e;
    limited = e;
  }
}
assert.ok(limited, 'the limited account got a 429');
assert.equal(limited.status, 429);
assert.ok(limited.retryAfter > 0 && limited.retryAfter <= 60, `Retry-After ${limited.retryAfter}`);
const patient = new CloudNexus(process.env.CN_LIMITED_API_KEY);
const started = Date.now();
const regions = await patient.regions.list();
const waited = (Date.now() - started) / 1000;
assert.ok(regions.data.length > 0);
assert.ok(waited >= limited.retryAfter - 2, `waited ${waited} s for Retry-After ${limited.retryAfter}`);
result.retry_after = limited.retryAfter;
result.waited_seconds = waited;

receiver.close();
console.log(`TOUR ${JSON.stringify(result)}`);
process.exit(0);
