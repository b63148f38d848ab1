# ruff: noqa: RUF001, RUF003  (the tokens' own brackets, ‹ ›, are meant)
"""Redacted copy (R, and the palette) and the export dialog's Redact option."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, Static

from fuse_tui.core.keymap import KNOWN_BINDINGS
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.commands import COMMANDS
from fuse_tui.ui.config import UiConfig
from fuse_tui.ui.screens.export import ExportScreen
from fuse_tui.ui.screens.help import bindings_help
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import FakePyperclip, MakeApp, last_message, make_service, settle

ACCOUNT = "4155550188"  # the sample call's caller input


async def _select(pilot: Any, app: FuseApp, index: int) -> None:
    for _ in range(index):
        await pilot.press("down")
    await settle(pilot, app)
    view = app.main.active_view
    assert view is not None and view.current_entry is not None
    # By position: a compact log builds a new entry object on each access (no identity).
    assert view.event_list.current_entry_index == index


async def test_r_copies_the_event_redacted_with_the_whole_logs_tokens(
    make_app: MakeApp, sample_file: Path
) -> None:
    clip = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clip)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await _select(pilot, app, 3)  # the REST entry that sends the account on
        await pilot.press("R")
        await settle(pilot, app)
        rest = json.loads(clip.copied[-1])
        assert rest["event"]["line"] == "REST GET /accounts/‹digits-1›"
        assert rest["event"]["data"]["status"] == 500 and rest["timestamp"]
        assert "redacted event" in last_message(app)
        await pilot.press("up")
        await pilot.press("R")
        await settle(pilot, app)
        # A separate copy, the same token: numbered over the whole log, not the copy.
        assert json.loads(clip.copied[-1])["event"]["line"] == "User input: ‹digits-1› (dtmf)"
        await pilot.press("c")  # the plain copy is unchanged
        assert ACCOUNT in clip.copied[-1]


async def test_the_palettes_copy_log_redacted_copies_the_shown_log(
    make_app: MakeApp, sample_file: Path
) -> None:
    clip = FakePyperclip()
    app = make_app([Source("file", str(sample_file))], pyperclip=clip)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.action_copy_log_redacted()
        await settle(pilot, app)
        copied = clip.copied[-1]
        assert ACCOUNT not in copied
        entries = json.loads(copied)
        assert len(entries) == 10 and entries[2]["event"]["line"] == "User input: ‹digits-1› (dtmf)"


async def test_a_bad_redact_table_copies_nothing_and_says_why(
    sample_file: Path, tmp_path: Path
) -> None:
    clip = FakePyperclip()
    service = make_service(redact={"patterns": ["(unclosed"]})
    app = FuseApp(
        UiConfig(data_dir=tmp_path / "data"),
        [Source("file", str(sample_file))],
        service=service,
        pyperclip_module=clip,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("R")
        await settle(pilot, app)
        assert clip.copied == []  # never an unredacted copy instead
        message = last_message(app)
        assert "Nothing was copied or written" in message and "(unclosed" in message


async def test_redacted_copy_is_in_the_help_the_palette_and_the_keymap(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        rows = [row for _title, group in bindings_help(app) for row in group]
        assert any(key == "R" and "redacted" in text for key, text in rows), rows
    names = [action for action, _title, _help in COMMANDS]
    assert "copy_event_redacted" in names and "copy_log_redacted" in names
    assert KNOWN_BINDINGS["main.copy_event_redacted"] == "R"


async def _open_export(pilot: Any, app: FuseApp) -> ExportScreen:
    await pilot.press("ctrl+s")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def test_the_export_dialogs_redact_option_writes_a_redacted_file_and_is_remembered(
    make_app: MakeApp, sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    app = make_app([Source("file", str(sample_file))], persist=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        screen = await _open_export(pilot, app)
        box = screen.query_one("#export-redact", Checkbox)
        assert box.value is False
        box.value = True
        await pilot.pause()
        message = str(screen.query_one("#export-message", Static).render())
        assert "JSON redacted" in message
        screen.query_one("#export-format").focus()
        await pilot.press("enter")
        await settle(pilot, app)
        written = (out / "billing.json").read_text(encoding="utf-8")
        assert ACCOUNT not in written and "‹digits-1›" in written
        assert len(json.loads(written)) == 10
        assert "(redacted)" in last_message(app)
        screen = await _open_export(pilot, app)  # the same run offers it again
        assert screen.query_one("#export-redact", Checkbox).value is True
        screen.query_one("#export-redact", Checkbox).value = False
        await pilot.pause()
        screen.query_one("#export-format").focus()
        await pilot.press("right", "enter")  # XML, not redacted
        await settle(pilot, app)
        assert ACCOUNT in (out / "billing.xml").read_text(encoding="utf-8")
    saved = tomllib.loads(config.read_text(encoding="utf-8"))
    assert saved["ui"]["export_redact"] is False

    again = make_app([Source("file", str(sample_file))], ui_prefs={"export_redact": True})
    async with again.run_test(size=(120, 30)) as pilot:
        await settle(pilot, again)
        screen = await _open_export(pilot, again)
        assert screen.query_one("#export-redact", Checkbox).value is True


async def test_a_redacted_export_of_a_filtered_view_keeps_the_whole_logs_tokens(
    make_app: MakeApp, sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)  # not over the source file
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *"GET", "enter")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.visible_entries()) == 1
        screen = await _open_export(pilot, app)
        screen.query_one("#export-redact", Checkbox).value = True
        await pilot.pause()
        screen.query_one("#export-format").focus()
        await pilot.press("enter")
        await settle(pilot, app)
        written = json.loads((out / "billing.json").read_text(encoding="utf-8"))
        # The account was learned from the User input entry the filter hides.
        assert [e["event"]["line"] for e in written] == ["REST GET /accounts/‹digits-1›"]
