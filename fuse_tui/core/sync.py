"""Sweep every call log of a time window into the archive: concurrent, polite, resumable.

``sync_archive`` lists the window's calls, skips those already archived (so re-running after an
interruption fetches only what is missing), and fetches the rest with a bounded pool of workers.
Each call is committed as soon as it arrives. Retrying is the client's job alone (its one
budget: at most ``1 + retries`` HTTP requests per logical request); the sync never retries on
top, it reports what the client gave up on, by the error's ``kind``. One call that cannot be
fetched, read or stored is reported as failed with its reason and the rest of the batch goes on.
A 429 from any worker pauses *all* workers until its ``Retry-After`` has passed (``RateGate``),
so a rate-limited server sees the whole sync slow down instead of N workers hammering it; the
client's own retry waits at that gate too.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from fuse_tui.core.archive import Archive, ArchiveError
from fuse_tui.core.archive.records import FetchedLike
from fuse_tui.core.client_interpret import rate_limit_wait
from fuse_tui.core.limits import DEFAULT_SYNC_CONCURRENCY
from fuse_tui.core.model import CallSummary
from fuse_tui.core.textsafe import escape_control

# Kinds of failure that no call of this sync can escape (bad or missing credentials): stop.
ABORTING_KINDS = frozenset({"auth", "credentials", "insecure"})

log = logging.getLogger("fuse_tui.sync")


class SyncClient(Protocol):
    """The two ``FuseClient`` methods a sync needs."""

    def list_calls(
        self, start: int, end: int, number: str | None = None
    ) -> AsyncIterator[CallSummary]: ...

    async def fetch_call(self, session_id: str, fmt: str = "json") -> FetchedLike: ...


@dataclass(frozen=True)
class SyncFailure:
    session_id: str
    kind: str  # the error's ``kind``: "not_found" | "rate_limited" | "server" | "store" | …
    reason: str  # one sentence, from the client's error


@dataclass
class SyncProgress:
    """A snapshot for a progress bar: ``done`` of ``total`` calls handled so far."""

    total: int
    fetched: int = 0
    already_archived: int = 0
    expired: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)
    now: float = field(default_factory=time.monotonic)
    waiting_for_rate_limit: bool = False

    @property
    def done(self) -> int:
        return self.fetched + self.already_archived + self.expired + self.failed

    @property
    def elapsed(self) -> float:
        return max(0.0, self.now - self.started)

    @property
    def rate(self) -> float:
        """Calls fetched per second (skips are instant and would flatter the figure)."""
        return self.fetched / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate; None until the rate is known."""
        remaining = self.total - self.done
        if remaining <= 0:
            return 0.0
        return remaining / self.rate if self.rate > 0 else None


@dataclass
class SyncReport:
    listed: int = 0
    fetched: list[str] = field(default_factory=list)
    already_archived: int = 0
    expired: list[SyncFailure] = field(default_factory=list)
    failed: list[SyncFailure] = field(default_factory=list)
    rate_limit_pauses: int = 0
    elapsed: float = 0.0


ProgressCallback = Callable[[SyncProgress], None]


class RateGate:
    """A pause shared by every worker: after a 429, nobody sends until ``Retry-After`` passes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until = 0.0
        self.pauses = 0

    def pause(self, seconds: float) -> None:
        until = self._clock() + max(0.0, seconds)
        if until > self._until:
            self._until = until
            self.pauses += 1
            log.info("rate-limited (429): every worker waits %.1fs before sending again", seconds)

    @property
    def paused(self) -> bool:
        return self._until > self._clock()

    async def wait(self) -> None:
        while (delay := self._until - self._clock()) > 0:
            await asyncio.sleep(delay)


# The longest a 429 may pause every worker. A server asking for more (or for "inf") would stall
# the sync for good; the client refuses such waits too (its max_retry_after).
MAX_GATE_PAUSE = 60.0


def _pause_seconds(seconds: float | None, fallback: float) -> float:
    if seconds is None or not math.isfinite(seconds):
        return fallback
    return min(max(0.0, seconds), MAX_GATE_PAUSE)


def attach_gate(client: object, gate: RateGate) -> Callable[[], None]:
    """Make every request of ``client`` (its own retries included) wait at ``gate``.

    FuseClient retries a 429 itself, inside one ``fetch_call``; without this, the other workers
    would not hear of it and keep sending. httpx request/response hooks see every attempt: a 429
    pauses the gate, and each request waits for the gate first. Returns a function that undoes it.
    ``client.http_client`` is FuseClient's httpx.AsyncClient; a client without one is left alone.
    """
    http = getattr(client, "http_client", None)
    hooks = getattr(http, "event_hooks", None)
    if http is None or not isinstance(hooks, dict):
        return lambda: None
    before = {key: list(value) for key, value in hooks.items()}

    async def wait_at_gate(request: Any) -> None:
        await gate.wait()

    async def watch_for_429(response: Any) -> None:
        if response.status_code == 429:
            wait = rate_limit_wait(response.headers)  # what the client's retry waits too
            gate.pause(_pause_seconds(wait, 1.0))

    http.event_hooks = {
        "request": [*before.get("request", []), wait_at_gate],
        "response": [*before.get("response", []), watch_for_429],
    }

    def detach() -> None:
        http.event_hooks = before

    return detach


def error_kind(exc: BaseException) -> str:
    """The failure's ``kind`` (client errors and session-ID errors carry one), else "error"."""
    kind = getattr(exc, "kind", None)
    return kind if isinstance(kind, str) and kind else "error"


def failure_reason(exc: BaseException) -> str:
    """One line saying what went wrong: the error's own sentence, or its type and text."""
    text = " ".join(str(exc).split())
    if error_kind(exc) == "error":  # not one of ours: name it, its text may be terse
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return escape_control(text[:300])


def _archive_unusable(exc: BaseException) -> bool:
    """Whether a failed store means the archive itself is unusable (full, read-only, closed).

    Then every other call would fail the same way: the sync stops and says why. Anything else
    (a session ID the archive cannot hold, a log it cannot index) concerns that one call.
    """
    cause = exc.__cause__
    return isinstance(exc, ArchiveError) and isinstance(
        cause, sqlite3.OperationalError | sqlite3.ProgrammingError
    )


async def list_window(
    client: SyncClient, start: int, end: int, number: str | None, *, gate: RateGate
) -> list[CallSummary]:
    """Every call of the window, de-duplicated. Not retried here: the client already did."""
    await gate.wait()
    seen: dict[str, CallSummary] = {}
    async for summary in client.list_calls(start, end, number):
        seen.setdefault(summary.session_id, summary)
    return list(seen.values())


async def sync_archive(
    client: SyncClient,
    archive: Archive,
    start: int,
    end: int,
    *,
    number: str | None = None,
    concurrency: int = DEFAULT_SYNC_CONCURRENCY,
    progress: ProgressCallback | None = None,
    gate: RateGate | None = None,
) -> SyncReport:
    """Archive every call log of ``[start, end)`` not archived yet. See the module docstring.

    Raises AuthError and the other credential errors (nothing can succeed), ArchiveError when
    the archive itself cannot be written, and the listing's error if the window cannot be listed
    at all. Cancelling the task stops the workers; everything stored before that stays
    committed.
    """
    gate = gate or RateGate()
    detach = attach_gate(client, gate)
    try:
        return await _sync(
            client,
            archive,
            start,
            end,
            number=number,
            concurrency=concurrency,
            progress=progress,
            gate=gate,
        )
    finally:
        detach()


async def _sync(
    client: SyncClient,
    archive: Archive,
    start: int,
    end: int,
    *,
    number: str | None,
    concurrency: int,
    progress: ProgressCallback | None,
    gate: RateGate,
) -> SyncReport:
    began = time.monotonic()
    calls = await list_window(client, start, end, number, gate=gate)
    log.info(
        "listed %d calls of [%d, %d) in %.2fs", len(calls), start, end, time.monotonic() - began
    )
    report = SyncReport(listed=len(calls))
    state = SyncProgress(total=len(calls), started=began)

    def tick() -> None:
        state.now = time.monotonic()
        state.waiting_for_rate_limit = gate.paused
        if progress is not None:
            progress(state)

    # SQLite off the event loop: in the TUI that loop draws the screen.
    archived = await asyncio.to_thread(archive.archived_ids, [c.session_id for c in calls])
    # Calls archived already (a hand-typed fetch, an import) learn who called whom from the
    # listing; their logs are not fetched again.
    listed = [(c.session_id, c) for c in calls if c.session_id in archived]
    if listed:
        await asyncio.to_thread(archive.update_meta_many, listed)
    known_gone = await asyncio.to_thread(archive.unavailable)
    queue: asyncio.Queue[CallSummary] = asyncio.Queue()
    for call in calls:
        gone = known_gone.get(call.session_id)
        if call.session_id in archived:
            report.already_archived += 1
            state.already_archived += 1
        elif call.log is False or (gone is not None and gone[0] == "expired"):
            # Fuse keeps no detailed log for it (the listing says so, or a fetch did before).
            reason = gone[1] if gone else "Fuse lists this call without a detailed log."
            report.expired.append(SyncFailure(call.session_id, "expired", reason))
            state.expired += 1
        else:
            queue.put_nowait(call)
    log.info(
        "%d archived before, %d without a detailed log, %d to fetch with %d workers",
        report.already_archived,
        len(report.expired),
        queue.qsize(),
        max(1, concurrency),
    )
    tick()

    def failed(session_id: str, kind: str, reason: str) -> None:
        log.debug("%s: failed (%s): %s", session_id, kind, reason)
        report.failed.append(SyncFailure(session_id, kind, reason))
        state.failed += 1

    async def fetch_one(call: CallSummary) -> None:
        """One call: fetched (the client retries), stored, or reported; never raised for it."""
        session_id = call.session_id
        try:
            fetched = await client.fetch_call(session_id)
        except Exception as exc:  # one call's failure is reported, never the batch's
            kind = error_kind(exc)
            if kind in ABORTING_KINDS:
                raise
            if kind == "expired":
                reason = failure_reason(exc)
                await asyncio.to_thread(archive.mark_unavailable, session_id, "expired", reason)
                report.expired.append(SyncFailure(session_id, "expired", reason))
                state.expired += 1
                log.debug("%s: expired", session_id)
            else:
                # not_found is not remembered: a call in progress may have no log *yet*.
                failed(session_id, kind, failure_reason(exc))
            return
        try:
            await asyncio.to_thread(archive.store, fetched, session_id, call)
        except Exception as exc:
            if _archive_unusable(exc):
                raise
            failed(session_id, "store", f"Not archived: {failure_reason(exc)}")
            return
        report.fetched.append(session_id)
        state.fetched += 1
        log.debug("%s: fetched and archived (%d bytes)", session_id, len(fetched.raw))

    async def worker() -> None:
        while True:
            try:
                call = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await fetch_one(call)
            tick()

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    try:
        await asyncio.gather(*workers)
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    report.rate_limit_pauses = gate.pauses
    report.elapsed = time.monotonic() - began
    log.info(
        "sync done in %.1fs: %d fetched, %d failed, %d rate-limit pauses",
        report.elapsed,
        len(report.fetched),
        len(report.failed),
        report.rate_limit_pauses,
    )
    tick()
    return report
