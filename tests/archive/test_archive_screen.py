"""The Archive screen with Pilot: list, search, open, leave; hostile content stays text."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input, Static

from fuse_tui.core.archive import Archive
from fuse_tui.ui.screens.archive import ArchiveScreen
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
    assert app.result == SEED_ID


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
    assert app.result == SEED_ID


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
