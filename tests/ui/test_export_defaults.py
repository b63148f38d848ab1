"""Export defaults: a name from the source (file stem, session ID) and the last format used."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, RadioButton, Static

from fuse_tui.ui.screens.export import ExportRequest, ExportScreen, export_stem
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, last_message, settle
from tests.ui.conftest_screens import ScreenHost


def test_export_stem_prefers_the_file_then_the_session_id() -> None:
    assert export_stem("300060;001;17", "/logs/billing bug.json") == "billing bug"
    assert export_stem("300060;001;17", None) == "300060%3B001%3B17"
    assert export_stem(None, None) == "fuse-log"
    assert export_stem(None, "/logs/.json") == "fuse-log"  # a hidden name is no name
    assert export_stem(None, "/logs/odd\x1b[31m.json") == "odd\\x1b[31m"  # never raw control


async def _open_export(pilot: object, app: object) -> ExportScreen:
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ExportScreen)
    return screen


async def test_a_file_tab_exports_under_the_file_name(
    make_app: MakeApp, sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path / "..")
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        screen = await _open_export(pilot, app)
        value = screen.query_one("#export-path", Input).value
        assert Path(value).name == "billing.json"  # was fuse-log.json


async def test_the_last_format_is_offered_next_and_saved_when_persisting(
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
        await pilot.press("left")  # JSON → CSV (the row wraps round)
        assert screen.format == "csv"
        await pilot.press("enter")
        await settle(pilot, app)
        assert (out / "billing.csv").exists()
        assert "Exported" in last_message(app)
        screen = await _open_export(pilot, app)  # same run: CSV again
        assert screen.format == "csv"
        assert Path(screen.query_one("#export-path", Input).value).name == "billing.csv"
    saved = tomllib.loads(config.read_text(encoding="utf-8"))
    assert saved["ui"]["export_format"] == "csv"

    # The next run reads it from the config's [ui] table (launch puts it in ui_prefs).
    again = make_app([Source("file", str(sample_file))], ui_prefs=dict(saved["ui"]))
    async with again.run_test(size=(120, 30)) as pilot:
        await settle(pilot, again)
        screen = await _open_export(pilot, again)
        assert screen.format == "csv"
        assert screen.query_one("#export-csv", RadioButton).value


async def test_without_persist_the_format_is_kept_for_the_run_only(
    make_app: MakeApp, sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    monkeypatch.chdir(tmp_path)
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await _open_export(pilot, app)
        await pilot.press("right", "enter")  # XML
        await settle(pilot, app)
        screen = await _open_export(pilot, app)
        assert screen.format == "xml"
    assert not config.exists()


async def test_a_remembered_format_that_is_not_offered_falls_back_to_json(tmp_path: Path) -> None:
    app = ScreenHost(ExportScreen(tmp_path, "abc", 1, initial_format="parquet"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == f"{tmp_path}/abc.json"


async def test_writing_over_the_source_file_names_it(tmp_path: Path) -> None:
    source = tmp_path / "billing.json"
    source.write_text("[]")
    app = ScreenHost(ExportScreen(tmp_path, None, 3, source_file=str(source)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        message = str(app.screen.query_one("#export-message", Static).render())
        assert "is the file this log was read from" in message and not app.dismissed
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == ExportRequest(source, "json")
