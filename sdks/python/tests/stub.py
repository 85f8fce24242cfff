"""A local stub of the API (http.server in a thread): each test gives a handler; every request is recorded."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List
from urllib.parse import parse_qsl, urlsplit


class Stub:
    def __init__(self, handler: Callable[["Request", "BaseHTTPRequestHandler", int], None]) -> None:
        self.requests: List[Request] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                parts = urlsplit(self.path)
                req = Request(self.command, parts.path, dict(parse_qsl(parts.query)), {k.lower(): v for k, v in self.headers.items()}, body)
                stub.requests.append(req)
                handler(req, self, len(stub.requests))

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.base_url = self.base + "/v2"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Request:
    def __init__(self, method: str, path: str, query: Dict[str, str], headers: Dict[str, str], body: str) -> None:
        self.method, self.path, self.query, self.headers, self.body = method, path, query, headers, body


def send(h: BaseHTTPRequestHandler, status: int, body: Any, headers: Dict[str, str] = None, content_type: str = "application/json") -> None:
    data = json.dumps(body).encode("utf-8")
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(data)


def problem(h: BaseHTTPRequestHandler, status: int, fields: Dict[str, Any], headers: Dict[str, str] = None) -> None:
    hdrs = {"X-Request-Id": fields.get("request_id", "req_stub")}
    hdrs.update(headers or {})
    send(h, status, dict(status=status, **fields), hdrs, "application/problem+json")
