"""FuseClient against the emulator over loopback HTTP: answers, formats, session IDs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fuse_tui.core.client import (
    AuthError,
    Credentials,
    ExpiredError,
    FuseClient,
    MissingCredentialsError,
    NotFoundError,
)
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL

MakeClient = Callable[..., FuseClient]


def ids(server: EmulatorServer) -> tuple[str, str]:
    calls = server.calls_for(EMAIL)
    return (
        next(c.session_id for c in calls if c.log),
        next(c.session_id for c in calls if not c.log),
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_fetch_call_returns_the_answer_as_served(
    emulator: EmulatorServer, make_client: MakeClient, fmt: str
) -> None:
    for summary in emulator.calls_for(EMAIL):
        if not summary.log:
            continue
        async with make_client(emulator.base_url) as client:
            fetched = await client.fetch_call(summary.session_id, fmt=fmt)
        assert fetched.raw == emulator.raw_call(EMAIL, summary.session_id, fmt)
        assert fetched.format == fmt
        assert fetched.content_type.startswith(f"application/{fmt}")
        assert fetched.session_id == summary.session_id
        assert fetched.log.session_id == summary.session_id
        assert fetched.log.entries and fetched.log.entries[0].event.module_type == "start"


async def test_fetch_call_asks_for_json_by_default(
    emulator: EmulatorServer, make_client: MakeClient
) -> None:
    live, _ = ids(emulator)
    async with make_client(emulator.base_url) as client:
        log = (await client.fetch_call(live)).log
    assert log.entries[-1].event.line == "Disconnecting call"
    assert emulator.requests[-1].accept == "application/json"


@pytest.mark.parametrize(
    "pasted",
    [
        "{sid}",
        "  {sid}\n",
        "'{sid}'",
        '"{sid}"',
        "{encoded}",
        " '{encoded}' ",
    ],
)
async def test_session_ids_are_encoded_exactly_once(
    emulator: EmulatorServer, make_client: MakeClient, pasted: str
) -> None:
    live, _ = ids(emulator)
    text = pasted.format(sid=live, encoded=live.replace(";", "%3B"))
    async with make_client(emulator.base_url) as client:
        fetched = await client.fetch_call(text)
    assert fetched.session_id == live
    path = emulator.requests[-1].path
    assert path == "/api/call/" + live.replace(";", "%3B")
    assert "%25" not in path


async def test_one_http_client_is_reused(emulator: EmulatorServer, make_client: MakeClient) -> None:
    live, _ = ids(emulator)
    async with make_client(emulator.base_url) as client:
        transport = client._http
        for _ in range(3):
            await client.fetch_call(live)
        assert client._http is transport
    assert len(emulator.requests) == 3


async def test_401_is_an_auth_error_never_retried(
    emulator: EmulatorServer, make_client: MakeClient
) -> None:
    live, _ = ids(emulator)
    bad = Credentials(email=EMAIL, developer_key="wrong")  # type: ignore[arg-type]
    async with make_client(emulator.base_url, credentials=bad, retries=5) as client:
        with pytest.raises(AuthError) as caught:
            await client.fetch_call(live)
    assert caught.value.status == 401
    assert EMAIL in str(caught.value) and "developer key" in str(caught.value)
    assert len(emulator.requests) == 1


async def test_404_is_not_found_never_retried(
    emulator: EmulatorServer, make_client: MakeClient
) -> None:
    async with make_client(emulator.base_url, retries=5) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.fetch_call("300060;999;1")
    assert "300060;999;1" in str(caught.value)
    assert caught.value.fuse_message == "No call log was found."
    assert len(emulator.requests) == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_the_five_day_answer_is_an_expired_error(
    emulator: EmulatorServer, make_client: MakeClient, fmt: str
) -> None:
    _, expired = ids(emulator)
    async with make_client(emulator.base_url, retries=5) as client:
        with pytest.raises(ExpiredError) as caught:
            await client.fetch_call(expired, fmt=fmt)
    assert "5 days" in str(caught.value)
    assert caught.value.status == 404
    assert len(emulator.requests) == 1


async def test_missing_credentials(emulator: EmulatorServer) -> None:
    async with FuseClient(emulator.base_url, None) as client:
        with pytest.raises(MissingCredentialsError, match="FUSE_DEVELOPER_KEY"):
            await client.fetch_call("1;2;3")
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("email", "key", "missing"),
    [("", "k", "e-mail"), (EMAIL, None, "developer key"), ("  ", "", "e-mail and developer key")],
)
async def test_half_configured_credentials_say_what_is_missing(
    emulator: EmulatorServer, email: str, key: str | None, missing: str
) -> None:
    credentials = Credentials(email=email, developer_key=key)  # type: ignore[arg-type]
    async with FuseClient(emulator.base_url, credentials) as client:
        with pytest.raises(MissingCredentialsError) as caught:
            await client.fetch_call("1;2;3")
    assert f"No Fuse {missing} is configured" in str(caught.value)
    assert emulator.requests == []
