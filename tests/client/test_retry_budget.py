"""One retry budget: a logical request costs at most ``1 + retries`` HTTP requests.

Counted where they arrive: the emulator's ``on_request`` hook (500s, dropped connections) and a
scripted server (429s that never end).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fuse_tui.core.client import (
    DEFAULT_RETRIES,
    FuseClient,
    FuseError,
    NetworkError,
    RateLimitedError,
    ServerError,
)
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.emulator.server import RequestRecord

from .conftest import EMAIL, KEY, NOW, Reply, ScriptedServer

MakeClient = Callable[..., FuseClient]
FAULTS = {
    "500s": ({"fail_rate": 1.0}, ServerError, "server"),
    "dropped connections": ({"drop_rate": 1.0}, NetworkError, "network"),
}


@pytest.fixture
def counted() -> Iterator[Callable[..., tuple[EmulatorServer, list[RequestRecord]]]]:
    servers: list[EmulatorServer] = []

    def start(**faults: Any) -> tuple[EmulatorServer, list[RequestRecord]]:
        seen: list[RequestRecord] = []
        config = EmulatorConfig(now=NOW, accounts={EMAIL: KEY}, generated_calls=5, **faults)
        server = EmulatorServer(config, on_request=seen.append).start()
        servers.append(server)
        return server, seen

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("retries", [0, 2, DEFAULT_RETRIES])
async def test_a_failing_fetch_costs_one_plus_retries_requests(
    counted: Callable[..., tuple[EmulatorServer, list[RequestRecord]]],
    make_client: MakeClient,
    fault: str,
    retries: int,
) -> None:
    options, error, kind = FAULTS[fault]
    server, seen = counted(**options)
    session_id = server.calls_for(EMAIL)[-1].session_id
    async with make_client(server.base_url, retries=retries) as client:
        with pytest.raises(error) as caught:
            await client.fetch_call(session_id)
    assert len(seen) == 1 + retries
    assert caught.value.kind == kind and caught.value.retryable
    assert caught.value.attempts == 1 + retries


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_failing_listing_costs_one_plus_retries_requests(
    counted: Callable[..., tuple[EmulatorServer, list[RequestRecord]]],
    make_client: MakeClient,
    fault: str,
) -> None:
    options, error, _kind = FAULTS[fault]
    server, seen = counted(**options)
    async with make_client(server.base_url, retries=2) as client:
        with pytest.raises(error):
            async for _call in client.list_calls(0, NOW + 1):
                pass
    assert len(seen) == 3


async def test_endless_429s_cost_one_plus_retries_requests(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.default = Reply(429, b'{"error": "Rate limit exceeded."}', {"Retry-After": "0"})
    async with make_client(scripted.base_url, retries=2) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.fetch_call("300060;001;1")
        assert len(scripted.seen) == 3
        assert caught.value.kind == "rate_limited"
        with pytest.raises(RateLimitedError):
            async for _call in client.list_calls(0, 10):
                pass
    assert len(scripted.seen) == 6


async def test_errors_that_retrying_cannot_fix_cost_one_request(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.default = Reply(429, b"{}", {"Retry-After": "9999"})  # longer than we would wait
    async with make_client(scripted.base_url, retries=3) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.fetch_call("300060;001;1")
    assert len(scripted.seen) == 1
    assert not caught.value.retryable


def test_every_error_carries_kind_and_retryable() -> None:
    import fuse_tui.core.client_errors as errors

    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, FuseError)
    ]
    assert len(classes) > 10
    kinds = {cls: cls.kind for cls in classes}
    assert all(isinstance(kind, str) and kind for kind in kinds.values())
    # Each subclass names its own kind: callers can tell them apart without class names.
    assert len({kinds[cls] for cls in classes if cls is not errors.FuseError}) >= 12
    assert errors.ServerError.retryable and errors.NetworkError.retryable
    assert not errors.AuthError.retryable and not errors.NotFoundError.retryable
