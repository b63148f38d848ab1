"""Screenshots of the calls browser and the help screen (pytest-textual-snapshot).

Deterministic: the emulator's clock and the screen's clock are fixed, local time is UTC, the
input cursor does not blink. Update with ``pytest tests/ui/test_snapshots_screens.py
--snapshot-update`` after a deliberate visual change.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen
from fuse_tui.ui.screens.help import HelpScreen
from tests.ui.conftest_screens import (
    CALLS_NOW,
    ScreenHost,
    calls_emulator,
    client_lister,
    local_utc,
    wait_calls_loaded,
)

__all__ = ["calls_emulator", "local_utc"]  # fixtures, imported so pytest finds them here

HELP_GROUPS = [
    ("General", [("? f1", "Help"), ("^p", "Command palette"), ("q", "Quit"), ("b", "Calls")]),
    (
        "Event list",
        [("j ↓", "Next event"), ("k ↑", "Previous event"), ("g", "First"), ("G", "Last")],
    ),
    ("Navigation", [("e", "Next error"), ("E", "Previous error"), ("n", "Next match")]),
    ("Copy", [("c", "Copy event"), ("y", "Copy line"), ("C", "Copy log"), ("s", "Session id")]),
    ("Filter", [("/", "Filter"), ("1 2 3 4 5", "Toggle a class"), ("escape", "Clear")]),
]


async def _loaded(pilot: Pilot[Any]) -> None:
    await wait_calls_loaded(pilot)


def _browser(server: EmulatorServer, archived: set[str] | None = None) -> ScreenHost:
    screen = CallsBrowserScreen(
        client_lister(server),
        archived=archived.__contains__ if archived is not None else None,
        now=lambda: CALLS_NOW,
    )
    return ScreenHost(screen)


def test_calls_browser_120x40(
    snap_compare: Any, calls_emulator: EmulatorServer, local_utc: None
) -> None:
    first = calls_emulator.calls_for("demo@example.com")[-1].session_id
    assert snap_compare(
        _browser(calls_emulator, archived={first}), terminal_size=(120, 40), run_before=_loaded
    )


def test_calls_browser_80x24_five_days(
    snap_compare: Any, calls_emulator: EmulatorServer, local_utc: None
) -> None:
    async def five_days(pilot: Pilot[Any]) -> None:
        await wait_calls_loaded(pilot)
        await pilot.press("w", "w")
        await wait_calls_loaded(pilot)
        await pilot.press("down")

    assert snap_compare(_browser(calls_emulator), terminal_size=(80, 24), run_before=five_days)


def test_calls_browser_error_80x24(
    snap_compare: Any, calls_emulator: EmulatorServer, local_utc: None
) -> None:
    screen = CallsBrowserScreen(
        client_lister(calls_emulator, key="wrong-key"), now=lambda: CALLS_NOW
    )
    assert snap_compare(ScreenHost(screen), terminal_size=(80, 24), run_before=_loaded)


def test_help_80x24(snap_compare: Any) -> None:
    assert snap_compare(ScreenHost(HelpScreen(HELP_GROUPS)), terminal_size=(80, 24))


def test_help_120x40(snap_compare: Any) -> None:
    assert snap_compare(ScreenHost(HelpScreen(HELP_GROUPS)), terminal_size=(120, 40))
