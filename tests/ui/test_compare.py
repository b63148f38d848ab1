"""Compare with… (D, and the palette): the current call beside another open one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, OptionList

from fuse_tui.core.diff import RowStatus, compare_calls
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.emulator.scenarios import billing_ivr_call, email_test_call
from fuse_tui.ui.screens.compare import CompareScreen, PickCallScreen
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import CALL_START, MakeApp, settle
from tests.ui.conftest_screens import ScreenHost

HOSTILE = "[bold]not markup[/bold] \x1b[31mred\x1b[0m"


def _billing(lookup_fails: bool) -> list[dict[str, Any]]:
    return billing_ivr_call(
        "300060;007;1", CALL_START, "1", "2", lookup_fails=lookup_fails, unsafe_text=False
    ).entries


def _file(path: Path, entries: list[dict[str, Any]]) -> Source:
    path.write_text(json.dumps(entries), encoding="utf-8")
    return Source("file", str(path))


@pytest.fixture
def two_calls(tmp_path: Path) -> list[Source]:
    return [
        _file(tmp_path / "worked.json", _billing(False)),
        _file(tmp_path / "failed.json", _billing(True)),
    ]


async def _open_compare(pilot: Any, app: Any) -> CompareScreen:
    await pilot.press("D")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


async def test_d_compares_the_current_call_with_the_other_and_enter_goes_to_the_step(
    make_app: MakeApp, two_calls: list[Source]
) -> None:
    app = make_app(two_calls)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        first = app.main.views()[0]
        app.main._select(first)  # A: the call that worked
        await pilot.pause()
        screen = await _open_compare(pilot, app)
        headline = str(screen.query_one("#compare-headline").render())
        assert "step 5, rest (balance_lookup)" in headline and "error in B only" in headline
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.diff.rows)
        # The cursor starts on the divergence; its detail names B's error.
        assert table.cursor_row == screen.diff.divergence.row  # type: ignore[union-attr]
        detail = str(screen.query_one("#compare-detail").render())
        assert "REST request failed" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.active_view is first
        current = first.event_list.current_entry
        assert current is not None and current.event.module_type == "rest"
        assert current.event.line == "Sending REST request"  # the step's first entry


async def test_escape_closes_and_a_step_only_in_b_goes_nowhere(
    make_app: MakeApp, two_calls: list[Source]
) -> None:
    app = make_app(two_calls)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.main._select(app.main.views()[0])
        await pilot.pause()
        screen = await _open_compare(pilot, app)
        only_b = next(n for n, row in enumerate(screen.diff.rows) if row.status is RowStatus.ONLY_B)
        screen.query_one(DataTable).move_cursor(row=only_b)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # nothing in A to go to: said, and the screen stays
        assert any("only in B" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_one_call_open_says_what_to_do(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app([_file(tmp_path / "one.json", _billing(False))])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is app.main
        assert any("Open two calls" in n.message for n in app._notifications)


async def test_with_three_calls_open_a_small_list_asks_which(
    make_app: MakeApp, two_calls: list[Source], tmp_path: Path
) -> None:
    email = email_test_call("300060;001;9", CALL_START, "1", "2").entries
    app = make_app([*two_calls, _file(tmp_path / "email.json", email)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        views = app.main.views()
        app.main._select(views[0])
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, PickCallScreen)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        await pilot.press("down", "enter")  # the second other call: email.json
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.name_b == "email.json" and screen.name_a == "worked.json"
        assert not screen.diff.same_path


async def test_the_palette_offers_compare_with(make_app: MakeApp, two_calls: list[Source]) -> None:
    app = make_app(two_calls)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"compare with")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CompareScreen)


async def test_log_content_is_data_not_markup() -> None:
    def call(line: str) -> CallLog:
        entries = [
            {
                "event": {
                    "line": "start",
                    "data": {"module_type": "start", "result_variable": "s"},
                },
                "class": "info",
                "timestamp": CALL_START,
            },
            {
                "event": {"line": line, "data": {"module_type": "rest[b]", "result_variable": "x"}},
                "class": "error",
                "timestamp": CALL_START + 1,
            },
        ]
        return CallLog(entries=[LogEntry.model_validate(e) for e in entries])

    diff = compare_calls(call("fine"), call(HOSTILE))
    host = ScreenHost(CompareScreen(diff, "a[/x]", "b\x1b[2J"))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = host.screen
        assert isinstance(screen, CompareScreen)
        detail = str(screen.query_one("#compare-detail").render())
        assert "[bold]not markup[/bold]" in detail and "\x1b" not in detail
        names = str(screen.query_one("#compare-names").render())
        assert "a[/x]" in names and "\x1b" not in names


def test_compare_80x24(snap_compare: Any) -> None:
    def log(entries: list[dict[str, Any]], sid: str) -> CallLog:
        return CallLog(session_id=sid, entries=[LogEntry.model_validate(e) for e in entries])

    diff = compare_calls(log(_billing(False), "300060;005;1"), log(_billing(True), "300060;007;1"))
    screen = CompareScreen(diff, "300060;005;1", "300060;007;1")
    assert snap_compare(ScreenHost(screen), terminal_size=(80, 24))
