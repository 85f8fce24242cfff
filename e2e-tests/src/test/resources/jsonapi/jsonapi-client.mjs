// A JSON:API client as a customer writes one, run by JsonApiIT against the real platform: kitsu-core (and jsona)
// deserialise what the gateway answers for Accept: application/vnd.api+json and serialise a create; global fetch
// carries it. Environment: CN_BASE_URL (the gateway, no trailing slash), CN_API_KEY, CN_WEBHOOK_ID (an endpoint of
// the account with at least one delivery), CN_OTHER_SERVER_ID (a server of another account).
// Every check fails the script (exit 1, with what was wrong); the last line is "JSONAPI <json>" for the IT.
import assert from 'node:assert/strict';
import { deserialise, serialise } from 'kitsu-core';
import { Jsona } from 'jsona';

const JSON_API = 'application/vnd.api+json';
const base = process.env.CN_BASE_URL;
const key = process.env.CN_API_KEY;
const webhookId = process.env.CN_WEBHOOK_ID;
const otherServerId = process.env.CN_OTHER_SERVER_ID;
for (const [name, value] of Object.entries({ base, key, webhookId, otherServerId })) {
  assert.ok(value, `missing environment for ${name}`);
}
const jsona = new Jsona();
const result = {};

/** One request; the raw answer: status, content type, parsed body (null when empty). */
async function call(path, { method = 'GET', accept = JSON_API, contentType, body } = {}) {
  const headers = { Authorization: `Bearer ${key}`, Accept: accept };
  if (contentType) headers['Content-Type'] = contentType;
  const res = await fetch(new URL(path, base), { method, headers, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), vary: res.headers.get('vary'), body: text ? JSON.parse(text) : null };
}

/** A JSON:API GET: 200, the JSON:API media type, a 1.1 document; the raw document (a copy: kitsu-core mutates it). */
async function document(path) {
  const r = await call(path);
  assert.equal(r.status, 200, `GET ${path}: ${JSON.stringify(r.body)}`);
  assert.equal(r.type, JSON_API, `GET ${path} content type`);
  assert.equal(r.body.jsonapi?.version, '1.1', `GET ${path}: jsonapi.version`);
  assert.ok(!('errors' in r.body), `GET ${path}: no errors member`);
  return r.body;
}

/** Every resource object: a string id, the expected type, no id/type among its attributes. */
function checkResources(path, raw, type) {
  const items = Array.isArray(raw.data) ? raw.data : [raw.data];
  for (const item of items) {
    assert.equal(typeof item.id, 'string', `${path}: id is a string in ${JSON.stringify(item)}`);
    assert.equal(item.type, type, `${path}: type of ${item.id}`);
    assert.ok(!('id' in (item.attributes ?? {})) && !('type' in (item.attributes ?? {})), `${path}: id/type as attributes`);
  }
}

/** GET a listing as JSON:API, following links.next to the end; every page deserialised by kitsu-core. */
async function allPages(first, type) {
  const pages = [];
  let next = first;
  while (next) {
    assert.ok(pages.length < 50, `${first}: more than 50 pages`);
    const raw = await document(next);
    checkResources(next, raw, type);
    assert.equal(raw.links?.self, new URL(next, base).pathname + new URL(next, base).search, `${next}: links.self`);
    assert.ok('next' in raw.links, `${next}: links.next present (null on the last page)`);
    const page = deserialise(structuredClone(raw));
    assert.ok(Array.isArray(page.data), `${next}: a collection`);
    assert.equal(page.meta.has_more, raw.links.next !== null, `${next}: has_more agrees with links.next`);
    pages.push(page);
    next = raw.links.next;
  }
  return pages;
}

// 1. the first page of servers (limit=2), by kitsu-core and by jsona: the same servers
const firstRaw = await document('/v2/servers?limit=2');
checkResources('/v2/servers?limit=2', firstRaw, 'servers');
const first = deserialise(structuredClone(firstRaw));
const byJsona = jsona.deserialize(structuredClone(firstRaw));
assert.equal(first.data.length, 2, 'two servers on the first page');
assert.deepEqual(byJsona.map((s) => s.id), first.data.map((s) => s.id), 'jsona and kitsu-core agree on the ids');
for (const [i, s] of first.data.entries()) {
  for (const [name, value] of Object.entries(firstRaw.data[i].attributes)) {
    assert.deepEqual(byJsona[i][name], value, `jsona: ${name} of ${s.id}`);
  }
}
assert.ok(first.links.next, 'a next link after the first of several pages');
result.first_page = first.data;
result.first_page_links = first.links;

// 2. every page, following links.next
const pages = await allPages('/v2/servers?limit=2', 'servers');
result.server_pages = pages.length;
result.all_server_ids = pages.flatMap((p) => p.data.map((s) => s.id));

// 3. one server, one webhook endpoint
const oneId = first.data[0].id;
const oneRaw = await document(`/v2/servers/${oneId}`);
checkResources('/v2/servers/{id}', oneRaw, 'servers');
assert.equal(oneRaw.data.links?.self, `/v2/servers/${oneId}`);
result.server = deserialise(oneRaw).data;
const hookRaw = await document(`/v2/webhooks/${webhookId}`);
checkResources('/v2/webhooks/{id}', hookRaw, 'webhooks');
result.webhook = deserialise(structuredClone(hookRaw)).data;
result.webhook_by_jsona = jsona.deserialize(hookRaw);

// 4. the account's events, deliveries, a delivery's attempts, the event catalog
const events = await allPages('/v2/events?limit=2', 'events');
result.event_ids = events.flatMap((p) => p.data.map((e) => e.id));
result.event_names = events.flatMap((p) => p.data.map((e) => e.event));
const eventRaw = await document(`/v2/events/${result.event_ids[0]}`);
checkResources('/v2/events/{id}', eventRaw, 'events');
result.event = deserialise(eventRaw).data;
const deliveries = await allPages(`/v2/webhooks/${webhookId}/deliveries?limit=1`, 'deliveries');
result.delivery_ids = deliveries.flatMap((p) => p.data.map((d) => d.id));
const deliveryId = result.delivery_ids[0];
const attemptsPath = `/v2/webhooks/${webhookId}/deliveries/${deliveryId}/attempts`;
const attemptsRaw = await document(attemptsPath);
checkResources(attemptsPath, attemptsRaw, 'attempts');
result.attempts = deserialise(attemptsRaw).data;
const catalogRaw = await document('/v2/events/types');
checkResources('/v2/events/types', catalogRaw, 'event-types');
result.catalog = deserialise(catalogRaw).data.map((t) => ({ id: t.id, category: t.category, has_schema: !!t.schema }));

// 5. a server created with a JSON:API body serialised by kitsu-core
const name = `jsonapi-${Date.now()}`;
const createBody = serialise('servers', { name, region: 'us-east-1', plan: 'starter', image: 'ubuntu-22.04' });
assert.deepEqual(Object.keys(createBody.data).sort(), ['attributes', 'type']);
const created = await call('/v2/servers', { method: 'POST', contentType: JSON_API, body: JSON.stringify(createBody) });
assert.ok([201, 202].includes(created.status), `create: ${created.status} ${JSON.stringify(created.body)}`);
assert.equal(created.type, JSON_API);
checkResources('POST /v2/servers', created.body, 'servers');
result.created_status = created.status;
result.created = deserialise(created.body).data;

// 6. error objects: an unknown region, another account's server
const refused = await call('/v2/servers', {
  method: 'POST', contentType: JSON_API,
  body: JSON.stringify(serialise('servers', { name: 'nowhere', region: 'mars-1', plan: 'starter', image: 'ubuntu-22.04' })),
});
assert.equal(refused.type, JSON_API, `unknown region: ${JSON.stringify(refused.body)}`);
assert.ok(Array.isArray(refused.body.errors) && refused.body.errors.length > 0, 'unknown region: errors');
assert.ok(!('data' in refused.body), 'an error document has no data');
result.bad_region = { status: refused.status, errors: refused.body.errors };
const foreign = await call(`/v2/servers/${otherServerId}`);
assert.equal(foreign.type, JSON_API);
result.foreign = { status: foreign.status, errors: foreign.body.errors };

// 7. the media type rules, with raw fetch
const ext = 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"';
const withExt = await call('/v2/servers', { method: 'POST', contentType: ext, body: JSON.stringify(createBody) });
const withCharset = await call('/v2/servers', {
  method: 'POST', contentType: 'application/vnd.api+json; charset=utf-8', body: JSON.stringify(createBody),
});
const acceptExt = await call('/v2/servers?limit=1', { accept: ext });
const acceptProfile = await call('/v2/servers?limit=1', { accept: 'application/vnd.api+json; profile="https://example.com/p"' });
const plain = await call('/v2/servers?limit=2', { accept: 'application/json' });
result.media = {
  content_type_ext: { status: withExt.status, type: withExt.type, body: withExt.body },
  content_type_charset: { status: withCharset.status, type: withCharset.type },
  accept_ext: { status: acceptExt.status, type: acceptExt.type, body: acceptExt.body },
  accept_profile: { status: acceptProfile.status, type: acceptProfile.type, version: acceptProfile.body?.jsonapi?.version },
  plain: { status: plain.status, type: plain.type, vary: plain.vary, body: plain.body },
};

console.log(`JSONAPI ${JSON.stringify(result)}`);
