"""Marks (x, u/U, X): on entries, through filters and reloads, kept per call in the archive,
copied or exported on their own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from textual.strip import Strip
from textual.widgets import Checkbox, Input

from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.marks import Marks
from fuse_tui.ui.screens.export import ExportScreen
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.event_list import MARK_GLYPH
from fuse_tui.ui.widgets.log_view import LogView
from tests.ui.conftest import (
    DEMO_EMAIL,
    FakePyperclip,
    MakeApp,
    last_message,
    opened,
    row_texts,
    settle,
)

# ----- Marks, the pure part ---------------------------------------------------------------


def test_toggle_marks_and_unmarks() -> None:
    marks = Marks()
    assert marks.toggle(5) is True
    assert marks.toggle(2) is True
    assert marks.indices() == [2, 5]
    assert marks.toggle(5) is False
    assert 5 not in marks and 2 in marks
    assert marks.clear() == 1
    assert len(marks) == 0


def test_next_row_walks_marks_that_are_shown_only() -> None:
    marks = Marks([1, 4, 8])
    visible = [0, 2, 4, 6, 8]  # entry 1 is filtered out
    assert marks.next_row(visible, 0, 1) == 2  # row of entry 4
    assert marks.next_row(visible, 2, 1) == 4  # row of entry 8
    assert marks.next_row(visible, 4, 1) is None  # none below: the caller wraps
    assert marks.next_row(visible, -1, 1) == 2  # from the top
    assert marks.next_row(visible, 4, -1) == 2
    assert marks.next_row(visible, 2, -1) is None  # entry 1 above is hidden
    assert marks.next_row(visible, len(visible), -1) == 4  # from the bottom


def test_keep_below_drops_marks_past_the_end() -> None:
    marks = Marks([0, 3, 9, 12])
    marks.keep_below(10)
    assert marks.indices() == [0, 3, 9]


# ----- keys on the list -------------------------------------------------------------------


def _header(app: FuseApp) -> str:
    return str(app.main.query_one(CallHeader).render())


async def test_x_marks_the_cursor_s_event_with_a_glyph_and_the_header_counts(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        await pilot.press("j", "j", "x")
        await pilot.pause()
        assert view.marks == [2]
        rows = row_texts(app)
        assert rows[2].startswith(MARK_GLYPH)
        assert not rows[1].startswith(MARK_GLYPH)
        assert "1 marked" in _header(app)
        await pilot.press("x")  # again: unmarked
        await pilot.pause()
        assert view.marks == []
        assert not row_texts(app)[2].startswith(MARK_GLYPH)
        assert "marked" not in _header(app)


async def test_u_and_shift_u_go_between_marks_and_wrap_with_a_notice(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        cursor = view.event_list
        for row in (1, 4, 7):
            cursor.cursor = row
            await pilot.press("x")
        cursor.cursor = 0
        await pilot.press("u")
        assert cursor.cursor == 1
        await pilot.press("u")
        assert cursor.cursor == 4
        await pilot.press("u", "u")
        assert cursor.cursor == 1
        assert "Marks wrapped to the top" in last_message(app)
        await pilot.press("U")
        assert cursor.cursor == 7
        assert "Marks wrapped to the bottom" in last_message(app)


async def test_u_without_marks_says_how_to_make_one(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        await pilot.press("u")
        assert "x marks" in last_message(app)
        assert view.event_list.cursor == 0


async def test_shift_x_clears_the_call_s_marks_and_says_how_many(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        await pilot.press("x", "j", "x", "j", "x")
        assert len(view.marks) == 3
        await pilot.press("X")
        await pilot.pause()
        assert view.marks == []
        assert "Cleared 3 marks" in last_message(app)
        assert not any(row.startswith(MARK_GLYPH) for row in row_texts(app))
        await pilot.press("X")
        assert "No marks to clear" in last_message(app)


async def test_marks_survive_a_filter(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        view.event_list.cursor = 4  # "Lookup failed…"
        await pilot.press("x")
        assert view.apply_query("agent")  # hides entry 4
        await settle(pilot, app)
        assert 4 not in view.rows.visible
        await pilot.press("u")
        assert "filtered out" in last_message(app)
        assert view.apply_query("")
        await settle(pilot, app)
        assert view.marks == [4]
        assert row_texts(app)[4].startswith(MARK_GLYPH)


async def test_a_file_without_session_id_says_once_that_marks_are_not_kept(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, _view):
        await pilot.press("x", "j", "x", "j", "x")
        await settle(pilot, app)
        said = [n.message for n in app._notifications if "kept until you close it" in n.message]
        assert said == ["Marks on this file are kept until you close it: it has no session ID"]


async def test_reloading_a_file_keeps_its_marks(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "call.json"
    shutil.copy(sample_file, path)
    app = make_app([Source("file", str(path))])
    async with opened(app) as (pilot, view):
        view.event_list.cursor = 3
        await pilot.press("x")
        await pilot.press("r")
        await settle(pilot, app)
        reloaded = app.main.active_view
        assert reloaded is not None and reloaded is not view
        assert reloaded.marks == [3]


# ----- kept in the archive ---------------------------------------------------------------


def _live(emulator: EmulatorServer) -> str:
    return next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)


async def test_marks_are_kept_in_the_archive_and_come_back_when_the_call_opens_again(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    live = _live(emulator)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.request_fetch([live])
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        view.event_list.cursor = 2
        await pilot.press("x")
        view.event_list.cursor = 1
        await pilot.press("x")
        await settle(pilot, app)
        assert app.service.marks(live) == [1, 2]
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert app.main.active_view is None
        app.main.open_archived(live)  # closed and opened again: from the archive
        await settle(pilot, app)
        again = app.main.active_view
        assert again is not None and again is not view
        assert again.marks == [1, 2]
        assert "2 marked" in _header(app)
        # A change is saved too: the last one wins.
        await pilot.press("X")
        await settle(pilot, app)
        assert app.service.marks(live) == []


async def test_with_archiving_off_a_mark_says_once_that_it_is_not_kept(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    app = make_app([Source("session", _live(emulator))], server=emulator)  # no archive
    async with opened(app) as (pilot, view):
        assert view.call_log.session_id
        await pilot.press("x", "j", "x")
        await settle(pilot, app)
        said = [n.message for n in app._notifications if "archiving is off" in n.message]
        assert len(said) == 1
        assert view.marks == [0, 1]  # they still work for this run


# ----- copy and export of the marked events ------------------------------------------------


async def test_copy_marked_events_copies_a_dump_of_just_those(
    make_app: MakeApp, sample_file: Path
) -> None:
    clipboard = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clipboard)
    async with opened(app) as (pilot, view):
        for row in (4, 7):
            view.event_list.cursor = row
            await pilot.press("x")
        total = len(view.call_log.entries)
        app.action_copy_marked()
        await settle(pilot, app)
        copied = json.loads(clipboard.copied[-1])
        lines = [item["event"]["line"] for item in copied]
        assert lines == [
            "Lookup failed: HTTP 500 from billing backend",
            "Second failure: agent queue closed",
        ]
        assert len(view.call_log.entries) == total  # the log itself is untouched


async def test_copy_marked_events_without_marks_says_so(
    make_app: MakeApp, sample_file: Path
) -> None:
    clipboard = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clipboard)
    async with opened(app) as (pilot, _view):
        app.action_copy_marked()
        await settle(pilot, app)
        assert clipboard.copied == []
        assert "No marked event" in last_message(app)


async def _export_dialog(pilot, app: FuseApp, path: Path) -> ExportScreen:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one("#export-path", Input).value = str(path)
    await pilot.pause()
    return screen


async def test_export_offers_only_the_marked_events_and_writes_just_those(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        for row in (1, 4):
            view.event_list.cursor = row
            await pilot.press("x")
        out = tmp_path / "marked.json"
        screen = await _export_dialog(pilot, app, out)
        box = screen.query_one("#export-marked", Checkbox)
        assert "Only the 2 marked events" in str(box.label)
        box.value = True
        await pilot.pause()
        assert "of the 2 marked events" in str(screen.query_one("#export-message").render())
        screen.action_export()
        await settle(pilot, app)
        written = json.loads(out.read_text(encoding="utf-8"))
        assert [item["event"]["line"] for item in written] == [
            "Welcome to Acme billing.",
            "Lookup failed: HTTP 500 from billing backend",
        ]
        assert "Exported 2 events" in last_message(app)


async def test_export_of_marked_events_can_be_redacted_too(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        view.event_list.cursor = 2  # "User input: 4155550188 (dtmf)"
        await pilot.press("x")
        out = tmp_path / "marked.json"
        screen = await _export_dialog(pilot, app, out)
        screen.query_one("#export-marked", Checkbox).value = True
        screen.query_one("#export-redact", Checkbox).value = True
        await pilot.pause()
        screen.action_export()
        await settle(pilot, app)
        written = json.loads(out.read_text(encoding="utf-8"))
        assert len(written) == 1
        assert "4155550188" not in json.dumps(written)


async def test_export_without_marks_has_no_marked_option(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, _view):
        screen = await _export_dialog(pilot, app, tmp_path / "all.json")
        assert not screen.query("#export-marked")


async def test_export_and_copy_refuse_while_the_log_is_still_read(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    clipboard = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clipboard)
    async with opened(app) as (pilot, view):
        view.reading = True  # as while a big file's later pieces are still coming
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert last_message(app) == "Still reading: 10 entries so far — export when it is read"
        await pilot.press("C")
        await settle(pilot, app)
        assert clipboard.copied == []
        assert "Still reading: 10 entries so far" in last_message(app)


async def test_a_log_with_a_session_id_loads_its_marks_when_opened(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.sqlite"
    app = make_app(archive_path=archive)
    async with app.run_test(size=(120, 30)) as pilot:
        assert app.service.save_marks("300060;001;42", [1, 3, 99]) is None
        items = json.loads(sample_file.read_text(encoding="utf-8"))
        entries = [LogEntry.model_validate(item) for item in items]
        log = CallLog(session_id="300060;001;42", entries=entries, source=str(sample_file))
        view: LogView = await app.main.open_log(log, "file", "call.json")
        await settle(pilot, app)
        assert view.marks == [1, 3]  # 99 is past this copy's end


@pytest.mark.parametrize(
    "theme", ["textual-light", "textual-dark", "ansi-dark", "ansi-light", "solarized-light"]
)
async def test_the_mark_glyph_is_readable_in_light_dark_and_ansi_themes(
    make_app: MakeApp, sample_file: Path, theme: str
) -> None:
    from tests.ui.test_theme_contrast import unreadable

    app = make_app([Source("file", str(sample_file))])
    async with opened(app) as (pilot, view):
        for row in (0, 4, 6):  # a plain row, an error row, an unknown class
            view.event_list.cursor = row
            await pilot.press("x")
        app.theme = theme
        problems: list[str] = []
        for cursor in (0, 4, 9):  # the cursor on a marked plain row, a marked error row, neither
            view.event_list.cursor = cursor
            await pilot.pause()
            strips = [view.event_list.render_line(y) for y in (0, 4, 6)]
            assert all(strip.text.startswith(MARK_GLYPH) for strip in strips)
            glyphs = [Strip([next(iter(strip))]) for strip in strips]  # the gutter cell
            problems += unreadable(glyphs, theme, f"{theme}, cursor {cursor}")
        assert not problems, "\n".join(problems)


async def test_help_lists_the_mark_keys_and_a_keymap_moves_them(
    make_app: MakeApp, sample_file: Path
) -> None:
    from fuse_tui.ui.screens.help import bindings_help

    app = make_app([Source("file", str(sample_file))], keymap={"log.mark": "w"})
    async with opened(app) as (pilot, view):
        keys = {
            description: key
            for _group, rows in bindings_help(app)  # type: ignore[arg-type]
            for key, description in rows
        }
        assert keys["Mark or unmark the event"] == "w"
        assert keys["Next mark"] == "u"
        assert keys["Prev mark"] == "U"
        assert keys["Clear the call's marks"] == "X"
        await pilot.press("w")
        assert view.marks == [0]
        await pilot.press("x")  # no longer marks
        assert view.marks == [0]
