"""A sync spends the client's one retry budget, never more: ``1 + retries`` requests per call.

Before, the client, ``list_window`` and ``fetch_one`` each retried: 16 GETs for one call that
kept failing with 500s, 16 for a failing listing, and up to 120 for a call answered 429 forever.
Requests are counted by the emulator's ``on_request`` hook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from fuse_tui.core.archive import Archive
from fuse_tui.core.client import Credentials, FuseClient, ServerError
from fuse_tui.core.client_errors import RateLimitedError
from fuse_tui.core.model import CallSummary
from fuse_tui.core.sync import sync_archive
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer
from fuse_tui.emulator.server import RequestRecord

NOW = 1_750_000_000
WINDOW = (NOW - 400 * 86400, NOW + 1)
CALLS = 6


def client_for(server: EmulatorServer, retries: int) -> FuseClient:
    return FuseClient(
        base_url=server.base_url,
        credentials=Credentials(email=DEMO_EMAIL, developer_key=SecretStr(DEMO_KEY)),
        timeout=5,
        retries=retries,
        backoff_base=0.001,
        backoff_max=0.01,
        trust_env=False,
    )


def start(seen: list[RequestRecord], **faults: Any) -> EmulatorServer:
    config = EmulatorConfig(now=NOW, seed=5, generated_calls=CALLS, samples=False, **faults)
    return EmulatorServer(config, on_request=seen.append).start()


class ListsHereFetchesThere:
    """Lists from a healthy emulator, fetches from a failing twin (same seed, same calls)."""

    def __init__(self, lister: FuseClient, fetcher: FuseClient) -> None:
        self.lister = lister
        self.fetcher = fetcher
        self.http_client = fetcher.http_client  # the sync's 429 gate watches the fetches

    def list_calls(
        self, start: int, end: int, number: str | None = None
    ) -> AsyncIterator[CallSummary]:
        return self.lister.list_calls(start, end, number)

    async def fetch_call(self, session_id: str, fmt: str = "json") -> Any:
        return await self.fetcher.fetch_call(session_id, fmt)


def fetches_per_call(seen: list[RequestRecord]) -> Counter[str]:
    return Counter(r.path for r in seen if r.path.startswith("/api/call/"))


@pytest.mark.parametrize(
    ("faults", "kind"),
    [({"fail_rate": 1.0}, "server"), ({"drop_rate": 1.0}, "network")],
    ids=["500s", "dropped connections"],
)
@pytest.mark.parametrize("retries", [1, 3])
async def test_each_failing_call_costs_one_plus_retries_requests(
    archive: Archive, faults: dict[str, float], kind: str, retries: int
) -> None:
    healthy_seen: list[RequestRecord] = []
    failing_seen: list[RequestRecord] = []
    healthy = start(healthy_seen)
    failing = start(failing_seen, **faults)
    try:
        available = [c.session_id for c in healthy.calls_for(DEMO_EMAIL) if c.log]
        assert available == [c.session_id for c in failing.calls_for(DEMO_EMAIL) if c.log]
        async with client_for(healthy, retries) as lister, client_for(failing, retries) as bad:
            report = await sync_archive(ListsHereFetchesThere(lister, bad), archive, *WINDOW)
    finally:
        healthy.stop()
        failing.stop()
    assert sorted(f.session_id for f in report.failed) == sorted(available)
    assert {f.kind for f in report.failed} == {kind}
    per_call = fetches_per_call(failing_seen)
    assert len(per_call) == len(available)
    assert set(per_call.values()) == {1 + retries}  # before: (1 + retries) * 4
    assert archive.archived_ids() == set()


async def test_a_failing_listing_costs_one_plus_retries_requests(archive: Archive) -> None:
    seen: list[RequestRecord] = []
    server = start(seen, fail_rate=1.0)
    try:
        async with client_for(server, retries=3) as client:
            with pytest.raises(ServerError, match=r"after 4 attempts \(3 retries\)"):
                await sync_archive(client, archive, *WINDOW)
    finally:
        server.stop()
    assert len(seen) == 4  # before: 16


async def test_429s_pause_every_worker_but_add_no_attempts(archive: Archive) -> None:
    # One request per second: the listing gets through, the fetches mostly meet 429s.
    healthy_seen: list[RequestRecord] = []
    limited_seen: list[RequestRecord] = []
    healthy = start(healthy_seen)
    limited = start(limited_seen, rate_limit=1)
    try:
        async with client_for(healthy, 1) as lister, client_for(limited, 1) as fetcher:
            report = await sync_archive(
                ListsHereFetchesThere(lister, fetcher), archive, *WINDOW, concurrency=CALLS
            )
    finally:
        healthy.stop()
        limited.stop()
    per_call = fetches_per_call(limited_seen)
    assert per_call and max(per_call.values()) <= 2  # before: up to 30 waits x 2 requests
    assert any(r.status == 429 for r in limited_seen)
    assert report.rate_limit_pauses >= 1
    assert {f.kind for f in report.failed} <= {"rate_limited"}
    assert len(report.fetched) + len(report.failed) == len(per_call)
    assert archive.archived_ids() == set(report.fetched)
    assert RateLimitedError.retryable  # the client retried them; the sync only reports
