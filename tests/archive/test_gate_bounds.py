"""A 429 can slow a sync down but never stall it: the shared pause is bounded."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from fuse_tui.core.sync import MAX_GATE_PAUSE, RateGate, attach_gate


class _Answers429(BaseHTTPRequestHandler):
    retry_after = "inf"

    def do_GET(self) -> None:
        self.send_response(429)
        self.send_header("Retry-After", self.retry_after)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answers429)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class _Client:
    def __init__(self) -> None:
        self.http_client = httpx.AsyncClient(trust_env=False)


@pytest.mark.parametrize(
    ("header", "longest"),
    [("inf", 1.0), ("1e400", 1.0), ("nan", 1.0), ("3600", MAX_GATE_PAUSE), ("2", 2.0)],
)
async def test_retry_after_pauses_the_gate_within_bounds(
    server: ThreadingHTTPServer, header: str, longest: float
) -> None:
    _Answers429.retry_after = header
    now = [1000.0]
    gate = RateGate(clock=lambda: now[0])
    client = _Client()
    detach = attach_gate(client, gate)
    try:
        response = await client.http_client.get(f"http://127.0.0.1:{server.server_port}/api/x")
        assert response.status_code == 429
    finally:
        detach()
        await client.http_client.aclose()
    assert gate.paused
    now[0] += longest + 0.001
    assert not gate.paused  # an unusable or huge Retry-After pauses a bounded time, not forever
