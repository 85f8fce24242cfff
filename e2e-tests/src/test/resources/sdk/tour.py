"""A customer's tour through the cloudnexus package against the real platform, run by PythonSdkIT with the python
of a venv the built package was pip-installed into (never the source tree). The SDK reads CN_API_KEY and
CLOUDNEXUS_BASE_URL; CN_LIMITED_API_KEY is the key of an account with a tiny rate limit. Every check fails the
script (exit 1); the last line is "TOUR <json>" for the IT to check against the platform."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cloudnexus
from cloudnexus import RateLimitError, WebhookVerificationError
from cloudnexus.webhooks import verify

WAIT_SECONDS = 120.0
result = {"sdk": cloudnexus.__file__}
client = cloudnexus.Client()


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def refused(raw, headers, secret):
    try:
        verify(raw, headers, secret)
    except WebhookVerificationError:
        return True
    return False


# A receiver as a customer writes it: the raw body and the headers go to the SDK's verify; 204 if it verifies,
# else 400.
secret = None
received = []
arrived = threading.Condition()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            envelope, error = verify(raw, headers, secret), None
        except WebhookVerificationError as e:
            envelope, error = None, e
        self.send_response(204 if envelope is not None else 400)
        self.end_headers()
        with arrived:
            received.append({"raw": raw, "headers": headers, "envelope": envelope, "error": error})
            arrived.notify_all()

    def log_message(self, *args):
        pass


receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()


def arrival(what, find):
    """find()'s first truthy value, re-checked on every request the receiver gets."""
    with arrived:
        found = arrived.wait_for(find, timeout=WAIT_SECONDS)
    check(found, "no %s within %s s" % (what, WAIT_SECONDS))
    return found


def eventually(what, fn):
    """Re-runs fn (an API read) until it returns a truthy value; the platform's state settles asynchronously."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = fn()
        if value:
            return value
        check(time.monotonic() < deadline, "%s did not happen within %s s" % (what, WAIT_SECONDS))
        time.sleep(0.25)


# 1. an endpoint for the receiver; a server created: its server.created arrives signed, and verifies
endpoint = client.webhooks.create(url="http://127.0.0.1:%d/hook" % receiver.server_address[1], events=["server.*"])
secret = endpoint.secret
check(endpoint.id.startswith("whk_") and secret.startswith("whsec_"), "endpoint %s" % endpoint.id)
server = client.servers.create(region="us-east-1", plan="starter", image="ubuntu-22.04")
delivery = arrival(
    "server.created of " + server.id,
    lambda: next(
        (
            d
            for d in received
            if d["envelope"] is not None
            and d["envelope"]["event"] == "server.created"
            and d["envelope"]["data"]["server_id"] == server.id
        ),
        None,
    ),
)
errors = [str(d["error"]) for d in received if d["error"] is not None]
check(not errors, "every delivery verifies: %s" % errors)

# both signature styles, each alone, with the SDK's verify; a changed byte or another secret does not verify
raw, headers = delivery["raw"], delivery["headers"]
check("webhook-signature" in headers and "x-cloudnexus-signature" in headers, "the platform sends both styles")
standard = {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
hex_style = {"x-cloudnexus-signature": headers["x-cloudnexus-signature"]}
tampered = raw[:-2] + bytes([raw[-2] ^ 1]) + raw[-1:]
other_secret = "whsec_" + base64.b64encode(bytes([7]) * 32).decode()
for style in (standard, hex_style):
    check(verify(raw, style, secret).id == delivery["envelope"].id, "verifies alone: %s" % list(style))
    check(refused(tampered, style, secret), "a changed byte is refused: %s" % list(style))
    check(refused(raw, style, other_secret), "another secret is refused: %s" % list(style))
stale = dict(standard, **{"webhook-timestamp": str(int(time.time()) - 3600)})
check(refused(raw, stale, secret), "an hour-old timestamp is refused")
result.update(endpoint_id=endpoint.id, event_id=delivery["envelope"].id, server_id=server.id)

# 2. the deliveries list shows it delivered (the platform records the receiver's 204)
listed = eventually(
    "the delivery listed as delivered",
    lambda: next(
        (
            d
            for d in client.webhooks.deliveries.list(endpoint_id=endpoint.id, limit=100)
            if d.event_id == delivery["envelope"].id and d.status == "delivered"
        ),
        None,
    ),
)
result["delivery_id"] = listed.id

# 3. more than one page of servers, walked with the pagination iterator
more = client.servers.create(region="us-east-1", plan="starter", image="ubuntu-22.04", count=4)
created = [server.id] + [s["id"] for s in more.servers]
pages = [[s["id"] for s in page.data] for page in client.servers.list(limit=2).pages()]
walked = [s.id for s in client.servers.list(limit=2)]
check(len(pages) == 3, "5 servers in pages of 2: %s" % pages)
check([i for page in pages for i in page] == walked, "pages %s, iterated %s" % (pages, walked))
check(sorted(walked) == sorted(created), "the account has exactly the servers the tour created: %s" % walked)
result.update(server_ids=created, pages=pages)

# 4. a real 429: the limited account's window used up without retries, then a client that waits per Retry-After
impatient = cloudnexus.Client(api_key=os.environ["CN_LIMITED_API_KEY"], max_retries=0)
limited = None
for _ in range(50):
    try:
        impatient.regions.list().data
    except RateLimitError as e:
        limited = e
        break
check(limited is not None, "the limited account got a 429")
check(limited.status == 429 and 0 < limited.retry_after <= 60, "429, Retry-After %s" % limited.retry_after)
patient = cloudnexus.Client(api_key=os.environ["CN_LIMITED_API_KEY"])
started = time.monotonic()
regions = patient.regions.list().data
waited = time.monotonic() - started
check(len(regions) > 0, "regions")
check(waited >= limited.retry_after - 2, "waited %.1f s for Retry-After %s" % (waited, limited.retry_after))
result.update(retry_after=limited.retry_after, waited_seconds=waited)

receiver.shutdown()
print("TOUR " + json.dumps(result), flush=True)
