"""Enter on an archive search hit opens the call filtered by that search, on its first match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, TabbedContent

from fuse_tui.core.query import Query
from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.screens.archive import ArchiveScreen
from fuse_tui.ui.widgets.log_view import LogView
from tests.ui.conftest import DEMO_EMAIL, MakeApp, settle


def _live(emulator: EmulatorServer) -> str:
    return next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)


async def _fetched(pilot: Any, app: FuseApp, session_id: str) -> LogView:
    app.main.request_fetch([session_id])
    await settle(pilot, app)
    view = app.main.active_view
    assert view is not None
    return view


def _a_word_past_the_start(view: LogView) -> str:
    """A word of a line after the first entry that the first entry's line does not have, so
    that "the first match" is not simply the top row."""
    first = set((view.call_log.entries[0].event.line or "").lower().split())
    for entry in list(view.call_log.entries)[1:]:
        for word in (entry.event.line or "").split():
            if word.isalpha() and len(word) > 4 and word.lower() not in first:
                return word
    raise AssertionError("no usable word in the sample call")


async def _search_and_open(pilot: Any, app: FuseApp, query: str) -> None:
    app.set_focus(None)
    await pilot.press("a")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ArchiveScreen)
    await pilot.pause(0.3)
    await settle(pilot, app)
    search = screen.query_one("#archive-search", Input)
    search.focus()
    search.value = query
    await pilot.press("enter")  # runs the search, back to the table
    await pilot.pause(0.3)
    await settle(pilot, app)
    assert screen.rows is not None and screen.rows.hits, f"no archived call matches {query!r}"
    screen.query_one("#archive-table").focus()
    await pilot.press("enter")
    await settle(pilot, app)


def _first_match_row(view: LogView, query: str) -> int:
    parsed = Query.parse(query)
    return next(row for row in range(len(view.rows)) if parsed.matches(view.rows.entry(row)))


async def test_a_hit_opens_filtered_by_the_search_with_the_cursor_on_its_first_match(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live = _live(emulator)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        word = _a_word_past_the_start(await _fetched(pilot, app, live))
        await pilot.press("ctrl+w")  # closed: the archive opens it afresh
        await pilot.pause()
        await _search_and_open(pilot, app, word)
        view = app.main.active_view
        assert view is not None and view.source_kind == "archive"
        assert view.query_one("#filter-input", Input).value == word
        assert not view.rows.highlight.is_empty
        assert view.rows.is_filtered  # only the matches (the filter hides)
        entry = view.current_entry
        assert entry is not None and Query.parse(word).matches(entry)
        assert view.event_list.cursor == _first_match_row(view, word)
        assert view.event_list.has_focus
        # Still the ordinary filter: cleared, every event is back.
        view.action_focus_filter()
        await pilot.press("ctrl+u", "escape")
        await settle(pilot, app)
        assert not view.rows.is_filtered


async def test_a_hit_on_a_call_already_open_is_shown_in_its_tab_with_the_query(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live = _live(emulator)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await _fetched(pilot, app, live)
        word = _a_word_past_the_start(view)
        await _search_and_open(pilot, app, word)
        assert app.main.query_one(TabbedContent).tab_count == 1  # no second tab
        assert app.main.active_view is view
        assert view.query_one("#filter-input", Input).value == word
        assert view.event_list.cursor == _first_match_row(view, word)


async def test_without_a_search_the_call_opens_as_before(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live = _live(emulator)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        await _fetched(pilot, app, live)
        await pilot.press("ctrl+w")
        await pilot.pause()
        app.set_focus(None)
        await pilot.press("a")
        await pilot.pause(0.3)
        await settle(pilot, app)
        app.screen.query_one("#archive-table").focus()
        await pilot.press("enter")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live
        assert view.query_one("#filter-input", Input).value == ""
        assert not view.rows.is_filtered
        assert view.event_list.cursor == 0
