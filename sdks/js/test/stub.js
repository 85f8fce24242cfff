// A local stub of the API (node:http): each test gives a handler; every request is recorded.
import http from 'node:http';

export async function stub(handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'http://stub');
      const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(record);
      Promise.resolve(handler(record, res, requests.length)).catch((e) => { res.statusCode = 599; res.end(String(e)); });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    baseUrl: `${base}/v2`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}

export function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function problem(res, status, fields, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/problem+json', 'x-request-id': fields.request_id ?? 'req_stub', ...headers });
  res.end(JSON.stringify({ status, ...fields }));
}
