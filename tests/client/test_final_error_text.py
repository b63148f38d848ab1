"""The sentence a user reads after the retries tells the truth about them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from fuse_tui.core.client import FuseClient, RateLimitedError, ServerError
from fuse_tui.emulator import EmulatorServer

from .conftest import Reply, ScriptedServer


async def test_a_persistent_500_says_how_many_attempts_were_made(
    start_emulator: Callable[..., EmulatorServer], make_client: Callable[..., FuseClient]
) -> None:
    server = start_emulator(fail_rate=1.0)
    async with make_client(server.base_url, retries=2) as client:
        with pytest.raises(ServerError) as caught:
            await client.fetch_call("300060;001;1")
    assert len(server.requests) == 3
    # It said "on 1 attempt", then "on 3 attempts" while the README counts retries.
    assert "after 3 attempts (2 retries)" in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
async def test_a_non_finite_retry_after_falls_back_to_the_backoff(
    scripted: ScriptedServer, make_client: Callable[..., FuseClient], value: str
) -> None:
    slow = Reply(429, b'{"error": "slow down"}', {"Retry-After": value})
    scripted.replies = [slow, slow, slow]
    async with make_client(scripted.base_url, retries=2) as client:
        with pytest.raises(RateLimitedError) as caught:
            await client.fetch_call("300060;001;1")
    assert len(scripted.seen) == 3
    message = str(caught.value)
    assert "nan" not in message and "inf" not in message and "wait 0 seconds" not in message
