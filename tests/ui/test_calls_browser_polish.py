"""Calls browser polish: K-then-Esc with credentials, typed phone numbers, the window's ends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from fuse_tui.core.phone import normalize_number
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.calls_browser import WINDOWS, CallsBrowserScreen
from fuse_tui.ui.screens.credentials import CredentialsScreen
from tests.ui.conftest import last_message
from tests.ui.conftest_screens import (
    CALLS_NOW,
    DEMO_EMAIL,
    DEMO_KEY,
    ScreenHost,
    calls_emulator,
    client_lister,
    wait_calls_loaded,
)

__all__ = ["calls_emulator"]  # a fixture, imported so pytest finds it here


def _rows(app: Any) -> list[str]:
    table = app.screen.query_one("#calls-table", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def _window(app: Any) -> str:
    return str(app.screen.query_one("#calls-window", Static).render())


def _status(app: Any) -> str:
    return str(app.screen.query_one("#calls-status", Static).render())


def _last(app: Any) -> str:
    notes = list(app._notifications)
    return notes[-1].message if notes else ""


# ------------------------------------------------------------------ K then Esc (item 1)


@pytest.fixture
def live_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY})) as server:
        yield server


async def test_cancelling_credentials_with_credentials_set_changes_nothing(
    make_app: Any, live_emulator: EmulatorServer
) -> None:
    app = make_app(server=live_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_calls_browser()
        await wait_calls_loaded(pilot)
        before_rows, before_status = _rows(app), _status(app)
        assert before_rows, "the demo has calls in the last 24 h"
        notes_before = len(app._notifications)
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("escape")
        await wait_calls_loaded(pilot)
        assert isinstance(app.screen, CallsBrowserScreen)
        assert _rows(app) == before_rows and _status(app) == before_status
        assert len(app._notifications) == notes_before
        assert "No credentials" not in last_message(app)
        assert app.service.has_credentials


async def test_cancelling_credentials_without_any_still_says_what_is_missing(
    make_app: Any,
) -> None:
    app = make_app(email=None, key=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_calls_browser()  # no credentials: the dialog comes first
        await pilot.pause()
        assert isinstance(app.screen, CredentialsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "No credentials" in last_message(app)


# ------------------------------------------------------------------ phone numbers (item 2)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6175550142", "6175550142"),
        ("617-555-0142", "6175550142"),
        ("(617) 555-0142", "6175550142"),
        ("617.555.0142", "6175550142"),
        ("+1 (617) 555-0142", "6175550142"),
        ("1-617-555-0142", "6175550142"),
        ("16175550142", "6175550142"),
        ("+44 20 7946 0958", "442079460958"),  # not NANP: kept whole
        ("26175550142", "26175550142"),  # 11 digits, not starting with 1: kept
        ("911", "911"),
        ("  ", None),
        ("+", None),
        ("١٢٣", None),  # Arabic-Indic digits are not what Fuse stores
    ],
)
def test_typed_numbers_become_what_fuse_lists(typed: str, expected: str | None) -> None:
    assert normalize_number(typed) == expected


@pytest.mark.parametrize("typed", ["+1 (617) 555-0142", "617-555-0142", "1 617 555 0142"])
async def test_every_way_of_typing_a_number_finds_its_calls(
    calls_emulator: EmulatorServer, typed: str
) -> None:
    wanted = [
        c.session_id
        for c in calls_emulator.calls_for(DEMO_EMAIL)
        if CALLS_NOW - 5 * 86400 <= (c.start or 0) < CALLS_NOW and "6175550142" in (c.src, c.dest)
    ]
    assert wanted, "the emulator's samples have calls from 617-555-0142"
    app = ScreenHost(CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("w", "w")  # 5 days
        await wait_calls_loaded(pilot)
        await pilot.press("slash", *typed, "enter")
        await wait_calls_loaded(pilot)
        assert sorted(_rows(app)) == sorted(wanted)
        assert "number 6175550142" in _window(app)


# ------------------------------------------------------------------ window ends (item 3)


async def test_w_stops_at_the_longest_window_and_says_so(calls_emulator: EmulatorServer) -> None:
    app = ScreenHost(CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("w", "w")
        await wait_calls_loaded(pilot)
        assert f"last {WINDOWS[-1].label}" in _window(app)
        shown = _rows(app)
        await pilot.press("w")
        await wait_calls_loaded(pilot)
        assert f"last {WINDOWS[-1].label}" in _window(app)
        assert _rows(app) == shown
        assert _last(app) == "Already the longest window (5 days)"


async def test_shift_w_stops_at_the_shortest_window_and_says_so(
    calls_emulator: EmulatorServer,
) -> None:
    app = ScreenHost(CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("W", "W")
        await wait_calls_loaded(pilot)
        assert "last 1 h" in _window(app)
        await pilot.press("W")
        await wait_calls_loaded(pilot)
        assert "last 1 h" in _window(app)
        assert _last(app) == "Already the shortest window (1 h)"
