"""Every failure becomes one typed error with one actionable sentence."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.core.client import (
    Credentials,
    FuseClient,
    FuseError,
    FuseTimeoutError,
    MethodNotAllowedError,
    NetworkError,
    NotFuseAnswerError,
    UnexpectedStatusError,
)
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, KEY, Reply, ScriptedServer

MakeClient = Callable[..., FuseClient]
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = b"<!DOCTYPE html><html><body><h1>Please log in to the Wi-Fi</h1></body></html>"


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and message[0].isupper()


async def test_405_is_method_not_allowed_never_retried(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.replies = [Reply(405, b'{"error": "Invalid HTTP method"}', {"Allow": "GET"})]
    async with make_client(scripted.base_url, retries=4) as client:
        with pytest.raises(MethodNotAllowedError) as caught:
            await client.fetch_call("1;2;3")
    assert len(scripted.seen) == 1
    assert one_sentence(str(caught.value))


@pytest.mark.parametrize("status", [200, 404, 502])
async def test_an_html_page_is_not_a_fuse_answer(
    scripted: ScriptedServer, make_client: MakeClient, status: int
) -> None:
    scripted.replies = [Reply(status, PAGE, HTML)] * 5
    async with make_client(scripted.base_url, retries=1) as client:
        with pytest.raises(NotFuseAnswerError) as caught:
            await client.fetch_call("1;2;3")
    message = str(caught.value)
    assert "HTML page" in message and "base URL" in message and one_sentence(message)
    assert len(scripted.seen) == (2 if status == 502 else 1)


async def test_a_redirect_is_not_followed(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.replies = [Reply(302, b"", {"Location": "https://login.example.net/sso"})]
    async with make_client(scripted.base_url) as client:
        with pytest.raises(NotFuseAnswerError, match=r"login\.example\.net"):
            await client.fetch_call("1;2;3")


async def test_the_five_day_message_is_recognised_whatever_the_status(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    from fuse_tui.core.client import ExpiredError

    body = b'{"error": "There are no call log details available for this call."}'
    for status in (200, 400, 404, 410, 500):
        scripted.replies = [Reply(status, body, {"Content-Type": "application/json"})]
        async with make_client(scripted.base_url) as client:
            with pytest.raises(ExpiredError) as caught:
                await client.fetch_call("1;2;3")
        assert caught.value.status == status


async def test_other_statuses_and_error_bodies(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.replies = [
        Reply(403, b'{"error": "Forbidden \x1b[2J"}'),
        Reply(200, b'{"error": "odd"}'),
    ]
    async with make_client(scripted.base_url) as client:
        with pytest.raises(UnexpectedStatusError) as forbidden:
            await client.fetch_call("1;2;3")
        with pytest.raises(UnexpectedStatusError, match="odd"):
            await client.fetch_call("1;2;3")
    assert "HTTP 403" in str(forbidden.value)
    assert "\x1b" not in str(forbidden.value)  # server text is escaped in messages


async def test_a_non_fuse_json_answer_is_reported(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.replies = [Reply(200, b'{"hello": "world"}', {"Content-Type": "application/json"})] * 3
    async with make_client(scripted.base_url, retries=2) as client:
        with pytest.raises(NotFuseAnswerError):
            await client.fetch_call("1;2;3")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused_is_retried_then_a_network_error(make_client: MakeClient) -> None:
    async with make_client(f"http://127.0.0.1:{free_port()}/api", retries=2) as client:
        with pytest.raises(NetworkError) as caught:
            await client.fetch_call("1;2;3")
    assert caught.value.attempts == 3
    assert "Cannot connect to 127.0.0.1" in str(caught.value)


async def test_unknown_host_is_a_dns_error(make_client: MakeClient) -> None:
    async with make_client("https://fuse.invalid/api", retries=3) as client:
        with pytest.raises(NetworkError) as caught:
            await client.fetch_call("1;2;3")
    assert "fuse.invalid" in str(caught.value)
    assert caught.value.attempts == 1 or "resolve" not in str(caught.value)


async def test_slow_answers_time_out(
    start_emulator: Callable[..., EmulatorServer], make_client: MakeClient
) -> None:
    server = start_emulator(latency_ms=600)
    async with make_client(server.base_url, timeout=0.2, retries=1) as client:
        with pytest.raises(FuseTimeoutError) as caught:
            await client.fetch_call("1;2;3")
    assert "within 0.2 seconds" in str(caught.value) and "--timeout" in str(caught.value)
    assert caught.value.attempts == 2


async def test_https_to_a_plain_http_server_is_a_tls_error(
    emulator: EmulatorServer, make_client: MakeClient
) -> None:
    url = emulator.base_url.replace("http://", "https://")
    async with make_client(url, retries=3) as client:
        with pytest.raises(NetworkError, match="TLS"):
            await client.fetch_call("1;2;3")
    assert len(emulator.requests) == 0


# -- a real HTTPS server with a self-signed certificate -----------------------------------------
OPENSSL = shutil.which("openssl")


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if OPENSSL is None:
        pytest.skip("openssl is not installed: cannot make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            OPENSSL,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = b'{"calls": [], "total_calls": 0}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/api", cert
    httpd.shutdown()
    httpd.server_close()


async def test_untrusted_certificate_names_the_ca_bundle_option(
    tls_server: tuple[str, Path], make_client: MakeClient
) -> None:
    url, _ = tls_server
    async with make_client(url, retries=3) as client:
        with pytest.raises(NetworkError) as caught:
            await client.list_calls_page(0, 1)
    assert "--ca-bundle" in str(caught.value)
    assert caught.value.attempts == 1  # retrying cannot fix trust


async def test_ca_bundle_makes_the_certificate_trusted(
    tls_server: tuple[str, Path], make_client: MakeClient
) -> None:
    url, cert = tls_server
    async with make_client(url, ca_bundle=cert) as client:
        page = await client.list_calls_page(0, 1)
    assert page.total_calls == 0


def test_unreadable_ca_bundle_is_reported(tmp_path: Path, make_client: MakeClient) -> None:
    with pytest.raises(FuseError, match="--ca-bundle"):
        make_client("https://fuse.example.com/api", ca_bundle=tmp_path / "nope.pem")


def test_error_messages_are_single_sentences() -> None:
    from fuse_tui.core.client import (
        AuthError,
        ExpiredError,
        NotFoundError,
        RateLimitedError,
        ServerError,
    )

    for error in (
        AuthError(EMAIL),
        NotFoundError("1;2;3"),
        ExpiredError("1;2;3"),
        MethodNotAllowedError(),
        ServerError(500, "database error", 4),
        RateLimitedError(12, 3),
        RateLimitedError(None, 3),
    ):
        assert one_sentence(str(error)), str(error)


async def test_a_base_url_without_api_is_a_base_url_problem_not_a_session_one(
    emulator: EmulatorServer, make_client: Callable[..., FuseClient]
) -> None:
    from fuse_tui.core.client import NotFoundError

    root = emulator.base_url.removesuffix("/api")
    async with make_client(root) as client:
        with pytest.raises(NotFoundError) as listing:
            [call async for call in client.list_calls(0, 10)]
        with pytest.raises(NotFoundError) as fetching:
            await client.fetch_call("300060;001;1529552581")
    assert "check the base URL" in str(listing.value) and "/api" in str(listing.value)
    assert "session ID" not in str(listing.value) and one_sentence(str(listing.value))
    # A call's 404 cannot tell a wrong ID from a wrong URL: it names the session.
    assert "300060;001;1529552581" in str(fetching.value)


# Credentials and base URLs that are not valid text (undecodable bytes in argv or the
# environment arrive as lone surrogates): a one-sentence FuseError, never a UnicodeEncodeError.


@pytest.mark.parametrize(
    ("email", "key", "what"),
    [("ops\udcff@example.com", KEY, "e-mail"), (EMAIL, KEY + "\udcff", "developer key")],
)
async def test_credentials_that_are_not_text_fail_with_a_sentence(
    start_emulator: Callable[..., EmulatorServer], email: str, key: str, what: str
) -> None:
    server = start_emulator()
    credentials = Credentials(email=email, developer_key=SecretStr(key))
    async with FuseClient(base_url=server.base_url, credentials=credentials, retries=0) as client:
        with pytest.raises(FuseError) as caught:
            await client.fetch_call("300060;001;1")
    message = str(caught.value)
    assert what in message and "not valid text" in message
    assert KEY not in message and KEY not in repr(caught.value)
    assert server.requests == []  # refused before anything was sent


@pytest.mark.parametrize("url", ["https://xn--zz.com/api", "https://xn--.example.com/api"])
def test_a_base_url_with_a_broken_punycode_label_is_a_sentence(url: str) -> None:
    credentials = Credentials(email=EMAIL, developer_key=SecretStr(KEY))
    with pytest.raises(FuseError, match="not a valid URL"):
        FuseClient(base_url=url, credentials=credentials)
