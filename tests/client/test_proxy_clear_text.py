"""Basic credentials go over TLS, or in clear text straight to loopback: never to a proxy.

A real loopback "proxy" (a TCP listener recording every byte it receives) stands in for the
HTTP_PROXY / ALL_PROXY of a user's environment.
"""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from fuse_tui.core.client import (
    Credentials,
    FuseClient,
    InsecureTransportError,
    NetworkError,
    is_loopback_host,
)
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, KEY

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
)


class RecordingProxy:
    """Accepts connections, records what arrives, refuses (403) and hangs up."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2.0)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    self.received.append(data)
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    self.received.append(data)

    def stop(self) -> None:
        self._stop.set()
        self.sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    recorder = RecordingProxy()
    yield recorder
    recorder.stop()


def secrets_in(data: bytes) -> bool:
    token = base64.b64encode(f"{EMAIL}:{KEY}".encode())
    return b"authorization" in data.lower() or token in data or KEY.encode() in data


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
async def test_plain_http_to_loopback_goes_straight_to_the_emulator(
    proxy: RecordingProxy,
    emulator: EmulatorServer,
    credentials: Credentials,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, proxy.url)
    async with FuseClient(emulator.base_url, credentials, trust_env=True, retries=0) as client:
        page = await client.list_calls_page(0, 2_000_000_000)
    assert page.calls  # the emulator answered, directly
    assert len(emulator.requests) == 1
    assert proxy.received == []  # before: the proxy got the request, Authorization and all


async def test_plain_http_with_insecure_http_never_uses_the_proxy_either(
    proxy: RecordingProxy, credentials: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with FuseClient(
        "http://fuse.invalid/api", credentials, insecure_http=True, trust_env=True, retries=0
    ) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_calls_page(0, 10)
    assert proxy.received == []
    # Someone behind a mandatory proxy learns why it was not used.
    assert "never goes through the proxy" in str(caught.value)
    assert KEY not in str(caught.value)


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
async def test_https_goes_through_the_proxy_as_a_connect_tunnel_only(
    proxy: RecordingProxy,
    credentials: Credentials,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    # The proxy itself is plain http: fine, CONNECT tunnels TLS through it.
    monkeypatch.setenv(variable, proxy.url)
    async with FuseClient(
        "https://fuse.example.com/api", credentials, trust_env=True, retries=0
    ) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_calls_page(0, 10)
    assert len(proxy.received) == 1
    request = proxy.received[0]
    assert request.startswith(b"CONNECT fuse.example.com:443 ")
    assert not secrets_in(request)
    assert "fuse.example.com:443" in str(caught.value)


async def test_no_proxy_is_honoured_for_https(
    proxy: RecordingProxy, credentials: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("no_proxy", "fuse.invalid")
    async with FuseClient("https://fuse.invalid/api", credentials, trust_env=True) as client:
        with pytest.raises(NetworkError, match="resolve"):
            await client.list_calls_page(0, 10)
    assert proxy.received == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/api",
        "http://127.45.6.7:9/api",
        "http://[::1]:9/api",
        "http://[::ffff:127.0.0.1]:9/api",
        "http://localhost:9/api",
    ],
)
def test_loopback_addresses_may_use_plain_http(url: str, credentials: Credentials) -> None:
    FuseClient(url, credentials, trust_env=False)  # no InsecureTransportError


@pytest.mark.parametrize(
    "url",
    [
        "http://foo.localhost:9/api",  # a name: DNS could send it anywhere
        "http://localhost.example.com:9/api",
        "http://127.0.0.1.nip.io:9/api",
        "http://10.0.0.1:9/api",
    ],
)
def test_names_are_not_loopback_however_they_look(url: str, credentials: Credentials) -> None:
    with pytest.raises(InsecureTransportError):
        FuseClient(url, credentials, trust_env=False)


def test_localhost_counts_only_when_it_resolves_to_loopback(
    monkeypatch: pytest.MonkeyPatch, credentials: Credentials
) -> None:
    real: Callable[..., list[tuple[object, ...]]] = socket.getaddrinfo

    def remote(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host == "localhost":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.7", 0))]
        return real(host, *args, **kwargs)

    assert is_loopback_host("localhost")
    monkeypatch.setattr(socket, "getaddrinfo", remote)
    assert not is_loopback_host("localhost")
    assert is_loopback_host("127.0.0.1")  # literals need no resolver
    with pytest.raises(InsecureTransportError, match="does not resolve to loopback"):
        FuseClient("http://localhost:9/api", credentials, trust_env=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_errors_name_the_host_and_port(credentials: Credentials) -> None:
    port = free_port()
    async with FuseClient(
        f"http://127.0.0.1:{port}/api", credentials, trust_env=False, retries=0
    ) as client:
        with pytest.raises(NetworkError) as caught:
            await client.fetch_call("1;2;3")
    assert f"Cannot connect to 127.0.0.1:{port};" in str(caught.value)
