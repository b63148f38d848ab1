"""Sync against the real emulator over loopback: faults, 429s, interruption, expired calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from pydantic import SecretStr

from fuse_tui.core.archive import Archive
from fuse_tui.core.client import AuthError, Credentials, FuseClient
from fuse_tui.core.durations import parse_duration
from fuse_tui.core.model import CallSummary
from fuse_tui.core.sync import SyncProgress, sync_archive
from fuse_tui.emulator import DEMO_EMAIL, DEMO_KEY, EmulatorConfig, EmulatorServer

NOW = 1_750_000_000
WINDOW = (NOW - 400 * 86400, NOW + 1)


def serve(**options: Any) -> EmulatorServer:
    config = EmulatorConfig(now=NOW, seed=options.pop("seed", 7), **options)
    return EmulatorServer(config).start()


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    emulator = serve(generated_calls=40)
    yield emulator
    emulator.stop()


def client_for(server: EmulatorServer, key: str = DEMO_KEY, **options: Any) -> FuseClient:
    options.setdefault("retries", 3)
    options.setdefault("backoff_base", 0.01)
    options.setdefault("backoff_max", 0.05)
    return FuseClient(
        base_url=server.base_url,
        credentials=Credentials(email=DEMO_EMAIL, developer_key=SecretStr(key)),
        timeout=5,
        **options,
    )


def call_fetches(server: EmulatorServer) -> list[str]:
    """Session IDs of every /api/call request the emulator received."""
    prefix = "/api/call/"
    return [unquote(r.path[len(prefix) :]) for r in server.requests if r.path.startswith(prefix)]


def assert_archive_matches(server: EmulatorServer, archive: Archive) -> None:
    """Every available log archived exactly once, byte-identical; nothing else archived."""
    listed = server.calls_for(DEMO_EMAIL)
    available = {c.session_id for c in listed if c.log}
    assert archive.archived_ids() == available
    for session_id in available:
        call = archive.get(session_id)
        assert call is not None
        assert call.raw == server.raw_call(DEMO_EMAIL, session_id)
    calls, events = archive.count()
    assert calls == len(available)
    assert events == sum(len(archive.get(s).log.entries) for s in available)  # type: ignore[union-attr]


async def sync(server: EmulatorServer, archive: Archive, **options: Any) -> Any:
    client_options = {k: options.pop(k) for k in ("retries",) if k in options}
    async with client_for(server, **client_options) as client:
        return await sync_archive(client, archive, *WINDOW, **options)


async def test_clean_sync_archives_every_available_log(
    server: EmulatorServer, archive: Archive
) -> None:
    seen: list[SyncProgress] = []
    report = await sync(server, archive, progress=lambda s: seen.append(s))
    listed = server.calls_for(DEMO_EMAIL)
    expired = {c.session_id for c in listed if not c.log}
    assert expired, "the emulator should serve some expired calls"
    assert report.listed == len(listed)
    assert len(report.fetched) == len(listed) - len(expired)
    assert {f.session_id for f in report.expired} == expired
    assert report.failed == [] and report.already_archived == 0
    assert_archive_matches(server, archive)
    assert seen[-1].done == seen[-1].total == len(listed)
    # Expired calls are never requested: the listing already says they have no log.
    assert not set(call_fetches(server)) & expired
    # Listing metadata is kept with each call.
    some = next(c for c in listed if c.log)
    (summary,) = archive.list_calls(session_ids=[some.session_id])
    assert (summary.src, summary.dest, summary.start) == (some.src, some.dest, some.start)


async def test_sync_with_injected_faults_ends_complete_and_byte_identical(
    archive: Archive,
) -> None:
    server = serve(generated_calls=40, fail_rate=0.2, drop_rate=0.1, truncate_rate=0.1, seed=3)
    try:
        report = await sync(server, archive, retries=8)
        assert report.failed == []
        assert_archive_matches(server, archive)
        faults = {r.fault for r in server.requests}
        assert {"fail", "drop", "truncate"} <= faults
        # Idempotent: a second run fetches nothing.
        server.clear_requests()
        again = await sync(server, archive)
        assert again.fetched == [] and again.already_archived == len(report.fetched)
        assert call_fetches(server) == []
    finally:
        server.stop()


async def test_rate_limited_sync_slows_down_and_completes(archive: Archive) -> None:
    server = serve(generated_calls=30, rate_limit=20)
    try:
        report = await sync(server, archive, concurrency=8)
        assert report.failed == []
        assert_archive_matches(server, archive)
        limited = sum(1 for r in server.requests if r.status == 429)
        assert report.rate_limit_pauses >= 1 and limited >= 1
        # The shared gate holds every worker after a 429: far fewer 429s than requests.
        assert limited <= len(server.requests) // 2
    finally:
        server.stop()


async def test_an_interrupted_sync_resumes_fetching_only_what_is_missing(
    archive: Archive,
) -> None:
    server = serve(generated_calls=40, latency_ms=20)
    try:
        enough = asyncio.Event()

        def progress(state: SyncProgress) -> None:
            if state.fetched >= 8:
                enough.set()

        task = asyncio.create_task(sync(server, archive, concurrency=2, progress=progress))
        await asyncio.wait_for(enough.wait(), 30)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        kept = archive.archived_ids()
        available = {c.session_id for c in server.calls_for(DEMO_EMAIL) if c.log}
        assert 8 <= len(kept) < len(available)
        server.clear_requests()
        report = await sync(server, archive)
        assert report.already_archived == len(kept)
        assert set(report.fetched) == available - kept
        assert set(call_fetches(server)) == available - kept
        assert_archive_matches(server, archive)
    finally:
        server.stop()


class WithoutLogFlags:
    """The real client, but the listing omits ``log`` (as a Fuse that does not send it would)."""

    def __init__(self, client: FuseClient, extra: list[str] | None = None) -> None:
        self.client = client
        self.extra = extra or []

    async def list_calls(
        self, start: int, end: int, number: str | None = None
    ) -> AsyncIterator[CallSummary]:
        async for call in self.client.list_calls(start, end, number):
            yield call.model_copy(update={"log": None})
        for session_id in self.extra:
            yield CallSummary(session_id=session_id)

    async def fetch_call(self, session_id: str, fmt: str = "json") -> Any:
        return await self.client.fetch_call(session_id, fmt)


async def test_expired_calls_are_reported_once_and_never_retried(
    server: EmulatorServer, archive: Archive
) -> None:
    expired = {c.session_id for c in server.calls_for(DEMO_EMAIL) if not c.log}
    async with client_for(server) as client:
        wrapped = WithoutLogFlags(client, extra=["300060;999;1"])
        first = await sync_archive(client=wrapped, archive=archive, start=WINDOW[0], end=WINDOW[1])
        assert {f.session_id for f in first.expired} == expired
        assert all("5 days" in f.reason for f in first.expired)
        # Each expired call was asked for exactly once (no retry loop).
        fetches = call_fetches(server)
        assert all(fetches.count(s) == 1 for s in expired)
        # An unknown session is a failure with its reason, not retried either.
        assert [(f.session_id, f.kind) for f in first.failed] == [("300060;999;1", "not_found")]
        assert fetches.count("300060;999;1") == 1
        server.clear_requests()
        second = await sync_archive(wrapped, archive, *WINDOW)
        assert {f.session_id for f in second.expired} == expired
        # Remembered as expired: not even asked for again.
        assert set(call_fetches(server)) == {"300060;999;1"}


async def test_bad_credentials_abort_the_sync(server: EmulatorServer, archive: Archive) -> None:
    async with client_for(server, key="wrong") as client:
        with pytest.raises(AuthError):
            await sync_archive(client, archive, *WINDOW)
    assert archive.count() == (0, 0)


async def test_number_filter_limits_the_sync(server: EmulatorServer, archive: Archive) -> None:
    listed = [c for c in server.calls_for(DEMO_EMAIL) if c.log]
    number = listed[0].dest
    assert number
    report = await sync(server, archive, number=number)
    assert report.fetched
    assert all(number in (c.dest, c.src, c.number) for c in archive.list_calls()), (
        "only calls of that number"
    )


def test_parse_duration() -> None:
    assert parse_duration("5d") == 5 * 86400
    assert parse_duration("12h") == 43200
    assert parse_duration("90") == 90
    assert parse_duration("2w") == 14 * 86400
    for bad in ("", "abc", "-1d", "5y"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_archive_path_fixture_is_fresh(archive_path: Path) -> None:
    assert not archive_path.exists()


async def test_a_call_fetched_by_hand_gets_its_listing_details_from_a_sync(
    server: EmulatorServer, archive: Archive
) -> None:
    # `fuse-tui get ID` archives a log with no listing to say who called whom.
    call = next(c for c in server.calls_for(DEMO_EMAIL) if c.log and c.src)
    async with client_for(server) as client:
        fetched = await client.fetch_call(call.session_id)
    archive.store(fetched, call.session_id)
    (before,) = archive.list_calls(session_ids=[call.session_id])
    assert before.src is None and before.start is None
    fetches_before = len(call_fetches(server))
    await sync(server, archive)
    (after,) = archive.list_calls(session_ids=[call.session_id])
    assert (after.src, after.dest, after.start) == (call.src, call.dest, call.start)
    assert call_fetches(server).count(call.session_id) == 1  # not fetched again
    assert len(call_fetches(server)) > fetches_before  # the rest was
