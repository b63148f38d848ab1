"""The Archive screen with Pilot: list, search, open, leave; hostile content stays text."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Static

from fuse_tui.core.archive import Archive
from fuse_tui.ui.screens.archive import ArchiveChoice, ArchiveScreen
from tests.archive.conftest import SEED_ID, answer_from, make_answer

_UNSET = object()


class Host(App[None]):
    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.result: Any = _UNSET

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(ArchiveScreen(self.archive), callback=self._done)

    def _done(self, value: str | None) -> None:
        self.result = value


def fill(archive: Archive, seed_json: bytes) -> None:
    archive.store(answer_from(seed_json), SEED_ID, {"src": "2125551234", "start": 1529552691})
    archive.store(
        make_answer([("error", "REST lookup failed", {"module_type": "rest"}, 1_600_000_000)]),
        "newer;1",
        {"src": "[/x]\x1b[31m evil", "start": 1_600_000_000},
    )


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table(app: App[None]) -> DataTable[Text]:
    return app.screen.query_one("#archive-table", DataTable)


def session_column(app: App[None]) -> list[str]:
    grid = table(app)
    return [str(grid.get_row_at(i)[-1]) for i in range(grid.row_count)]


async def test_lists_newest_first_and_enter_opens(archive: Archive, seed_json: bytes) -> None:
    fill(archive, seed_json)
    app = Host(archive)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert session_column(app) == ["newer;1", SEED_ID]
        status = str(app.screen.query_one("#archive-status", Static).render())
        assert "2 archived calls" in status
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.result == ArchiveChoice(SEED_ID, "")  # no search: opens as it is


async def test_search_keeps_only_matching_calls(archive: Archive, seed_json: bytes) -> None:
    fill(archive, seed_json)
    app = Host(archive)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"plumgroup", "enter")
        await settle(pilot)
        assert session_column(app) == [SEED_ID]
        status = str(app.screen.query_one("#archive-status", Static).render())
        assert "1 of 2 archived calls match 'plumgroup'" in status
        # Enter moved the focus to the table: a second Enter opens the match.
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == ArchiveChoice(SEED_ID, "plumgroup")  # and the search that found it


async def test_typing_searches_after_a_pause(archive: Archive, seed_json: bytes) -> None:
    fill(archive, seed_json)
    app = Host(archive)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lookup")
        await pilot.pause(0.4)
        await settle(pilot)
        assert session_column(app) == ["newer;1"]
        await pilot.press("escape")  # clears the search first
        await pilot.pause(0.4)
        await settle(pilot)
        assert len(session_column(app)) == 2
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_hostile_content_is_shown_as_escaped_text(archive: Archive, seed_json: bytes) -> None:
    fill(archive, seed_json)
    app = Host(archive)
    async with app.run_test() as pilot:
        await settle(pilot)
        cell = table(app).get_row_at(0)[1]
        assert isinstance(cell, Text)
        assert cell.plain == "[/x]\\x1b[31m evil"


async def test_an_empty_archive_says_how_to_fill_it(archive: Archive) -> None:
    app = Host(archive)
    async with app.run_test() as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#archive-status", Static).render())
        assert "archive is empty" in status
        assert table(app).row_count == 0


async def test_leaving_while_a_query_runs_never_crashes(
    archive: Archive, seed_json: bytes, monkeypatch: Any
) -> None:
    """Escape, then the app closes the archive, while the thread worker is still in SQLite."""
    import threading

    fill(archive, seed_json)
    release = threading.Event()
    original = archive.count

    def slow_count() -> tuple[int, int]:
        release.wait(5)
        return original()

    monkeypatch.setattr(archive, "count", slow_count)

    class ClosingHost(Host):
        def _done(self, value: str | None) -> None:
            self.archive.close()  # what the app does on dismiss
            super()._done(value)

    app = ClosingHost(archive)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        release.set()  # the worker now finds a closed archive and a dismissed screen
        await settle(pilot)
        assert app.result is None
        assert app.return_code is None  # still running: no worker error ended the app


def test_a_closed_archive_is_not_called_damaged(archive: Archive) -> None:
    import pytest

    from fuse_tui.core.archive import ArchiveError

    archive.close()
    with pytest.raises(ArchiveError, match="closed while in use") as caught:
        archive.count()
    assert "damaged" not in str(caught.value)


def column_keys(app: App[None]) -> list[str]:
    return [str(column.key.value) for column in table(app).ordered_columns]


def fill_big(archive: Archive, events: int = 3006) -> None:
    lines = [("info", f"line {i}", {"module_type": "m"}, 1_600_000_000 + i) for i in range(events)]
    lines[5] = ("error", "boom", {"module_type": "rest"}, 1_600_000_005)
    archive.store(make_answer(lines), "300060;007;1795830621", {"src": "6175550142"})


async def test_at_80_columns_every_shown_column_fits_and_the_session_id_stays(
    archive: Archive, seed_json: bytes
) -> None:
    fill(archive, seed_json)
    fill_big(archive)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        grid = table(app)
        assert column_keys(app) == ["start", "src", "dest", "events", "errors", "session"]
        widths = [column.get_render_width(grid) for column in grid.ordered_columns]
        assert sum(widths) <= 80 - grid.styles.scrollbar_size_vertical
        assert "300060;007;1795830621" in session_column(app)
        # Nothing cut: each column is as wide as its widest cell.
        for index, column in enumerate(grid.ordered_columns):
            cells = [grid.get_row_at(i)[index] for i in range(grid.row_count)]
            assert column.content_width >= max(cell.cell_len for cell in cells)


async def test_a_wider_screen_shows_archived_and_a_search_shows_hits(
    archive: Archive, seed_json: bytes
) -> None:
    fill(archive, seed_json)
    app = Host(archive)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "fetched" not in column_keys(app)
        await pilot.resize_terminal(130, 30)
        await pilot.pause()
        await pilot.pause()
        assert column_keys(app)[-2:] == ["fetched", "session"]
        assert "hits" not in column_keys(app)  # an empty column until there is a search
        await pilot.press("slash", *"plumgroup", "enter")
        await settle(pilot)
        assert "hits" in column_keys(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "fetched" not in column_keys(app) and column_keys(app)[-1] == "session"
        grid = table(app)
        widths = [column.get_render_width(grid) for column in grid.ordered_columns]
        assert sum(widths) <= 80 - grid.styles.scrollbar_size_vertical


async def test_counts_read_as_in_the_main_view(archive: Archive) -> None:
    fill_big(archive)
    app = Host(archive)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        row = table(app).get_row_at(0)
        events = column_keys(app).index("events")
        assert row[events].plain == "3,006"
        status = str(app.screen.query_one("#archive-status", Static).render())
        assert status.startswith("1 archived call.")


def test_status_counts_have_thousands_separators() -> None:
    from fuse_tui.ui.screens.archive import ArchiveRows

    rows = ArchiveRows(calls=[], hits={f"s{i}": 1 for i in range(1200)}, total=3006, query="x")
    assert ArchiveScreen._status_text(rows).startswith("1,200 of 3,006 archived calls match 'x'")
    rows = ArchiveRows(calls=[], hits=None, total=3006, query="")
    assert ArchiveScreen._status_text(rows).startswith("3,006 archived calls")


def test_dates_are_short_with_the_year_only_when_old() -> None:
    import time

    from fuse_tui.ui.screens.archive import short_when

    now = time.mktime((2026, 11, 28, 12, 0, 0, 0, 0, -1))
    recent = time.mktime((2026, 11, 28, 2, 12, 0, 0, 0, -1))
    old = time.mktime((2025, 3, 1, 9, 30, 0, 0, 0, -1))
    assert short_when(recent, now) == "28 Nov 02:12"
    assert short_when(old, now) == "01 Mar  2025"
    assert len(short_when(recent, now)) == len(short_when(old, now)) == 12
    assert short_when(None, now) == "—"
