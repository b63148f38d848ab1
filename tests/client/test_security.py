"""The developer key never leaks; credentials never go over plain http to a remote host."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from fuse_tui.core.client import (
    Credentials,
    FuseClient,
    FuseError,
    InsecureTransportError,
)
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, KEY, Reply, ScriptedServer

MakeClient = Callable[..., FuseClient]


async def test_the_key_appears_in_no_message_log_or_repr(
    start_emulator: Callable[..., EmulatorServer],
    scripted: ScriptedServer,
    make_client: MakeClient,
    credentials: Credentials,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[FuseError] = []
    good = start_emulator()
    flaky = start_emulator(fail_rate=1.0)
    expired = next(c.session_id for c in good.calls_for(EMAIL) if not c.log)
    wrong = Credentials(email=EMAIL, developer_key=KEY + "x")  # type: ignore[arg-type]
    scripted.replies = [
        Reply(200, b"<html>portal</html>", {"Content-Type": "text/html"}),
        Reply(405, b"{}"),
        Reply(429, b"{}", {"Retry-After": "9999"}),
    ]
    attempts = [
        (good.base_url, {}, "300060;404;1"),
        (good.base_url, {}, expired),
        (good.base_url, {"credentials": wrong}, "1;2;3"),
        (flaky.base_url, {"retries": 1}, "1;2;3"),
        (scripted.base_url, {}, "1;2;3"),
        (scripted.base_url, {}, "1;2;3"),
        (scripted.base_url, {}, "1;2;3"),
        ("http://127.0.0.1:9/api", {"retries": 1}, "1;2;3"),
    ]
    clients = []
    for url, options, sid in attempts:
        async with make_client(url, **options) as client:
            clients.append(client)
            with pytest.raises(FuseError) as caught:
                await client.fetch_call(sid)
            errors.append(caught.value)
    # Successful traffic too (httpx logs every request at INFO/DEBUG).
    async with make_client(good.base_url) as client:
        await client.fetch_call(next(c.session_id for c in good.calls_for(EMAIL) if c.log))
    assert len({type(e) for e in errors}) >= 6
    texts = [str(e) for e in errors] + [repr(e) for e in errors]
    texts += [repr(c) for c in clients] + [repr(credentials), str(credentials), caplog.text]
    for text in texts:
        assert KEY not in text
    assert caplog.records, "logging was captured"


@pytest.mark.parametrize(
    "url",
    ["http://fuse.plumvoice.com/api", "http://10.0.0.5:8080/api", "http://127.example.com/api"],
)
def test_plain_http_to_a_remote_host_is_refused(url: str, credentials: Credentials) -> None:
    with pytest.raises(InsecureTransportError) as caught:
        FuseClient(url, credentials)
    assert "--insecure-http" in str(caught.value)
    assert KEY not in str(caught.value)


async def test_insecure_http_is_an_explicit_opt_in(credentials: Credentials) -> None:
    client = FuseClient("http://fuse.example.com/api", credentials, insecure_http=True)
    await client.aclose()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/api",
        "http://localhost:1/api",
        "http://[::1]:1/api",
        "http://127.8.9.1/api",
    ],
)
async def test_plain_http_to_loopback_is_allowed(url: str, credentials: Credentials) -> None:
    client = FuseClient(url, credentials)
    await client.aclose()


def test_credentials_in_the_base_url_are_refused(credentials: Credentials) -> None:
    with pytest.raises(FuseError) as caught:
        FuseClient(f"https://{EMAIL}:{KEY}@fuse.plumvoice.com/api", credentials)
    assert KEY not in str(caught.value)
    with pytest.raises(FuseError, match="https://"):
        FuseClient("ftp://fuse.plumvoice.com/api", credentials)


async def test_plain_http_never_sends_the_key_to_the_proxy(
    scripted: ScriptedServer, credentials: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This test used to assert the opposite: the proxy got "Authorization: Basic …" in clear.
    proxy = scripted.base_url.removesuffix("/api")
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("http_proxy", proxy)
    async with FuseClient(
        "http://fuse.invalid/api", credentials, insecure_http=True, trust_env=True, retries=0
    ) as client:
        with pytest.raises(FuseError):
            await client.list_calls_page(0, 10)
    assert scripted.seen == []
