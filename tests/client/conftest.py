from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.emulator import EmulatorConfig, EmulatorServer

NOW = 1_800_000_000
EMAIL = "ops@example.com"
# Distinctive, so a leak is easy to spot in any text.
KEY = "K3y-s3cr3t-9f1c2e"


@pytest.fixture
def credentials() -> Credentials:
    return Credentials(email=EMAIL, developer_key=SecretStr(KEY))


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., EmulatorServer]]:
    servers: list[EmulatorServer] = []

    def start(**options: Any) -> EmulatorServer:
        options.setdefault("now", NOW)
        options.setdefault("accounts", {EMAIL: KEY})
        server = EmulatorServer(EmulatorConfig(**options)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def emulator(start_emulator: Callable[..., EmulatorServer]) -> EmulatorServer:
    return start_emulator()


@pytest.fixture
def make_client(credentials: Credentials) -> Callable[..., FuseClient]:
    """A client with tiny backoff so retry tests stay fast."""

    def make(base_url: str, **options: Any) -> FuseClient:
        options.setdefault("credentials", credentials)
        options.setdefault("backoff_base", 0.001)
        options.setdefault("backoff_max", 0.01)
        options.setdefault("timeout", 5.0)
        options.setdefault("trust_env", False)
        return FuseClient(base_url, **options)

    return make


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class ScriptedServer:
    """A real HTTP server that plays back canned replies (proxies, captive portals, oddities)."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.default = Reply(200, b"[]", {"Content-Type": "application/json"})
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.seen.append((self.command, self.path, dict(self.headers)))
                reply = outer.replies.pop(0) if outer.replies else outer.default
                if reply.delay:
                    threading.Event().wait(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.stop()
