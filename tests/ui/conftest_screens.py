"""Shared helpers for the screen tests (imported explicitly; tests/ui/conftest.py is not ours)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

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


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time = UTC so formatted timestamps are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
