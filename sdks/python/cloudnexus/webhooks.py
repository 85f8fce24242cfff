"""Verifying (and, for tests and local tools, signing) CloudNexus webhook deliveries."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import time
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._models import CloudNexusObject, wrap
from .errors import WebhookVerificationError

DEFAULT_TOLERANCE_SECONDS = 300

Body = Union[str, bytes, bytearray, memoryview]


def _bytes(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


def _header(headers: Any, name: str) -> Optional[str]:
    lower = name.lower()
    items: Iterable[Any] = headers.items() if hasattr(headers, "items") else headers
    found = None
    for k, v in items:
        if str(k).lower() == lower:
            found = ", ".join(v) if isinstance(v, (list, tuple)) else (None if v is None else str(v))
    return found


def _standard_key(secret: str) -> bytes:
    raw = secret[len("whsec_"):] if secret.startswith("whsec_") else secret
    try:
        return base64.b64decode(raw, validate=False)
    except (binascii.Error, ValueError) as e:
        raise WebhookVerificationError("The secret is not whsec_<base64>") from e


def hex_signature(raw_body: Body, secret: str) -> str:
    """Lowercase hex HMAC-SHA256 of the raw body keyed with the secret string as shown (``X-CloudNexus-Signature``)."""
    return hmac.new(secret.encode("utf-8"), _bytes(raw_body), hashlib.sha256).hexdigest()


def standard_signature(webhook_id: str, timestamp: Union[int, str], raw_body: Body, secret: str) -> str:
    """Base64 HMAC-SHA256 of ``id.timestamp.body`` keyed with the decoded secret (Standard Webhooks, without ``v1,``)."""
    msg = ("%s.%s." % (webhook_id, timestamp)).encode("utf-8") + _bytes(raw_body)
    return base64.b64encode(hmac.new(_standard_key(secret), msg, hashlib.sha256).digest()).decode("ascii")


def generate_secret() -> str:
    """A new signing secret in the platform's format: ``whsec_`` + base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(os.urandom(32)).decode("ascii")


def sign(raw_body: Body, secret: str, webhook_id: str, timestamp: Optional[int] = None, event: Optional[str] = None) -> dict:
    """The headers the platform sends with a delivery of ``raw_body`` signed with ``secret``."""
    ts = int(time.time()) if timestamp is None else timestamp
    hex_sig = hex_signature(raw_body, secret)
    headers = {
        "Content-Type": "application/json",
        "X-CloudNexus-Signature": hex_sig,
        "CloudNexus-Signature": hex_sig,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": "v1," + standard_signature(webhook_id, ts, raw_body, secret),
    }
    if event:
        headers["X-CloudNexus-Event"] = event
    return headers


def verify(
    raw_body: Body,
    headers: Any,
    secret: Union[str, Sequence[str]],
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> CloudNexusObject:
    """Verifies a delivery and returns its parsed envelope; raises :class:`WebhookVerificationError` otherwise.

    Pass the body exactly as received (bytes or str). ``headers`` may be any mapping (case-insensitive lookup) or
    a list of pairs. With ``webhook-signature`` (Standard Webhooks) the ``webhook-timestamp`` must be within
    ``tolerance`` seconds of now and any ``v1,`` signature of the list may match (two during a secret rotation);
    otherwise the hex ``X-CloudNexus-Signature`` of the body is checked (it has no signed timestamp).
    ``secret`` may be a list (e.g. the new and the previous secret).
    """
    secrets = [secret] if isinstance(secret, str) else list(secret or [])
    secrets = [s for s in secrets if isinstance(s, str) and s]
    if not secrets:
        raise WebhookVerificationError("No webhook secret given")
    if not isinstance(raw_body, (str, bytes, bytearray, memoryview)):
        raise WebhookVerificationError("Pass the raw body (bytes or str) exactly as received, not parsed JSON")
    standard = _header(headers, "webhook-signature")
    if standard:
        wid = _header(headers, "webhook-id")
        ts = _header(headers, "webhook-timestamp")
        if not wid or not ts:
            raise WebhookVerificationError("Missing webhook-id or webhook-timestamp header")
        ts = ts.strip()
        if not ts.isdigit():
            raise WebhookVerificationError("Invalid webhook-timestamp header")
        current = time.time() if now is None else now
        if abs(current - int(ts)) > tolerance:
            raise WebhookVerificationError(
                "Webhook timestamp %s is outside the tolerance of %d s (stale or from the future)" % (ts, tolerance)
            )
        given = [p[3:] for p in standard.split(" ") if p.strip().startswith("v1,")]
        for s in secrets:
            expected = standard_signature(wid, ts, raw_body, s)
            if any(hmac.compare_digest(g.strip().encode(), expected.encode()) for g in given):
                return _parse(raw_body)
        raise WebhookVerificationError("No webhook-signature matches the body and secret")
    candidates = [
        v.strip().lower()
        for v in (
            _header(headers, "x-cloudnexus-signature") or _header(headers, "cloudnexus-signature"),
            _header(headers, "x-cloudnexus-signature-previous"),
        )
        if v
    ]
    if not candidates:
        raise WebhookVerificationError("No signature header (webhook-signature or X-CloudNexus-Signature)")
    for s in secrets:
        expected = hex_signature(raw_body, s)
        if any(hmac.compare_digest(c.encode(), expected.encode()) for c in candidates):
            return _parse(raw_body)
    raise WebhookVerificationError("X-CloudNexus-Signature does not match the body and secret")


def _parse(raw_body: Body) -> CloudNexusObject:
    try:
        parsed = json.loads(_bytes(raw_body).decode("utf-8"))
    except ValueError as e:
        raise WebhookVerificationError("Signed body is not JSON") from e
    return wrap(parsed)
