import base64
import hashlib
import hmac
import time
import unittest

import cloudnexus
from cloudnexus import WebhookVerificationError, webhooks

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
PREVIOUS = "whsec_" + base64.b64encode(b"fedcba9876543210fedcba9876543210").decode()
BODY = b'{"event":"server.created","id":"evt_9f8a7b6c5d4e","timestamp":"2025-01-15T14:22:00Z","data":{"server_id":"srv_2x9k4m","region":"us-east-1"}}'
EID = "evt_9f8a7b6c5d4e"


# Computed here independently, as the platform does (docs/webhook-service.md "The request a receiver gets").
def hex_sig(secret, body=BODY):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def std_sig(secret, ts, body=BODY):
    key = base64.b64decode(secret[len("whsec_"):])
    return base64.b64encode(hmac.new(key, ("%s.%s." % (EID, ts)).encode() + body, hashlib.sha256).digest()).decode()


def platform_headers(ts=None, secrets=(SECRET,)):
    ts = int(time.time()) if ts is None else ts
    return {
        "X-CloudNexus-Signature": hex_sig(secrets[0]),
        "CloudNexus-Signature": hex_sig(secrets[0]),
        "webhook-id": EID,
        "webhook-timestamp": str(ts),
        "webhook-signature": " ".join("v1," + std_sig(s, ts) for s in secrets),
    }


class VerifyTest(unittest.TestCase):
    def test_valid_standard_signature_returns_the_envelope(self):
        event = cloudnexus.webhooks.verify(BODY, platform_headers(), SECRET)
        self.assertEqual(event.event, "server.created")
        self.assertEqual(event.data.server_id, "srv_2x9k4m")
        self.assertEqual(webhooks.verify(BODY.decode(), list(platform_headers().items()), SECRET).id, EID)
        client = cloudnexus.Client(api_key="k")
        self.assertEqual(client.webhooks.verify(BODY, platform_headers(), SECRET).id, EID)

    def test_valid_hex_signature(self):
        self.assertEqual(webhooks.verify(BODY, {"x-cloudnexus-signature": hex_sig(SECRET)}, SECRET).id, EID)
        self.assertEqual(webhooks.verify(BODY, {"CloudNexus-Signature": hex_sig(SECRET)}, SECRET).id, EID)

    def test_tampered_body_signature_or_wrong_secret(self):
        tampered = BODY.replace(b"us-east-1", b"us-west-2")
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(tampered, platform_headers(), SECRET)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(tampered, {"x-cloudnexus-signature": hex_sig(SECRET)}, SECRET)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(BODY, platform_headers(), PREVIOUS)
        h = platform_headers()
        h["webhook-signature"] = "v1," + base64.b64encode(bytes(32)).decode()
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(BODY, h, SECRET)
        with self.assertRaisesRegex(WebhookVerificationError, "No signature header"):
            webhooks.verify(BODY, {}, SECRET)
        with self.assertRaisesRegex(WebhookVerificationError, "No webhook secret"):
            webhooks.verify(BODY, platform_headers(), "")
        with self.assertRaisesRegex(WebhookVerificationError, "raw body"):
            webhooks.verify({"event": "x"}, platform_headers(), SECRET)

    def test_stale_or_future_timestamp(self):
        now = int(time.time())
        with self.assertRaisesRegex(WebhookVerificationError, "tolerance"):
            webhooks.verify(BODY, platform_headers(now - 301), SECRET)
        with self.assertRaisesRegex(WebhookVerificationError, "tolerance"):
            webhooks.verify(BODY, platform_headers(now + 301), SECRET)
        self.assertEqual(webhooks.verify(BODY, platform_headers(now - 290), SECRET).id, EID)
        self.assertEqual(webhooks.verify(BODY, platform_headers(now - 1000), SECRET, tolerance=1200).id, EID)

    def test_rotation_two_signatures(self):
        h = platform_headers(secrets=(SECRET, PREVIOUS))
        self.assertEqual(len(h["webhook-signature"].split(" ")), 2)
        self.assertEqual(webhooks.verify(BODY, h, SECRET).id, EID)
        self.assertEqual(webhooks.verify(BODY, h, PREVIOUS).id, EID)
        self.assertEqual(webhooks.verify(BODY, h, [PREVIOUS, SECRET]).id, EID)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(BODY, h, "whsec_" + base64.b64encode(b"x" * 32).decode())
        hex_rotation = {"x-cloudnexus-signature": hex_sig(SECRET), "x-cloudnexus-signature-previous": hex_sig(PREVIOUS)}
        self.assertEqual(webhooks.verify(BODY, hex_rotation, PREVIOUS).id, EID)

    def test_sign_matches_the_platform(self):
        ts = int(time.time())
        h = webhooks.sign(BODY, SECRET, EID, timestamp=ts)
        self.assertEqual(h["X-CloudNexus-Signature"], hex_sig(SECRET))
        self.assertEqual(h["webhook-signature"], "v1," + std_sig(SECRET, ts))
        self.assertEqual(webhooks.verify(BODY, h, SECRET).id, EID)
        self.assertTrue(webhooks.generate_secret().startswith("whsec_"))


if __name__ == "__main__":
    unittest.main()
