from __future__ import annotations

import json
import time
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from ._core import HttpClient
from ._models import CloudNexusObject, wrap
from .errors import APIConnectionError, APIError

_RETRYABLE = (408, 429, 502, 503, 504)


def parse_sse(lines: Iterable[bytes]) -> Iterator[Dict[str, Any]]:
    """Parses Server-Sent Events lines into messages ``{event, id, data, retry}`` (comments skipped)."""
    msg: Dict[str, Any] = {"data": []}
    for raw in lines:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if msg["data"] or "retry" in msg:
                out = dict(msg)
                out["data"] = "\n".join(msg["data"])
                yield out
            msg = {"data": []}
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            msg["data"].append(value)
        elif field in ("event", "id"):
            msg[field] = value
        elif field == "retry" and value.isdigit():
            msg["retry"] = int(value)


def stream_events(
    http: HttpClient,
    types: Optional[Union[str, List[str]]] = None,
    since: Optional[str] = None,
    deliveries: bool = False,
    reconnect: bool = True,
    max_reconnects: int = 10,
    read_timeout: float = 90.0,
) -> Iterator[CloudNexusObject]:
    """The live stream over Server-Sent Events: yields each event's envelope (and delivery frames with
    ``deliveries=True``); reconnects when the connection drops and resumes after the last event received."""
    retry_s = 1.0
    failures = 0
    while True:
        try:
            response = http.open(
                "GET",
                "/events/stream",
                query={"types": types, "since": since},
                headers={"Accept": "text/event-stream", **({"Last-Event-ID": since} if since else {})},
                timeout=read_timeout,
                max_retries=0,
            )
        except (APIError, APIConnectionError) as e:
            retryable = not isinstance(e, APIError) or e.status in _RETRYABLE
            failures += 1
            if not retryable or not reconnect or failures > max_reconnects:
                raise
            ra = e.headers.get("retry-after") if isinstance(e, APIError) else None
            try:
                wait = float(ra) if ra is not None else min(30.0, retry_s * 2 ** (failures - 1))
            except ValueError:
                wait = retry_s
            time.sleep(wait)
            continue
        try:
            with response:
                for msg in parse_sse(response):
                    if "retry" in msg:
                        retry_s = msg["retry"] / 1000.0
                    if not msg["data"]:
                        continue
                    try:
                        frame = json.loads(msg["data"])
                    except ValueError:
                        continue
                    failures = 0
                    if frame.get("type") == "event" and isinstance(frame.get("event"), dict):
                        envelope = wrap(frame["event"])
                        since = envelope.get("id") or since
                        yield envelope
                    elif frame.get("type") == "delivery" and deliveries:
                        yield wrap(frame)
        except (OSError, ValueError) as e:
            failures += 1
            if not reconnect or failures > max_reconnects:
                raise APIConnectionError("The event stream broke: %s" % e) from e
        if not reconnect:
            return
        time.sleep(retry_s)
