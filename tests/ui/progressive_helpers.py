"""A slow reader that keeps the read contract of core.formats.progressive, for the tests of
progressive opening: it hands out a piece each time the test says so."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from fuse_tui.core.formats import LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.progressive import Finished, FirstEntries, MoreEntries, Piece
from fuse_tui.core.model import CallLog, LogEntry
from tests.ui.conftest import big_entries

FIRST = 50


def _entries(count: int) -> list[LogEntry]:
    return [LogEntry.model_validate(item) for item in big_entries(count)]


class SlowReader:
    """``read_progressively`` for one call of ``count`` entries: FirstEntries, then a
    MoreEntries each time the test calls :meth:`step`, then Finished — or ``fail`` raised
    after ``fail_after`` steps."""

    def __init__(
        self,
        count: int,
        pieces: int = 3,
        fail_after: int | None = None,
        entries: list[LogEntry] | None = None,
    ) -> None:
        self.entries = entries if entries is not None else _entries(count)
        self.pieces = pieces
        self.fail_after = fail_after
        self._go = threading.Semaphore(0)
        self.closed = threading.Event()

    def step(self, times: int = 1) -> None:
        for _ in range(times):
            self._go.release()

    def _wait(self) -> None:
        # Bounded: a failing test must not leave the reader's thread (and the app) hanging.
        if not self._go.acquire(timeout=10):
            raise TimeoutError("the test never let the reader go on")

    def __call__(self, source: Any, data: bytes | None = None, **_: Any) -> Iterator[Piece]:
        try:
            yield FirstEntries(self.entries[:FIRST], "sess-slow")
            rest = self.entries[FIRST:]
            size = -(-len(rest) // self.pieces)
            for number, start in enumerate(range(0, len(rest), size)):
                if number == self.fail_after:
                    self._wait()
                    raise FormatError(str(source), "unexpected end of data at byte 12345")
                self._wait()
                yield MoreEntries(rest[start : start + size])
            self._wait()
            log = CallLog(session_id="sess-slow", entries=list(self.entries), source=str(source))
            yield Finished(LogsDocument(logs=[log]))
        finally:
            self.closed.set()


def install_slow_reader(monkeypatch: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> SlowReader:
    """A SlowReader in place of the file worker's read_progressively."""
    reader = SlowReader(*args, **kwargs)
    monkeypatch.setattr("fuse_tui.ui.screens.main.read_progressively", reader)
    return reader


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")
