from __future__ import annotations

import email.utils
import http.client
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime
from typing import Any, Dict, Mapping, Optional

from .errors import APIConnectionError, APIError, APITimeoutError, CloudNexusError

VERSION = "0.1.0"
DEFAULT_BASE_URL = "https://api.cloudnexus.io/v2"
RETRY_STATUSES = frozenset((408, 429, 502, 503, 504))
# The client's defaults (Client and HttpClient both take them from here).
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_INITIAL_RETRY_DELAY = 0.5
DEFAULT_MAX_RETRY_DELAY = 8.0
DEFAULT_MAX_RETRY_AFTER = 60.0


def _env(name: str) -> Optional[str]:
    v = os.environ.get(name)
    return v if v else None


def query_string(query: Optional[Mapping[str, Any]]) -> str:
    if not query:
        return ""
    pairs = []
    for k, v in query.items():
        if v is None:
            continue
        if isinstance(v, (list, tuple)):
            v = ",".join(str(x) for x in v)
        elif isinstance(v, datetime):
            v = v.isoformat()
        elif isinstance(v, bool):
            v = "true" if v else "false"
        pairs.append((k, str(v)))
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def retry_after_seconds(headers: Mapping[str, str]) -> Optional[float]:
    """``Retry-After`` in seconds (delta-seconds or an HTTP date), or None."""
    v = None
    for k, val in headers.items():
        if k.lower() == "retry-after":
            v = val
    if v is None:
        return None
    v = v.strip()
    try:
        return max(0.0, float(v))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(v)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class HttpClient:
    """The HTTP core shared by every resource: auth, retries with backoff, idempotency keys, typed errors."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        account_id: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        initial_retry_delay: float = DEFAULT_INITIAL_RETRY_DELAY,
        max_retry_delay: float = DEFAULT_MAX_RETRY_DELAY,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        key = api_key or _env("CN_API_KEY")
        if not key:
            raise CloudNexusError("No API key: pass cloudnexus.Client(api_key=...) or set CN_API_KEY")
        self.api_key = key
        self.base_url = (base_url or _env("CLOUDNEXUS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.account_id = account_id or _env("CN_ACCOUNT_ID")
        self.timeout = timeout
        self.max_retries = max_retries
        self.initial_retry_delay = initial_retry_delay
        self.max_retry_delay = max_retry_delay
        self.max_retry_after = max_retry_after
        self.default_headers = dict(default_headers or {})

    def headers(self, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        h = {
            "Authorization": "Bearer %s" % self.api_key,
            "Accept": "application/json",
            "User-Agent": "cloudnexus-python/%s" % VERSION,
        }
        if self.account_id:
            h["X-CloudNexus-Id"] = self.account_id
        h.update(self.default_headers)
        if extra:
            h.update(extra)
        return h

    def backoff(self, retry: int, headers: Optional[Mapping[str, str]] = None) -> Optional[float]:
        """Seconds to wait before retry number ``retry`` (1-based), or None when the server asks for too long."""
        if headers is not None:
            ra = retry_after_seconds(headers)
            if ra is not None:
                return ra if ra <= self.max_retry_after else None
        base = min(self.max_retry_delay, self.initial_retry_delay * (2 ** (retry - 1)))
        return base / 2 + random.random() * base / 2

    def open(
        self,
        method: str,
        path: str,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
    ) -> http.client.HTTPResponse:
        """Sends a request with retries and returns the successful response (body unread)."""
        url = self.base_url + path + query_string(query)
        extra: Dict[str, str] = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode("utf-8")
            extra["Content-Type"] = "application/json"
        if method == "POST":
            extra["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        all_headers = self.headers(extra)
        retries = self.max_retries if max_retries is None else max_retries
        per_attempt = self.timeout if timeout is None else timeout
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
            try:
                return urllib.request.urlopen(request, timeout=per_attempt)  # noqa: S310 (the configured base URL)
            except urllib.error.HTTPError as e:
                error = self._error(e)
                retryable = e.code in RETRY_STATUSES or (
                    e.code == 409 and str(error.problem.get("type") or "").endswith("idempotency-in-progress")
                )
                wait = self.backoff(attempt + 1, error.headers) if retryable and attempt < retries else None
                if wait is None:
                    raise error from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                reason = getattr(e, "reason", e)
                timed_out = isinstance(reason, (socket.timeout, TimeoutError)) or isinstance(e, (socket.timeout, TimeoutError))
                err: APIConnectionError = (
                    APITimeoutError("%s %s: no answer within %s s" % (method, path, per_attempt))
                    if timed_out
                    else APIConnectionError("%s %s: %s" % (method, path, reason))
                )
                wait = self.backoff(attempt + 1) if attempt < retries else None
                if wait is None:
                    raise err from e
            time.sleep(wait)
            attempt += 1

    @staticmethod
    def _error(e: urllib.error.HTTPError) -> APIError:
        try:
            text = e.read().decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 (a broken error body still gives a typed error)
            text = ""
        problem: Dict[str, Any]
        try:
            parsed = json.loads(text) if text else {}
            problem = parsed if isinstance(parsed, dict) else {"detail": text}
        except ValueError:
            problem = {"title": e.reason if isinstance(e.reason, str) else None, "detail": text or None}
        problem.setdefault("status", e.code)
        headers = {k: v for k, v in e.headers.items()} if e.headers else {}
        return APIError.from_response(e.code, problem, headers)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """A JSON request: returns the parsed body (None for an empty one)."""
        with self.open(method, path, **kwargs) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text else None


def seg(value: str) -> str:
    """Quotes a path segment."""
    if not isinstance(value, str) or not value:
        raise CloudNexusError("An id is required")
    return urllib.parse.quote(value, safe="")
