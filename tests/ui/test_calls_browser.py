"""The calls browser against the in-process emulator through the real FuseClient."""

from __future__ import annotations

from collections.abc import AsyncIterator

from rich.text import Text
from textual.widgets import DataTable, Input, Static

from fuse_tui.core.model import CallSummary
from fuse_tui.core.timefmt import format_duration
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen
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


def _expected(server: EmulatorServer, seconds: int, number: str | None = None) -> list[str]:
    calls = [
        c
        for c in server.calls_for(DEMO_EMAIL)
        if CALLS_NOW - seconds <= (c.start or 0) < CALLS_NOW
        and (number is None or number in (c.src, c.dest))
    ]
    calls.sort(key=lambda c: c.start or 0, reverse=True)
    return [c.session_id for c in calls]


def _row_keys(app: ScreenHost) -> list[str]:
    table = app.screen.query_one("#calls-table", DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def _status(app: ScreenHost) -> str:
    return str(app.screen.query_one("#calls-status", Static).render())


def _screen(server: EmulatorServer, **kw: object) -> CallsBrowserScreen:
    return CallsBrowserScreen(client_lister(server), now=lambda: CALLS_NOW, **kw)  # type: ignore[arg-type]


async def test_lists_last_24h_newest_first(calls_emulator: EmulatorServer) -> None:
    app = ScreenHost(_screen(calls_emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        expected = _expected(calls_emulator, 86400)
        assert expected, "the emulator's sample calls should include some in the last 24 h"
        assert _row_keys(app) == expected
        assert f"{len(expected)} calls" in _status(app)
        table = app.screen.query_one("#calls-table", DataTable)
        first = table.get_row_at(0)
        assert all(isinstance(cell, Text) for cell in first)
        call = next(c for c in calls_emulator.calls_for(DEMO_EMAIL) if c.session_id == expected[0])
        assert first[1].plain == format_duration(call.duration)
        assert first[2].plain == call.src and first[3].plain == call.dest


async def test_window_key_cycles_and_widens(calls_emulator: EmulatorServer) -> None:
    app = ScreenHost(_screen(calls_emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        day = len(_row_keys(app))
        await pilot.press("w")  # 2 days
        await wait_calls_loaded(pilot)
        assert "2 days" in str(app.screen.query_one("#calls-window", Static).render())
        await pilot.press("w")  # 5 days
        await wait_calls_loaded(pilot)
        assert _row_keys(app) == _expected(calls_emulator, 5 * 86400)
        assert len(_row_keys(app)) > day
        await pilot.press("W", "W", "W", "W")  # back down to 1 h (w stops at 5 days)
        await wait_calls_loaded(pilot)
        assert _row_keys(app) == _expected(calls_emulator, 3600)
        assert "1 h" in str(app.screen.query_one("#calls-window", Static).render())


async def test_number_filter_goes_to_the_api(calls_emulator: EmulatorServer) -> None:
    app = ScreenHost(_screen(calls_emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("w", "w")  # 5 days, so the number has several calls
        await wait_calls_loaded(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"2125551234", "enter")
        await wait_calls_loaded(pilot)
        expected = _expected(calls_emulator, 5 * 86400, "2125551234")
        assert 1 <= len(expected) < len(_expected(calls_emulator, 5 * 86400))
        assert _row_keys(app) == expected
        assert isinstance(app.focused, DataTable)
        assert any("number=2125551234" in r.path for r in calls_emulator.requests)


async def test_enter_dismisses_with_the_session_id(calls_emulator: EmulatorServer) -> None:
    app = ScreenHost(_screen(calls_emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        keys = _row_keys(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == keys[1]


def _fixed_calls(*calls: CallSummary):  # type: ignore[no-untyped-def]
    async def list_calls(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        for call in calls:
            yield call

    return list_calls


# The emulator only lists calls without a log when they are older than five days (retention), so
# a call the API lists with ``log: false`` in the window comes from a plain generator here.
OLD = CallSummary(
    session_id="no-log", src="1", dest="2", start=CALLS_NOW - 60, end=CALLS_NOW, log=False
)
NEW = CallSummary(
    session_id="has-log", src="1", dest="2", start=CALLS_NOW - 30, end=CALLS_NOW, log=True
)


async def test_a_call_without_log_is_not_opened() -> None:
    app = ScreenHost(CallsBrowserScreen(_fixed_calls(OLD, NEW), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        assert _row_keys(app) == ["has-log", "no-log"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not app.dismissed
        assert any("no detailed log" in n.message for n in app._notifications)


async def test_archived_calls_are_marked_and_openable() -> None:
    archived = {"no-log"}
    screen = CallsBrowserScreen(
        _fixed_calls(OLD, NEW), archived=archived.__contains__, now=lambda: CALLS_NOW
    )
    app = ScreenHost(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        table = app.screen.query_one("#calls-table", DataTable)
        marks = [table.get_row_at(i)[-1].plain for i in range(table.row_count)]
        assert marks == ["", "●"]
        # The API has no log for it, but the archive does: it opens.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == "no-log"


async def test_escape_dismisses_with_none_and_leaves_the_filter_first(
    calls_emulator: EmulatorServer,
) -> None:
    app = ScreenHost(_screen(calls_emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        await pilot.press("slash", "escape")
        assert not app.dismissed and isinstance(app.focused, DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed and app.result is None


async def test_wrong_key_shows_the_client_message_inline_and_notifies(
    calls_emulator: EmulatorServer,
) -> None:
    screen = CallsBrowserScreen(
        client_lister(calls_emulator, key="wrong-key"), now=lambda: CALLS_NOW
    )
    app = ScreenHost(screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        status = app.screen.query_one("#calls-status", Static)
        assert status.has_class("-error")
        assert screen.error and screen.error == str(status.render())
        assert "wrong-key" not in screen.error and "Traceback" not in screen.error
        assert [n.message for n in app._notifications] == [screen.error]
        assert _row_keys(app) == []


async def test_paging_is_invisible() -> None:
    config = EmulatorConfig(
        accounts={DEMO_EMAIL: DEMO_KEY}, now=CALLS_NOW, generated_calls=1500, samples=False
    )
    with EmulatorServer(config) as server:
        app = ScreenHost(_screen(server))
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_calls_loaded(pilot)
            await pilot.press("w", "w")
            await wait_calls_loaded(pilot)
            expected = _expected(server, 5 * 86400)
            assert len(expected) > 1000  # more than one page of the client
            assert _row_keys(app) == expected
            assert sum(1 for r in server.requests if "/calls/" in r.path) >= 2 + 2


async def test_hostile_text_is_shown_literally() -> None:
    async def calls(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        yield CallSummary(
            session_id="x[/]", src="[bold]x[/bold]", dest="\x1b[31mred", start=end - 10, end=end
        )

    app = ScreenHost(CallsBrowserScreen(calls, now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        row = app.screen.query_one("#calls-table", DataTable).get_row_at(0)
        assert row[2].plain == "[bold]x[/bold]"
        assert row[3].plain == "\\x1b[31mred"
        assert row[2].spans == []


async def test_a_new_load_cancels_the_running_one() -> None:
    import asyncio

    started: list[int] = []
    release = asyncio.Event()

    async def slow(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        started.append(end - start)
        if len(started) == 1:
            yield CallSummary(session_id="stale", start=end - 5, end=end)
            await asyncio.sleep(30)  # the first (24 h) load hangs until cancelled
        await release.wait()
        yield CallSummary(session_id=f"w{end - start}", start=end - 5, end=end)

    app = ScreenHost(CallsBrowserScreen(slow, now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.4)
        assert app.screen.has_class("-loading")
        assert _row_keys(app) == ["stale"]  # shown while the next page is awaited
        await pilot.press("w")
        await pilot.pause(0.4)
        # The cancelled load neither ends the new load's spinner nor adds its rows.
        assert app.screen.has_class("-loading")
        assert _row_keys(app) == []
        release.set()
        await wait_calls_loaded(pilot)
        assert started == [86400, 2 * 86400]
        assert _row_keys(app) == [f"w{2 * 86400}"]
        assert not app.screen.has_class("-loading")


async def test_an_error_with_brackets_is_not_markup() -> None:
    async def failing(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
        raise RuntimeError("server said [/bold] and [red]no[/red]")
        yield  # pragma: no cover

    app = ScreenHost(CallsBrowserScreen(failing, now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        assert _status(app) == "server said [/bold] and [red]no[/red]"
        (note,) = app._notifications
        assert note.message == "server said [/bold] and [red]no[/red]" and note.markup is False


def test_typed_numbers_are_reduced_to_digits() -> None:
    from fuse_tui.core.phone import normalize_number

    assert normalize_number("(800) 995-7586") == "8009957586"
    assert normalize_number("  ") is None


async def test_clicking_a_header_sorts_and_keeps_the_cursor_on_the_call() -> None:
    calls = [
        CallSummary(session_id="a", src="300", start=CALLS_NOW - 30, end=CALLS_NOW - 20),
        CallSummary(session_id="b", src="100", start=CALLS_NOW - 20, end=CALLS_NOW - 18),
        CallSummary(session_id="c", src=None, start=CALLS_NOW - 10, end=CALLS_NOW),
    ]
    app = ScreenHost(CallsBrowserScreen(_fixed_calls(*calls), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        assert _row_keys(app) == ["c", "b", "a"]  # newest first
        await pilot.press("down")  # on "b"
        screen = app.screen
        assert isinstance(screen, CallsBrowserScreen)
        table = screen.query_one("#calls-table", DataTable)
        table.post_message(
            DataTable.HeaderSelected(table, table.ordered_columns[2].key, 2, Text("From"))
        )
        await pilot.pause()
        assert _row_keys(app) == ["b", "a", "c"]  # by caller, unknown last
        assert screen.highlighted_session() == "b"
        table.post_message(
            DataTable.HeaderSelected(table, table.ordered_columns[2].key, 2, Text("From"))
        )
        await pilot.pause()
        assert _row_keys(app) == ["a", "b", "c"]  # flipped, unknown still last
        table.post_message(
            DataTable.HeaderSelected(table, table.ordered_columns[1].key, 1, Text("Duration"))
        )
        await pilot.pause()
        assert _row_keys(app) == ["a", "c", "b"]  # longest first


async def test_sorting_by_start_orders_by_the_moment_whatever_the_unit() -> None:
    # Raw values would sort b (seconds) < a (milliseconds) < c (microseconds).
    calls = [
        CallSummary(session_id="a", start=(CALLS_NOW - 30) * 1000, end=(CALLS_NOW - 20) * 1000),
        CallSummary(session_id="b", start=CALLS_NOW - 20, end=CALLS_NOW - 18),
        CallSummary(session_id="c", start=(CALLS_NOW - 10) * 10**6, end=CALLS_NOW * 10**6),
    ]
    app = ScreenHost(CallsBrowserScreen(_fixed_calls(*calls), now=lambda: CALLS_NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_calls_loaded(pilot)
        table = app.screen.query_one("#calls-table", DataTable)
        for _ in range(2):  # both directions
            table.post_message(
                DataTable.HeaderSelected(table, table.ordered_columns[0].key, 0, Text("Start"))
            )
            await pilot.pause()
            assert _row_keys(app) in (["a", "b", "c"], ["c", "b", "a"])
