import json
import unittest

import cloudnexus
from cloudnexus._stream import parse_sse
from stub import Stub, problem


def envelope(n, type_="server.created"):
    return {"event": type_, "id": "evt_%d" % n, "timestamp": "2026-12-04T12:00:00Z", "data": {"server_id": "srv_%d" % n}}


def frame(env):
    return "event: %s\nid: %s\ndata: %s\n\n" % (env["event"], env["id"], json.dumps({"type": "event", "event": env}))


def sse(h, text, close=True):
    data = text.encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/event-stream")
    if close:
        h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)
    h.wfile.flush()
    if close:
        h.close_connection = True


class StreamTest(unittest.TestCase):
    def test_parse_sse(self):
        lines = [b"retry: 1000\n", b"\n", b": heartbeat\n", b"\n", b"event: a\r\n", b"id: 1\r\n", b'data: {"x":\r\n', b"data: 1}\r\n", b"\r\n"]
        self.assertEqual(
            list(parse_sse(lines)),
            [{"data": "", "retry": 1000}, {"event": "a", "id": "1", "data": '{"x":\n1}'}],
        )

    def test_stream_yields_events_reconnects_and_resumes_after_the_last_id(self):
        def handler(req, h, n):
            if n == 1:
                delivery = json.dumps({"type": "delivery", "delivery_id": "dlv_1", "status": "delivered"})
                sse(h, "retry: 10\n\n" + frame(envelope(1)) + ": heartbeat\n\n" + "data: %s\n\n" % delivery + frame(envelope(2)))
            elif n == 2:
                problem(h, 503, {"title": "Service Unavailable"}, {"Retry-After": "0"})
            else:
                sse(h, frame(envelope(3, "server.terminated")))

        s = Stub(handler)
        self.addCleanup(s.close)
        client = cloudnexus.Client(api_key="k", base_url=s.base_url)
        got = []
        for event in client.events.stream(types=["server.*"]):
            got.append(event.id)
            if len(got) == 3:
                break
        self.assertEqual(got, ["evt_1", "evt_2", "evt_3"])
        self.assertEqual(s.requests[0].path, "/v2/events/stream")
        self.assertEqual(s.requests[0].headers["accept"], "text/event-stream")
        self.assertEqual(s.requests[0].query, {"types": "server.*"})
        self.assertEqual(s.requests[1].query["since"], "evt_2")
        self.assertEqual(s.requests[2].query["since"], "evt_2")
        self.assertEqual(s.requests[2].headers["last-event-id"], "evt_2")

    def test_deliveries_and_a_400_is_raised(self):
        def handler(req, h, n):
            if req.query.get("types") == "bogus":
                return problem(h, 400, {"title": "Bad Request"})
            sse(h, "data: %s\n\n" % json.dumps({"type": "delivery", "delivery_id": "dlv_1"}))

        s = Stub(handler)
        self.addCleanup(s.close)
        client = cloudnexus.Client(api_key="k", base_url=s.base_url)
        for f in client.events.stream(deliveries=True):
            self.assertEqual(f.delivery_id, "dlv_1")
            break
        with self.assertRaises(cloudnexus.BadRequestError):
            list(client.events.stream(types="bogus"))
        self.assertEqual(len([r for r in s.requests if r.query.get("types") == "bogus"]), 1)


if __name__ == "__main__":
    unittest.main()
