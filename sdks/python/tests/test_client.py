import json
import os
import time
import unittest
from unittest import mock

import cloudnexus
from cloudnexus import APIConnectionError, APIError, BadRequestError, InternalServerError, NotFoundError, RateLimitError
from stub import Stub, problem, send

FAST = dict(initial_retry_delay=0.005, max_retry_delay=0.02)


class ClientTest(unittest.TestCase):
    def stub(self, handler):
        s = Stub(handler)
        self.addCleanup(s.close)
        return s

    def test_reference_snippet_server_id_and_environment(self):
        s = self.stub(lambda req, h, n: send(h, 201, {"id": "srv_1", "name": "server-1", "servers": [{"id": "srv_1"}, {"id": "srv_2"}]}))
        with mock.patch.dict(os.environ, {"CLOUDNEXUS_BASE_URL": s.base_url}):
            client = cloudnexus.Client(api_key="cn_live_sk_abc123")
            server = client.servers.create(region="us-east-1", plan="professional", image="ubuntu-22.04", count=2)
        self.assertEqual(f"Deployed: {server.id}", "Deployed: srv_1")
        self.assertEqual(server["id"], "srv_1")
        self.assertEqual([x.id for x in server.servers], ["srv_1", "srv_2"])
        r = s.requests[0]
        self.assertEqual((r.method, r.path), ("POST", "/v2/servers"))
        self.assertEqual(r.headers["authorization"], "Bearer cn_live_sk_abc123")
        self.assertEqual(r.headers["content-type"], "application/json")
        self.assertEqual(json.loads(r.body), {"region": "us-east-1", "plan": "professional", "image": "ubuntu-22.04", "count": 2})
        self.assertTrue(r.headers.get("idempotency-key"))
        self.assertNotIn("x-cloudnexus-id", r.headers)

    def test_key_from_environment_and_account_header(self):
        s = self.stub(lambda req, h, n: send(h, 200, {"id": "srv_1"}))
        with mock.patch.dict(os.environ, {"CN_API_KEY": "cn_live_sk_env", "CLOUDNEXUS_BASE_URL": s.base_url}):
            client = cloudnexus.Client(account_id="acc_1")
        client.servers.retrieve("srv_1")
        self.assertEqual(s.requests[0].headers["authorization"], "Bearer cn_live_sk_env")
        self.assertEqual(s.requests[0].headers["x-cloudnexus-id"], "acc_1")
        self.assertNotIn("idempotency-key", s.requests[0].headers)

    def test_no_key_is_an_error(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaisesRegex(cloudnexus.CloudNexusError, "CN_API_KEY"):
                cloudnexus.Client()

    def test_429_waits_for_retry_after_and_keeps_the_idempotency_key(self):
        def handler(req, h, n):
            if n == 1:
                problem(h, 429, {"title": "Too Many Requests"}, {"Retry-After": "1"})
            else:
                send(h, 201, {"id": "srv_9", "servers": []})

        s = self.stub(handler)
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, **FAST)
        started = time.monotonic()
        server = client.servers.create(region="us-east-1", plan="starter", image="debian-12")
        waited = time.monotonic() - started
        self.assertEqual(server.id, "srv_9")
        self.assertEqual(len(s.requests), 2)
        self.assertGreaterEqual(waited, 0.95)
        self.assertEqual(s.requests[0].headers["idempotency-key"], s.requests[1].headers["idempotency-key"])

    def test_503_backs_off_and_the_key_is_kept_across_retries(self):
        s = self.stub(lambda req, h, n: problem(h, 503, {"title": "Service Unavailable"}) if n <= 3 else send(h, 202, {"id": "bkp_1"}))
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, max_retries=3, initial_retry_delay=0.04, max_retry_delay=1)
        started = time.monotonic()
        backup = client.servers.backups.create("srv_1")
        self.assertEqual(backup.id, "bkp_1")
        self.assertEqual(len(s.requests), 4)
        self.assertEqual(len({r.headers["idempotency-key"] for r in s.requests}), 1)
        self.assertGreaterEqual(time.monotonic() - started, 0.135)  # 40, 80, 160 ms with jitter in [d/2, d]
        client.servers.backups.create("srv_1")
        self.assertNotEqual(s.requests[4].headers["idempotency-key"], s.requests[0].headers["idempotency-key"])

    def test_retries_end_with_the_typed_error(self):
        s = self.stub(lambda req, h, n: problem(h, 503, {"title": "Service Unavailable"}))
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, max_retries=2, **FAST)
        with self.assertRaises(InternalServerError) as cm:
            client.servers.retrieve("srv_1")
        self.assertEqual(cm.exception.status, 503)
        self.assertEqual(len(s.requests), 3)

    def test_400_not_retried_typed_error_with_problem_and_request_id(self):
        s = self.stub(
            lambda req, h, n: problem(
                h,
                400,
                {
                    "type": "https://api.cloudnexus.io/problems/invalid-field",
                    "title": "Bad Request",
                    "detail": "region: must be one of the valid values",
                    "request_id": "req_abc",
                    "errors": [{"field": "region", "valid_values": ["us-east-1"]}],
                },
            )
        )
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, **FAST)
        with self.assertRaises(BadRequestError) as cm:
            client.servers.create(region="mars-1", plan="starter", image="debian-12")
        e = cm.exception
        self.assertIsInstance(e, APIError)
        self.assertEqual(len(s.requests), 1)
        self.assertEqual(e.status, 400)
        self.assertEqual(e.request_id, "req_abc")
        self.assertEqual(e.detail, "region: must be one of the valid values")
        self.assertEqual(e.errors[0]["field"], "region")
        self.assertIn("req_abc", str(e))

    def test_404_and_429_classes(self):
        s = self.stub(
            lambda req, h, n: problem(h, 404, {"title": "Not Found"})
            if req.path.endswith("srv_404")
            else problem(h, 429, {"title": "Too Many Requests"}, {"Retry-After": "0"})
        )
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, max_retries=1, **FAST)
        with self.assertRaises(NotFoundError):
            client.servers.retrieve("srv_404")
        with self.assertRaises(RateLimitError) as cm:
            client.servers.retrieve("srv_1")
        self.assertEqual(cm.exception.retry_after, 0)

    def test_connection_errors_are_retried_then_raised(self):
        client = cloudnexus.Client(api_key="k", base_url="http://127.0.0.1:9/v2", max_retries=1, **FAST)
        with self.assertRaises(APIConnectionError):
            client.regions.list().data

    def test_timeout_is_retried_then_api_timeout_error(self):
        s = self.stub(lambda req, h, n: (time.sleep(0.4), send(h, 200, {"id": "srv_1"})))
        client = cloudnexus.Client(api_key="k", base_url=s.base_url, timeout=0.1, max_retries=1, **FAST)
        with self.assertRaises(cloudnexus.APITimeoutError):
            client.servers.retrieve("srv_1")
        self.assertEqual(len(s.requests), 2)

    def test_pagination_walks_every_page(self):
        items = [{"id": "srv_%d" % i} for i in range(5)]

        def handler(req, h, n):
            limit = int(req.query.get("limit", 20))
            after = req.query.get("starting_after")
            start = next(i for i, x in enumerate(items) if x["id"] == after) + 1 if after else 0
            send(h, 200, {"data": items[start : start + limit], "has_more": start + limit < len(items)})

        s = self.stub(handler)
        client = cloudnexus.Client(api_key="k", base_url=s.base_url)
        ids = [server.id for server in client.servers.list(limit=2, status="active")]
        self.assertEqual(ids, ["srv_0", "srv_1", "srv_2", "srv_3", "srv_4"])
        self.assertEqual([r.query.get("starting_after") for r in s.requests], [None, "srv_1", "srv_3"])
        self.assertTrue(all(r.query["limit"] == "2" and r.query["status"] == "active" for r in s.requests))
        page = client.servers.list(limit=2)
        self.assertEqual([x.id for x in page.data], ["srv_0", "srv_1"])
        self.assertTrue(page.has_more)
        self.assertEqual(len(client.servers.list(limit=2).to_list(limit=3)), 3)

    def test_resource_paths(self):
        s = self.stub(lambda req, h, n: send(h, 200, {"data": [], "has_more": False}))
        client = cloudnexus.Client(api_key="k", base_url=s.base_url)
        list(client.clusters.deployments.list("cls_1"))
        client.clusters.node_pools.update("cls_1", "pool-a", count=3)
        client.billing.usage(period="2026-11")
        list(client.webhooks.deliveries.list(endpoint_id="whk_1", status="dead"))
        client.webhooks.deliveries.attempts("dlv_1")
        client.webhooks.dead_letters.replay_all("whk_1", from_="2026-12-01T00:00:00Z")
        client.webhooks.rotate_secret("whk_1")
        client.webhooks.stats("whk_1", window="24h")
        list(client.events.list(type=["server.*", "cluster.created"]))
        client.catalog.list()
        self.assertEqual(
            ["%s %s" % (r.method, r.path) for r in s.requests],
            [
                "GET /v2/clusters/k8s/cls_1/deployments",
                "PUT /v2/clusters/k8s/cls_1/node_pools/pool-a",
                "GET /v2/billing/usage",
                "GET /v2/webhooks/whk_1/deliveries",
                "GET /v2/webhooks/deliveries/dlv_1/attempts",
                "POST /v2/webhooks/whk_1/dead-letters/replay",
                "POST /v2/webhooks/whk_1/secret/rotate",
                "GET /v2/webhooks/whk_1/stats",
                "GET /v2/events",
                "GET /v2/events/types",
            ],
        )
        self.assertEqual(s.requests[2].query, {"period": "2026-11"})
        self.assertEqual(s.requests[3].query, {"status": "dead"})
        self.assertEqual(json.loads(s.requests[5].body), {"from": "2026-12-01T00:00:00Z"})
        self.assertEqual(s.requests[8].query["type"], "server.*,cluster.created")


if __name__ == "__main__":
    unittest.main()
