"""A dump read in pieces: the first rows show while the rest is read (issue 10).

The pieces come from a fake reader that keeps the read contract
(core.formats.progressive) and waits for the test between pieces, so "while the rest is read"
is a state the test holds, not a race; the widgets, workers and messages are the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from fuse_tui.core.model import LogEntry
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.log_view import LogView
from tests.ui.conftest import MakeApp, big_entries, row_texts, settle
from tests.ui.progressive_helpers import FIRST, install_slow_reader, until


def _header(view: LogView) -> str:
    return str(view.query_one(CallHeader).render())


async def _first_view(pilot: Pilot[Any], app: FuseApp) -> LogView:
    await until(pilot, lambda: app.main.active_view is not None, "a tab opens")
    view = app.main.active_view
    assert view is not None
    await pilot.pause()
    return view


async def test_first_rows_show_before_the_rest_is_read_and_the_count_ends_final(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        # Only the first piece is read: its rows are on screen, the header says more is coming.
        assert view.reading and len(view.rows) == FIRST
        assert row_texts(app)[0].split()[-3:] == ["line", "0", "fail"]
        assert "loading… 50 entries" in _header(view)

        reader.step()
        await until(pilot, lambda: len(view.rows) == 150, "the second piece shows")
        assert "loading… 150 entries" in _header(view)

        reader.step(3)
        await until(pilot, lambda: not view.reading, "the read ends")
        assert len(view.rows) == len(view.rows.entries) == 350
        header = _header(view)
        assert "loading" not in header and "350 events" in header
        await pilot.press("G")  # End shows the last row
        assert view.current_entry is not None
        assert view.current_entry.event.line == "line 349 ok"
        assert view.call_log.source.endswith("big.json")


async def test_keys_work_while_loading_and_the_cursor_stays_on_its_entry(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        await pilot.press("j", "j", "pagedown")
        row = view.event_list.cursor
        assert row > 2
        await pilot.press("G")
        assert view.event_list.cursor == FIRST - 1  # the last row read so far
        await pilot.press("k")
        before = view.current_entry
        reader.step()
        await until(pilot, lambda: len(view.rows) == 150, "more rows")
        assert view.current_entry is before  # new rows do not move the cursor
        reader.step(3)
        await until(pilot, lambda: not view.reading, "the read ends")


async def test_quitting_while_loading_stops_the_reader(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        await _first_view(pilot, app)
        await pilot.press("q")
        reader.step(5)  # the reader's thread wakes, sees the cancelled worker and stops
    assert not app.is_running
    assert reader.closed.wait(5)


async def test_closing_the_tab_while_loading_stops_the_reader(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        await _first_view(pilot, app)
        await pilot.press("ctrl+w")
        assert app.main.active_view is None
        reader.step(5)
        await until(pilot, reader.closed.is_set, "the reader is closed")
        assert not app.main.views()


async def test_a_read_error_after_some_pieces_keeps_the_rows_and_says_why(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3, fail_after=1)
    app = make_app([Source("file", str(tmp_path / "cut.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        reader.step()
        await until(pilot, lambda: len(view.rows) == 150, "the second piece shows")
        reader.step()
        await until(pilot, lambda: view.load_error is not None, "the failure is shown")
        assert not view.reading
        assert len(view.rows) == 150  # what was read stays
        header = _header(view)
        assert "could not read to the end (150 entries read)" in header
        assert "unexpected end of data" in header
        assert "loading" not in header
        message = app.main.last_error or ""
        assert "cut.json could not be read to the end" in message
        assert "unexpected end of data at byte 12345" in message
        assert "(150 entries read, shown)" in message


async def test_a_real_file_opens_progressively_with_the_same_rows(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """The real reader behind the contract: the tab ends with every entry, in order."""
    path = tmp_path / "real.json"
    path.write_text(json.dumps(big_entries(5000)), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and not view.reading
        assert len(view.rows) == 5000
        assert [e.event.line for e in view.rows.entries[:2]] == ["line 0 fail", "line 1 ok"]
        assert view.rows.entries[-1].event.line == "line 4999 ok"
        assert "5,000 events" in _header(view)
        assert len(app.main.views()) == 1


async def test_stdin_opens_progressively(make_app: MakeApp) -> None:
    data = json.dumps(big_entries(3000)).encode()
    app = make_app([Source("stdin", "stdin", data)])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and view.source_kind == "stdin"
        assert len(view.rows) == 3000 and not view.reading


async def test_a_class_first_read_later_gets_its_whole_badge(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    items = big_entries(100)
    for item in items[FIRST:]:
        item["class"] = "transfer"  # longer than every class of the first piece
    entries = [LogEntry.model_validate(item) for item in items]
    reader = install_slow_reader(monkeypatch, 100, pieces=1, entries=entries)
    app = make_app([Source("file", str(tmp_path / "late.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        reader.step(2)
        await until(pilot, lambda: not view.reading, "the read ends")
        await pilot.press("G")
        await pilot.pause()
        assert " transfer " in row_texts(app)[-1]


async def test_rows_painted_before_a_piece_follow_what_it_changes(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Painted rows are kept while rows are added below them, unless the piece changes what
    they draw: an earlier start moves every offset, a long class widens the badge column."""
    items = big_entries(100)
    items[-1]["timestamp"] = items[0]["timestamp"] - 3600  # the call started an hour earlier
    items[-2]["class"] = "transfer"
    entries = [LogEntry.model_validate(item) for item in items]
    reader = install_slow_reader(monkeypatch, 100, pieces=1, entries=entries)
    app = make_app([Source("file", str(tmp_path / "late.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        await pilot.press("t")  # offsets from the call's start
        await pilot.pause()
        before = row_texts(app)[1]
        assert "+0:01" in before
        reader.step(2)
        await until(pilot, lambda: not view.reading, "the read ends")
        await pilot.pause()
        after = row_texts(app)[1]
        assert "+1:00:01" in after
        assert after.index("event") != before.index("event")  # the badge column widened


async def test_a_file_whose_first_entries_hold_an_unreadable_number_is_refused_not_a_crash(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """An entry with a 5,000-digit number in the first piece used to be shown, and building
    its model for the column widths crashed the app: now the file is refused, in words."""
    entries = big_entries(300)
    entries[3]["event"]["data"]["n"] = 1  # replaced by the long number below
    path = tmp_path / "long.json"
    path.write_text(json.dumps(entries).replace('"n": 1', '"n": ' + "9" * 5000), "utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.main.last_error is not None, "the refusal is shown")
        assert "number too long to read" in (app.main.last_error or "")
        assert not app.main.views()


async def test_the_scrollbar_follows_the_rows_as_they_come(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Rows added below a full list move the scrollbar's thumb without a layout of the screen:
    the list's size, its scrollbar and how far it scrolls all count the new rows."""
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        view = await _first_view(pilot, app)
        event_list = view.event_list
        assert event_list.virtual_size.height == FIRST > event_list.size.height
        reader.step()
        await until(pilot, lambda: len(view.rows) == 150, "the second piece shows")
        await pilot.pause()
        assert event_list.virtual_size.height == 150
        assert event_list.vertical_scrollbar.window_virtual_size == 150
        assert event_list.max_scroll_y == 150 - event_list.size.height
        await pilot.press("G")
        await pilot.pause()
        assert event_list.scroll_y == event_list.max_scroll_y
        assert row_texts(app)[-1].split()[-3:] == ["line", "149", "ok"]
        reader.step(3)
        await until(pilot, lambda: not view.reading, "the read ends")
