import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudNexus, BadRequestError, RateLimitError, NotFoundError, APIError, APIConnectionError, APITimeoutError, InternalServerError } from '../dist/index.js';
import { stub, json, problem } from './stub.js';

const fast = { initialRetryDelay: 5, maxRetryDelay: 20 };

test('the reference snippet: create servers, server.id, key and base URL from the environment', async (t) => {
  const s = await stub((req, res) => json(res, 201, { id: 'srv_1', name: 'server-1', servers: [{ id: 'srv_1' }, { id: 'srv_2' }] }));
  t.after(s.close);
  process.env.CN_API_KEY = 'cn_live_sk_env';
  process.env.CLOUDNEXUS_BASE_URL = s.baseUrl;
  try {
    const cn = new CloudNexus(process.env.CN_API_KEY);
    const server = await cn.servers.create({ region: 'us-east-1', plan: 'professional', image: 'ubuntu-22.04', count: 2 });
    assert.equal(`Deployed: ${server.id}`, 'Deployed: srv_1');
    assert.equal(server.servers.length, 2);
    const r = s.requests[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/v2/servers');
    assert.equal(r.headers.authorization, 'Bearer cn_live_sk_env');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), { region: 'us-east-1', plan: 'professional', image: 'ubuntu-22.04', count: 2 });
    assert.ok(r.headers['idempotency-key'], 'a POST carries an Idempotency-Key');
    assert.equal(r.headers['x-cloudnexus-id'], undefined, 'no account header unless configured');
  } finally {
    delete process.env.CN_API_KEY;
    delete process.env.CLOUDNEXUS_BASE_URL;
  }
});

test('account id is sent as X-CloudNexus-Id', async (t) => {
  const s = await stub((req, res) => json(res, 200, { id: 'srv_1' }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, accountId: 'acc_1' });
  await cn.servers.retrieve('srv_1');
  assert.equal(s.requests[0].headers['x-cloudnexus-id'], 'acc_1');
  assert.equal(s.requests[0].path, '/v2/servers/srv_1');
  assert.equal(s.requests[0].headers['idempotency-key'], undefined, 'no Idempotency-Key on GET');
});

test('429 is retried after Retry-After, with the same Idempotency-Key', async (t) => {
  const s = await stub((req, res, n) =>
    n === 1 ? problem(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '1' }) : json(res, 201, { id: 'srv_9', servers: [] }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, ...fast });
  const started = Date.now();
  const server = await cn.servers.create({ region: 'us-east-1', plan: 'starter', image: 'debian-12' });
  const waited = Date.now() - started;
  assert.equal(server.id, 'srv_9');
  assert.equal(s.requests.length, 2);
  assert.ok(waited >= 950, `waited ${waited} ms for Retry-After: 1`);
  assert.equal(s.requests[0].headers['idempotency-key'], s.requests[1].headers['idempotency-key']);
});

test('503 backs off exponentially and the Idempotency-Key is kept across every retry', async (t) => {
  const s = await stub((req, res, n) => (n <= 3 ? problem(res, 503, { title: 'Service Unavailable' }) : json(res, 202, { id: 'bkp_1' })));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, maxRetries: 3, initialRetryDelay: 40, maxRetryDelay: 1000 });
  const times = [];
  const started = Date.now();
  const backup = await cn.servers.backups.create('srv_1');
  assert.equal(backup.id, 'bkp_1');
  assert.equal(s.requests.length, 4);
  const keys = new Set(s.requests.map((r) => r.headers['idempotency-key']));
  assert.equal(keys.size, 1, 'one key for all attempts');
  // backoff 40, 80, 160 ms with jitter in [d/2, d]: at least 140 ms in total
  assert.ok(Date.now() - started >= 135, `backed off ${Date.now() - started} ms`);
  // a second call gets a new key
  await cn.servers.backups.create('srv_1');
  assert.notEqual(s.requests[4].headers['idempotency-key'], s.requests[0].headers['idempotency-key']);
  void times;
});

test('retries end after maxRetries with the typed error', async (t) => {
  const s = await stub((req, res) => problem(res, 503, { title: 'Service Unavailable', detail: 'down' }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, maxRetries: 2, ...fast });
  await assert.rejects(cn.servers.retrieve('srv_1'), (e) => e instanceof InternalServerError && e.status === 503);
  assert.equal(s.requests.length, 3);
});

test('400 is not retried and throws a typed error with the problem details and request id', async (t) => {
  const s = await stub((req, res) =>
    problem(res, 400, {
      type: 'https://api.cloudnexus.io/problems/invalid-field', title: 'Bad Request', detail: 'region: must be one of the valid values',
      request_id: 'req_abc', errors: [{ field: 'region', message: 'unknown', valid_values: ['us-east-1'] }],
    }, { 'x-request-id': 'req_abc' }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, ...fast });
  const err = await cn.servers.create({ region: 'mars-1', plan: 'starter', image: 'debian-12' }).catch((e) => e);
  assert.equal(s.requests.length, 1, 'no retry on 400');
  assert.ok(err instanceof BadRequestError);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 400);
  assert.equal(err.requestId, 'req_abc');
  assert.equal(err.detail, 'region: must be one of the valid values');
  assert.equal(err.errors[0].field, 'region');
  assert.deepEqual(err.problem.errors[0].valid_values, ['us-east-1']);
  assert.match(err.message, /req_abc/);
});

test('404 and 429 map to their classes; a 429 beyond maxRetries keeps retryAfter', async (t) => {
  const s = await stub((req, res) =>
    req.path.endsWith('srv_404') ? problem(res, 404, { title: 'Not Found' }) : problem(res, 429, { title: 'Too Many Requests' }, { 'retry-after': '0' }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, maxRetries: 1, ...fast });
  await assert.rejects(cn.servers.retrieve('srv_404'), NotFoundError);
  const err = await cn.servers.retrieve('srv_1').catch((e) => e);
  assert.ok(err instanceof RateLimitError);
  assert.equal(err.retryAfter, 0);
});

test('connection errors are retried, then an APIConnectionError', async () => {
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: 'http://127.0.0.1:9/v2', maxRetries: 1, ...fast });
  await assert.rejects(async () => cn.regions.list(), APIConnectionError);
});

test('a request without an answer within timeout is retried, then an APITimeoutError', async (t) => {
  const s = await stub((req, res) => { setTimeout(() => json(res, 200, { id: 'srv_1' }), 400); });
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl, timeout: 100, maxRetries: 1, ...fast });
  await assert.rejects(cn.servers.retrieve('srv_1'), APITimeoutError);
  assert.equal(s.requests.length, 2);
});

test('pagination: for await walks every page with starting_after; await gives the first page', async (t) => {
  const all = Array.from({ length: 5 }, (_, i) => ({ id: `srv_${i}` }));
  const s = await stub((req, res) => {
    const limit = Number(req.query.limit ?? 20);
    const start = req.query.starting_after ? all.findIndex((x) => x.id === req.query.starting_after) + 1 : 0;
    json(res, 200, { data: all.slice(start, start + limit), has_more: start + limit < all.length });
  });
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl });
  const seen = [];
  for await (const server of cn.servers.list({ limit: 2, status: 'active' })) seen.push(server.id);
  assert.deepEqual(seen, ['srv_0', 'srv_1', 'srv_2', 'srv_3', 'srv_4']);
  assert.deepEqual(s.requests.map((r) => r.query.starting_after ?? null), [null, 'srv_1', 'srv_3']);
  assert.ok(s.requests.every((r) => r.query.limit === '2' && r.query.status === 'active'));
  const page = await cn.servers.list({ limit: 2 });
  assert.deepEqual(page.data.map((x) => x.id), ['srv_0', 'srv_1']);
  assert.equal(page.has_more, true);
  assert.equal((await cn.servers.list({ limit: 2 }).toArray(3)).length, 3);
});

test('resource paths', async (t) => {
  const s = await stub((req, res) => json(res, 200, { data: [], has_more: false }));
  t.after(s.close);
  const cn = new CloudNexus('cn_live_sk_x', { baseUrl: s.baseUrl });
  await cn.clusters.deployments.list('cls_1').toArray();
  await cn.clusters.nodePools.update('cls_1', 'pool-a', { count: 3 });
  await cn.billing.usage({ period: '2026-11' });
  await cn.webhooks.deliveries.list({ endpoint_id: 'whk_1', status: 'dead' }).toArray();
  await cn.webhooks.deliveries.attempts('dlv_1');
  await cn.webhooks.deadLetters.replayAll('whk_1', { from: '2026-12-01T00:00:00Z' });
  await cn.webhooks.rotateSecret('whk_1');
  await cn.webhooks.stats('whk_1', { window: '24h' });
  await cn.events.list({ type: ['server.*', 'cluster.created'] }).toArray();
  await cn.catalog.list();
  assert.deepEqual(s.requests.map((r) => `${r.method} ${r.path}`), [
    'GET /v2/clusters/k8s/cls_1/deployments',
    'PUT /v2/clusters/k8s/cls_1/node_pools/pool-a',
    'GET /v2/billing/usage',
    'GET /v2/webhooks/whk_1/deliveries',
    'GET /v2/webhooks/deliveries/dlv_1/attempts',
    'POST /v2/webhooks/whk_1/dead-letters/replay',
    'POST /v2/webhooks/whk_1/secret/rotate',
    'GET /v2/webhooks/whk_1/stats',
    'GET /v2/events',
    'GET /v2/events/types',
  ]);
  assert.equal(s.requests[3].query.status, 'dead');
  assert.equal(s.requests[3].query.endpoint_id, undefined);
  assert.equal(s.requests[8].query.type, 'server.*,cluster.created');
});

test('no API key is an error', () => {
  delete process.env.CN_API_KEY;
  assert.throws(() => new CloudNexus(), /CN_API_KEY/);
});
