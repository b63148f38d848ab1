"""Shared helpers for the screen tests (imported explicitly; tests/ui/conftest.py is not ours)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from fuse_tui.core.client import Credentials, FuseClient
from fuse_tui.core.model import CallSummary
from fuse_tui.emulator import EmulatorConfig, EmulatorServer

DEMO_EMAIL = "demo@example.com"
DEMO_KEY = "demo-key"
# The emulator's fixed clock for the calls-browser tests and snapshots.
CALLS_NOW = 1_800_000_000

_NOT_YET = object()


class ScreenHost(App[None]):
    """A tiny app that pushes one screen and records what it dismisses with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self._screen_under_test = screen
        self.result: Any = _NOT_YET

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self._screen_under_test, callback=self._record)

    def _record(self, value: Any) -> None:
        self.result = value

    @property
    def dismissed(self) -> bool:
        return self.result is not _NOT_YET


async def wait_calls_loaded(pilot: Pilot[Any]) -> None:
    """Wait until the calls browser's load worker is done (the DirectoryTree's never ends)."""
    await pilot.pause()
    workers = [w for w in pilot.app.workers if w.group == "calls-browser-load"]
    if workers:
        await pilot.app.workers.wait_for_complete(workers)
    await pilot.pause()


@pytest.fixture
def local_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = UTC so formatted timestamps are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def calls_emulator() -> Iterator[EmulatorServer]:
    """The in-process emulator with its clock fixed at ``CALLS_NOW`` (sample calls only)."""
    with EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=CALLS_NOW)) as server:
        yield server


def client_lister(
    server: EmulatorServer, email: str = DEMO_EMAIL, key: str = DEMO_KEY
) -> Callable[[int, int, str | None], AsyncIterator[CallSummary]]:
    """``list_calls`` for the calls browser, through the real FuseClient over loopback HTTP."""

    def list_calls(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        async def calls() -> AsyncIterator[CallSummary]:
            credentials = Credentials(email=email, developer_key=SecretStr(key))
            async with FuseClient(server.base_url, credentials, retries=0, timeout=10) as client:
                async for call in client.list_calls(start, end, number):
                    yield call

        return calls()

    return list_calls
