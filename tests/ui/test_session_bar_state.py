"""The session bar and the inline message always speak of the tab that is shown."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, Label, Static, TabbedContent

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, sample_entries, settle


def all_logs_dump(tmp_path: Path, count: int = 2) -> Path:
    calls = [
        {"session_id": f"300060;00{n};1764190000", "detail": sample_entries()[: 3 + n]}
        for n in range(count)
    ]
    path = tmp_path / "all.json"
    path.write_text(json.dumps({"calls": calls}), encoding="utf-8")
    return path


async def test_the_session_box_follows_the_tab_shown(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app([Source("file", str(all_logs_dump(tmp_path)))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        box = app.main.query_one("#session-input", Input)
        shown = app.main.active_view
        assert shown is not None and box.value == shown.call_log.session_id
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        other = app.main.active_view
        assert other is not None and other is not shown
        assert box.value == other.call_log.session_id


async def test_a_failed_open_is_not_shown_over_another_tab(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(all_logs_dump(tmp_path)))])
    not_a_log = tmp_path / "notlog.json"
    not_a_log.write_text('{"hello": 1}', encoding="utf-8")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.main.load_source(Source("file", str(not_a_log)))
        await settle(pilot, app)
        message = app.main.query_one("#message", Static)
        assert message.display and "notlog.json" in str(message.render())
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert not message.display


async def test_closing_the_last_tab_empties_the_session_bar(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(all_logs_dump(tmp_path, count=1)))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        box = app.main.query_one("#session-input", Input)
        assert box.value == "300060;000;1764190000"
        await pilot.press("ctrl+w")
        await settle(pilot, app)
        assert app.main.query_one(TabbedContent).tab_count == 0
        assert box.value == ""
        assert str(app.main.query_one("#source-label", Label).render()).strip() == ""


async def test_in_an_ansi_theme_the_message_is_coloured_text_not_a_block(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # An ANSI theme cannot blend "$error 20%": it came out a solid red block under plain text.
    app = make_app([])
    not_a_log = tmp_path / "notlog.json"
    not_a_log.write_text('{"hello": 1}', encoding="utf-8")
    async with app.run_test(size=(100, 20)) as pilot:
        app.theme = "ansi-dark"
        app.main.load_source(Source("file", str(not_a_log)))
        await settle(pilot, app)
        message = app.main.query_one("#message", Static)
        assert message.display
        assert message.styles.background.a == 0
        assert message.rich_style.bold


async def test_a_session_id_from_a_file_reaches_the_box_as_text_not_terminal_control(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """The box draws its value as it is: a session ID read from a dump is escaped first (an
    ESC [2J in it cleared the terminal)."""
    hostile = "S\x1b[2J\x9b31mX\u202eY\x07"
    path = tmp_path / "hostile.json"
    path.write_text(
        json.dumps({"calls": [{"session_id": hostile, "detail": sample_entries()[:3]}]}),
        encoding="utf-8",
    )
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        box = app.main.query_one("#session-input", Input)
        assert box.value.startswith("S") and "X" in box.value
        assert not any(char in box.value for char in "\x1b\x9b\u202e\x07")
