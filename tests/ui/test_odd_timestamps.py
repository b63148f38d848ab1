"""Odd timestamps never break the event list, the header, the detail pane or the archive screen:
ms/µs/ns read as times, the rest as raw numbers, and a clock going backwards shows as ``-0:10``."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from textual.widgets import Static

from fuse_tui.core.archive import Archive
from fuse_tui.core.model import LogEntry
from fuse_tui.ui.rows import EventRows, TimeMode
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.event_detail import DetailView, render_entry
from tests.archive.conftest import make_answer
from tests.archive.test_archive_screen import Host, settle, table
from tests.ui.conftest import MakeApp, entry, row_texts
from tests.ui.conftest import settle as settle_app

SECONDS = 1_529_552_692  # 2018-06-21 03:44:52 UTC


def _rows(*stamps: int | None) -> EventRows:
    return EventRows(
        [LogEntry.model_validate({"event": {"line": "x"}, "timestamp": s}) for s in stamps]
    )


def _column(rows: EventRows, mode: TimeMode) -> list[str]:
    return [rows.time_text(row, mode) for row in range(len(rows))]


def test_delta_mode_shows_a_clock_going_backwards() -> None:
    rows = _rows(10, 0, 5)
    assert _column(rows, TimeMode.DELTA) == ["+0:00", "-0:10", "+0:05"]
    assert _column(rows, TimeMode.OFFSET) == ["+0:10", "+0:00", "+0:05"]


def test_mixed_units_read_as_one_timeline() -> None:
    # Seconds, then the same call's later events in milliseconds and nanoseconds.
    rows = _rows(SECONDS, (SECONDS + 5) * 1000, (SECONDS + 65) * 10**9)
    assert _column(rows, TimeMode.CLOCK) == ["03:44:52", "03:44:57", "03:45:57"]
    assert _column(rows, TimeMode.OFFSET) == ["+0:00", "+0:05", "+1:05"]
    assert _column(rows, TimeMode.DELTA) == ["+0:00", "+0:05", "+1:00"]
    assert rows.time_width(TimeMode.OFFSET) == 8


def test_a_log_timed_in_milliseconds_reads_like_one_in_seconds() -> None:
    rows = _rows((SECONDS + 5) * 1000, SECONDS * 1000, (SECONDS + 70) * 1000)
    assert (rows.start, rows.end) == (SECONDS * 1000, (SECONDS + 70) * 1000)
    assert _column(rows, TimeMode.OFFSET) == ["+0:05", "+0:00", "+1:10"]
    assert _column(rows, TimeMode.DELTA) == ["+0:00", "-0:05", "+1:10"]


def test_values_that_are_no_time_show_as_their_number_in_every_mode() -> None:
    rows = _rows(SECONDS, 10**30, SECONDS + 3, 10**60)
    for mode in TimeMode:
        column = _column(rows, mode)
        assert column[1] == str(10**30)[:21] + "…"
        assert column[3] == "1" + "0" * 20 + "…"  # cut to the column's widest, 22 cells
    assert _column(rows, TimeMode.DELTA)[2] == "+0:03"  # the delta skips the raw number
    assert rows.time_width(TimeMode.CLOCK) == 22


def _plain(renderable: object) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_detail_pane_reads_ms_and_shows_the_raw_number() -> None:
    shown = render_entry(
        LogEntry.model_validate({"event": {"line": "x"}, "timestamp": (SECONDS + 7) * 1000}),
        DetailView.PRETTY,
        SECONDS,
    )
    text = _plain(shown)
    assert "2018-06-21 03:44:59 UTC" in text and "+0:07 from call start" in text
    shown = render_entry(
        LogEntry.model_validate({"event": {"line": "x"}, "timestamp": 10**30}),
        DetailView.PRETTY,
        SECONDS,
    )
    text = _plain(shown)
    assert str(10**30) in text and "from call start" not in text


async def test_main_view_header_and_list_with_odd_timestamps(
    make_app: MakeApp, tmp_path: Path
) -> None:
    entries = [
        entry('Executing application "odd" version "1"', "info", SECONDS * 1000, "start", "s"),
        entry("far", "info", 10**30, "m", "r"),
        entry("negative", "info", -5, "m", "r"),
        entry("Exiting application", "info", (SECONDS + 70) * 10**9, "exit", "e"),
    ]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(140, 30)) as pilot:
        await settle_app(pilot, app)
        view = app.main.active_view
        assert view is not None
        header = str(view.query_one(CallHeader).render())
        assert "1969-12-31 23:59:55 → 2018-06-21 03:46:02" in header, header
        rows = row_texts(app)
        assert rows[0].lstrip().startswith("03:44:52"), rows
        assert str(10**30)[:21] + "…" in rows[1]
        await pilot.press("t", "t")  # delta mode
        await pilot.pause()
        rows = row_texts(app)
        assert "-424875:44:57" in rows[2], rows  # back to 1969: a negative delta, not +0:00
        await pilot.press("down", "down")
        await pilot.pause()
    assert app.return_code in (None, 0)


async def test_archive_screen_lists_calls_with_odd_timestamps(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "archive.sqlite3") as archive:
        odd = [
            ("ms;1", SECONDS * 1000),
            ("ns;1", SECONDS * 10**9),
            ("e17;1", 10**17),
            ("neg;1", -5),
            ("huge;1", 10**30),
        ]
        for session_id, stamp in odd:
            answer = make_answer([("info", "x", {"module_type": "m"}, stamp)])
            archive.store(answer, session_id, {"start": stamp, "src": "1"})
        app = Host(archive)
        async with app.run_test(size=(140, 30)) as pilot:
            await settle(pilot)
            grid = table(app)
            starts = {
                str(grid.get_row_at(i)[-1]): str(grid.get_row_at(i)[0])
                for i in range(grid.row_count)
            }
            status = str(app.screen.query_one("#archive-status", Static).render())
        assert "5 archived calls" in status
        assert starts["ms;1"] == starts["ns;1"] == "21 Jun  2018"
        assert starts["e17;1"] == "03 Mar  1973"
        assert starts["neg;1"] == "31 Dec  1969"
        assert starts["huge;1"] == "—"  # beyond SQLite's integers: stored as unknown
