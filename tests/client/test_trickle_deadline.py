"""A server that trickles its answer a byte at a time never trips the read timeout (each read
gets a byte in time); the whole answer has a deadline so a command cannot hang for hours."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.core.client import Credentials, FuseClient, FuseTimeoutError


@pytest.fixture
def trickle() -> Iterator[str]:
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "10000")
            self.end_headers()
            for _ in range(10000):
                if stop.wait(0.1):
                    return
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api"
    stop.set()
    server.shutdown()
    server.server_close()


async def test_a_trickled_answer_hits_the_answer_deadline(trickle: str) -> None:
    credentials = Credentials(email="a@example.com", developer_key=SecretStr("k"))
    client = FuseClient(
        trickle, credentials, timeout=1.0, answer_deadline=1.5, retries=2, trust_env=False
    )
    began = time.monotonic()
    async with client:
        with pytest.raises(FuseTimeoutError) as caught:
            await asyncio.wait_for(client.fetch_call("300060;001;1"), timeout=30)
    assert time.monotonic() - began < 10  # one deadline, not retried three times
    assert "1.5 seconds" in str(caught.value)


def test_the_default_deadline_leaves_room_for_big_answers() -> None:
    credentials = Credentials(email="a@example.com", developer_key=SecretStr("k"))
    assert FuseClient("https://fuse.example.com/api", credentials).answer_deadline == 120
    slow = FuseClient("https://fuse.example.com/api", credentials, timeout=60)
    assert slow.answer_deadline == 240
