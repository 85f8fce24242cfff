import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudNexus, verify, parseSse } from '../dist/index.js';
import { stub, problem } from './stub.js';

const envelope = (n, type = 'server.created') => ({ event: type, id: `evt_${n}`, timestamp: '2026-12-04T12:00:00Z', data: { server_id: `srv_${n}` } });
const frame = (env) => `event: ${env.event}\nid: ${env.id}\ndata: ${JSON.stringify({ type: 'event', event: env })}\n\n`;

test('SSE parsing: fields, comments, multi-line data, CRLF and chunks split anywhere', async () => {
  const text = 'retry: 1000\n\n: heartbeat\n\nevent: a\r\nid: 1\r\ndata: {"x":\r\ndata: 1}\r\n\r\ndata:plain\n\n';
  const bytes = Buffer.from(text);
  async function* chunks() { for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3); }
  const msgs = [];
  for await (const m of parseSse(chunks())) msgs.push(m);
  assert.deepEqual(msgs, [
    { event: undefined, id: undefined, data: '', retry: 1000 },
    { event: 'a', id: '1', data: '{"x":\n1}', retry: undefined },
    { event: undefined, id: undefined, data: 'plain', retry: undefined },
  ]);
});

test('events.stream yields events, skips heartbeats, reconnects and resumes with since = the last id', async (t) => {
  const s = await stub((req, res, n) => {
    if (n !== 2) res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (n === 1) {
      res.write('retry: 10\n\n');
      res.write(frame(envelope(1)).slice(0, 20));
      res.write(frame(envelope(1)).slice(20));
      res.write(': heartbeat\n\n');
      res.write(`data: ${JSON.stringify({ type: 'delivery', delivery_id: 'dlv_1', event_id: 'evt_1', status: 'delivered' })}\n\n`);
      res.write(frame(envelope(2)));
      res.end(); // the connection drops
    } else if (n === 2) {
      problem(res, 503, { title: 'Service Unavailable' }, { 'retry-after': '0' });
    } else {
      res.write(frame(envelope(3, 'server.terminated')));
      // stays open: the client stops
    }
  });
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl });
  const got = [];
  let opened = 0;
  for await (const event of cn.events.stream({ types: ['server.*'], onOpen: () => { opened++; } })) {
    got.push(event.id);
    if (got.length === 3) break;
  }
  assert.deepEqual(got, ['evt_1', 'evt_2', 'evt_3']);
  assert.equal(opened, 2, 'onOpen once per connected stream (not for the 503)');
  assert.equal(s.requests[0].path, '/v2/events/stream');
  assert.equal(s.requests[0].headers.accept, 'text/event-stream');
  assert.equal(s.requests[0].query.types, 'server.*');
  assert.equal(s.requests[0].query.since, undefined);
  assert.equal(s.requests[1].query.since, 'evt_2');
  assert.equal(s.requests[2].query.since, 'evt_2');
  assert.equal(s.requests[2].headers['last-event-id'], 'evt_2');
});

test('events.stream with deliveries: true yields delivery frames; a 400 is thrown, not retried', async (t) => {
  const s = await stub((req, res) => {
    if (req.query.types === 'bogus') return problem(res, 400, { title: 'Bad Request', detail: 'types: unknown' });
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ type: 'delivery', delivery_id: 'dlv_1', status: 'delivered' })}\n\n`);
  });
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl });
  for await (const f of cn.events.stream({ deliveries: true })) { assert.equal(f.delivery_id, 'dlv_1'); break; }
  await assert.rejects(async () => { for await (const _ of cn.events.stream({ types: 'bogus' })) { /* none */ } }, { status: 400 });
  assert.equal(s.requests.filter((r) => r.query.types === 'bogus').length, 1);
});

test('listen (the CLI) forwards each event to the local URL, signed with the secret it prints', async (t) => {
  const platform = await stub((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('retry: 1000\n\n');
    res.write(frame(envelope(7)));
  });
  t.after(platform.close);
  let resolveGot;
  const got = new Promise((r) => { resolveGot = r; });
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { res.writeHead(204).end(); resolveGot({ url: req.url, headers: req.headers, body: Buffer.concat(chunks) }); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => receiver.close(r)));
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'listen', '--forward-to', `http://127.0.0.1:${receiver.address().port}/webhook`, '--events', 'server.*'], {
    env: { ...process.env, CN_API_KEY: 'cn_live_sk_listen', CLOUDNEXUS_BASE_URL: platform.baseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGTERM'));
  let out = '';
  const secret = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; const m = out.match(/whsec_[A-Za-z0-9+/=]+/); if (m) resolve(m[0]); });
    child.on('exit', (code) => reject(new Error(`listen exited ${code}: ${out}`)));
  });
  const delivery = await got;
  assert.equal(delivery.url, '/webhook');
  const event = verify(delivery.body, delivery.headers, secret);
  assert.equal(event.id, 'evt_7');
  assert.equal(delivery.headers['x-cloudnexus-event'], 'server.created');
  assert.equal(delivery.headers['webhook-id'], 'evt_7');
  assert.deepEqual(JSON.parse(delivery.body), envelope(7));
  assert.throws(() => verify(delivery.body, delivery.headers, 'whsec_' + Buffer.alloc(32).toString('base64')));
  assert.equal(platform.requests[0].headers.authorization, 'Bearer cn_live_sk_listen');
  assert.equal(platform.requests[0].query.types, 'server.*');
});
