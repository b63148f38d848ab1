"""Calls browser: the event list's keys, a window and number kept for the run, whole numbers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from fuse_tui.core.model import CallSummary
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.calls_browser import WHOLE_NUMBERS_ONLY, CallsBrowserScreen
from fuse_tui.ui.screens.help import bindings_help
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

IDS = [f"call-{i}" for i in range(6)]  # newest first


def _six_calls() -> CallsBrowserScreen:
    async def calls(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        for i, session_id in enumerate(IDS):
            yield CallSummary(session_id=session_id, start=end - 10 * (i + 1), end=end, log=True)

    return CallsBrowserScreen(calls, now=lambda: CALLS_NOW)


def _cursor(app: Any) -> str | None:
    screen = app.screen
    assert isinstance(screen, CallsBrowserScreen)
    return screen.highlighted_session()


def _status(app: Any) -> str:
    return str(app.screen.query_one("#calls-status", Static).render())


def _window(app: Any) -> str:
    return str(app.screen.query_one("#calls-window", Static).render())


# ------------------------------------------------------------------------------ list keys


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("end",), IDS[-1]),
        (("G",), IDS[-1]),
        (("end", "home"), IDS[0]),
        (("G", "g"), IDS[0]),
        (("j", "j", "j"), IDS[3]),
        (("G", "k", "k"), IDS[3]),
        (("k",), IDS[0]),  # stops at the top
        (("G", "j"), IDS[-1]),  # … and at the bottom
    ],
)
async def test_list_keys_move_the_cursor(keys: tuple[str, ...], expected: str) -> None:
    app = ScreenHost(_six_calls())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press(*keys)
        assert _cursor(app) == expected


async def test_end_then_enter_opens_the_last_call() -> None:
    app = ScreenHost(_six_calls())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.result == IDS[-1]


async def test_list_keys_are_in_the_help_and_remappable_by_id() -> None:
    app = ScreenHost(_six_calls())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        groups = {title: dict(rows) for title, rows in bindings_help(app)}  # type: ignore[arg-type]
        browser = {desc: keys.split() for keys, desc in groups["Calls browser"].items()}
        assert {"j", "↓"} <= set(browser["Next call"])
        assert {"k", "↑"} <= set(browser["Previous call"])
        assert {"g", "home"} <= set(browser["First call"])
        assert {"G", "end"} <= set(browser["Last call"])
        app.set_keymap({"calls.last": "x", "calls.down": "n"})
        await pilot.press("x")
        assert _cursor(app) == IDS[-1]
        await pilot.press("g", "n")
        assert _cursor(app) == IDS[1]


async def test_letters_typed_in_the_number_box_do_not_move_the_list() -> None:
    app = ScreenHost(_six_calls())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("slash", "j", "G")
        assert isinstance(app.focused, Input)
        assert _cursor(app) == IDS[0]


# ------------------------------------------------------------------ whole numbers only


async def test_a_partial_number_says_fuse_matches_whole_numbers(
    calls_emulator: EmulatorServer,
) -> None:
    screen = CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW)
    app = ScreenHost(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        number = app.screen.query_one("#calls-number", Input)
        assert "full number" in number.placeholder
        before = _status(app)
        await pilot.press("slash")
        # Where the number is typed, the status line says how it is matched …
        assert WHOLE_NUMBERS_ONLY in _status(app)
        await pilot.press("escape")  # … and gives the list's summary back on leaving.
        assert _status(app) == before
        await pilot.press("w", "w")  # 5 days
        await wait_calls_loaded(pilot)
        await pilot.press("slash", *"2125", "enter")
        await wait_calls_loaded(pilot)
        assert screen.calls == []
        assert "for 2125" in _status(app) and WHOLE_NUMBERS_ONLY in _status(app)
        await pilot.press("slash", *"2125551234", "enter")  # the whole number: found
        await wait_calls_loaded(pilot)
        assert screen.calls and WHOLE_NUMBERS_ONLY not in _status(app)


# ---------------------------------------------------------- remembered for the app run


async def test_the_window_and_number_come_back_on_the_next_visit(
    calls_emulator: EmulatorServer,
) -> None:
    def browser() -> CallsBrowserScreen:
        return CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW)

    app = ScreenHost(browser())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        assert "last 24 h" in _window(app)
        await pilot.press("w", "w", "slash", *"2125551234", "enter")
        await wait_calls_loaded(pilot)
        shown = [c.session_id for c in app.screen.calls]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed
        app.push_screen(browser())
        await wait_calls_loaded(pilot)
        assert "last 5 days" in _window(app) and "number 2125551234" in _window(app)
        assert app.screen.query_one("#calls-number", Input).value == "2125551234"
        assert [c.session_id for c in app.screen.calls] == shown  # type: ignore[attr-defined]
        assert isinstance(app.focused, DataTable)

    # Another app (another run) starts from the defaults.
    other = ScreenHost(browser())
    async with other.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        assert "last 24 h" in _window(other) and "number" not in _window(other)


@pytest.fixture
def live_emulator() -> Iterator[EmulatorServer]:
    """On the real clock: the app's calls browser asks for the windows of *now*."""
    with EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY})) as server:
        yield server


async def test_in_the_app_b_reopens_the_window_chosen_before(
    make_app: Any, live_emulator: EmulatorServer
) -> None:
    app = make_app(server=live_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_calls_browser()
        await wait_calls_loaded(pilot)
        await pilot.press("w")  # 2 days
        await wait_calls_loaded(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CallsBrowserScreen)
        app.action_calls_browser()
        await wait_calls_loaded(pilot)
        assert isinstance(app.screen, CallsBrowserScreen)
        assert "last 2 days" in _window(app)


async def test_a_number_with_no_digit_is_refused_not_dropped(
    calls_emulator: EmulatorServer,
) -> None:
    """Punctuation with no digit (the box takes only number characters) used to be dropped
    silently, so every call was listed as if it matched."""
    screen = CallsBrowserScreen(client_lister(calls_emulator), now=lambda: CALLS_NOW)
    app = ScreenHost(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        shown = [c.session_id for c in screen.calls]
        await pilot.press("slash", "left_parenthesis", "minus", "right_parenthesis", "enter")
        await wait_calls_loaded(pilot)
        assert "'(-)' is not a phone number" in _status(app)
        assert screen.number is None and [c.session_id for c in screen.calls] == shown
        assert isinstance(app.focused, Input)  # left where it is to be fixed
        assert any("not a phone number" in n.message for n in app._notifications)
