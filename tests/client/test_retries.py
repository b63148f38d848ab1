"""Bounded retries with backoff: 5xx, dropped and cut answers, 429 with Retry-After."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import pytest

from fuse_tui.core.client import (
    FuseClient,
    NetworkError,
    NotFuseAnswerError,
    RateLimitedError,
    ServerError,
)
from fuse_tui.emulator import EmulatorServer

from .conftest import EMAIL, NOW, Reply, ScriptedServer

MakeClient = Callable[..., FuseClient]
Start = Callable[..., EmulatorServer]


def live_ids(server: EmulatorServer) -> list[str]:
    return [c.session_id for c in server.calls_for(EMAIL) if c.log]


@pytest.mark.parametrize(
    "faults",
    [
        {"fail_rate": 0.4},
        {"drop_rate": 0.4},
        {"truncate_rate": 0.4},
        {"fail_rate": 0.2, "drop_rate": 0.2, "truncate_rate": 0.2},
    ],
)
async def test_transient_faults_are_retried_to_the_right_answer(
    start_emulator: Start, make_client: MakeClient, faults: dict[str, float]
) -> None:
    clean = start_emulator()
    server = start_emulator(seed=11, **faults)
    retries = 6
    async with make_client(server.base_url, retries=retries) as client:
        for sid in live_ids(server):
            fetched = await client.fetch_call(sid)
            assert fetched.raw == clean.raw_call(EMAIL, sid)
        listed = [c.session_id async for c in client.list_calls(0, NOW + 1, page_size=3)]
    assert listed == [c.session_id for c in clean.calls_for(EMAIL)]
    records = server.requests
    assert any(r.fault for r in records), "the seed should inject at least one fault"
    # Every logical request took at most retries + 1 attempts.
    attempts = Counter(r.path for r in records)
    assert max(attempts.values()) <= retries + 1


@pytest.mark.parametrize("retries", [0, 2])
async def test_persistent_500_gives_up_after_the_bounded_attempts(
    start_emulator: Start, make_client: MakeClient, retries: int
) -> None:
    server = start_emulator(fail_rate=1.0)
    async with make_client(server.base_url, retries=retries) as client:
        with pytest.raises(ServerError) as caught:
            await client.fetch_call("300060;001;1")
    assert len(server.requests) == retries + 1
    assert caught.value.attempts == retries + 1
    assert caught.value.status == 500
    assert "database error" in str(caught.value)


async def test_persistent_drops_become_a_network_error(
    start_emulator: Start, make_client: MakeClient
) -> None:
    server = start_emulator(drop_rate=1.0)
    async with make_client(server.base_url, retries=2) as client:
        with pytest.raises(NetworkError, match="broke before the answer was complete"):
            await client.fetch_call(live_ids(server)[0])
    assert len(server.requests) == 3


async def test_persistent_truncation_is_not_a_fuse_answer(
    start_emulator: Start, make_client: MakeClient
) -> None:
    server = start_emulator(truncate_rate=1.0)
    async with make_client(server.base_url, retries=1) as client:
        with pytest.raises(NotFuseAnswerError, match="cut short"):
            await client.fetch_call(live_ids(server)[0])
    assert len(server.requests) == 2


async def test_429_retry_after_is_honoured(start_emulator: Start, make_client: MakeClient) -> None:
    server = start_emulator(rate_limit=1)
    sid = live_ids(server)[0]
    async with make_client(server.base_url, retries=3) as client:
        await client.fetch_call(sid)
        began = time.monotonic()
        await client.fetch_call(sid)
        waited = time.monotonic() - began
    statuses = [r.status for r in server.requests]
    assert statuses == [200, 429, 200]
    assert waited >= 1.0  # Retry-After: 1, although the backoff alone would be milliseconds


async def test_429_asking_too_long_a_wait_is_reported_at_once(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    scripted.replies = [Reply(429, b'{"error": "slow down"}', {"Retry-After": "3600"})]
    async with make_client(scripted.base_url, max_retry_after=30) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.fetch_call("1;2;3")
    assert caught.value.retry_after == 3600
    assert "3600 seconds" in str(caught.value)
    assert len(scripted.seen) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_are_retried(
    scripted: ScriptedServer, make_client: MakeClient, status: int
) -> None:
    ok = (
        b'[{"event": {"line": "x", "data": {"module_type": "start", "result_variable": "s"}},'
        b' "class": "info", "timestamp": 1}]'
    )
    scripted.replies = [
        Reply(status, b'{"error": "upstream"}', {"Content-Type": "application/json"}),
        Reply(200, ok, {"Content-Type": "application/json"}),
    ]
    async with make_client(scripted.base_url) as client:
        fetched = await client.fetch_call("1;2;3")
    assert fetched.raw == ok and len(scripted.seen) == 2


async def test_backoff_grows_and_is_jittered(make_client: MakeClient) -> None:
    client = make_client("http://127.0.0.1:9/api", backoff_base=1.0, backoff_max=100.0)
    delays = [[client._backoff(n) for n in range(1, 6)] for _ in range(20)]
    for run in delays:
        for n, delay in enumerate(run, start=1):
            assert 2 ** (n - 1) / 2 <= delay <= 2 ** (n - 1)
    assert len({run[2] for run in delays}) > 1
    capped = make_client("http://127.0.0.1:9/api", backoff_base=1.0, backoff_max=3.0)
    assert capped._backoff(10) <= 3.0
    await client.aclose()
    await capped.aclose()


async def test_429_without_retry_after_waits_for_the_rate_limit_reset(
    scripted: ScriptedServer, make_client: MakeClient
) -> None:
    reset = int(time.time()) + 2
    scripted.replies = [
        Reply(429, b'{"error": "Rate limit exceeded."}', {"X-RateLimit-Reset": str(reset)}),
        Reply(200, b'{"calls": [], "total_calls": 0}', {"Content-Type": "application/json"}),
    ]
    async with make_client(scripted.base_url) as client:
        await client.list_calls_page(0, 10)
    assert len(scripted.seen) == 2
    assert time.time() >= reset - 0.05
