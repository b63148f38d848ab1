"""The main screen with the credentials and export dialogs and the command palette."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input

from fuse_tui.core.formats import load_file
from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.screens.credentials import CredentialsScreen
from fuse_tui.ui.screens.export import ExportScreen
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import DEMO_EMAIL, DEMO_KEY, MakeApp, last_message, opened, settle


async def _fill_credentials(pilot, app, email: str, key: str, save: bool) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, CredentialsScreen)
    screen.query_one("#cred-email", Input).value = email
    screen.query_one("#cred-key", Input).value = key
    screen.query_one("#cred-save", Checkbox).value = save
    screen.query_one("#cred-key", Input).focus()
    await pilot.press("enter")
    await settle(pilot, app)


async def test_fetch_without_credentials_asks_then_fetches(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    app = make_app(server=emulator, email=None, key=None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.query_one("#session-input", Input).value = live
        await pilot.press("enter")
        await pilot.pause()
        await _fill_credentials(pilot, app, DEMO_EMAIL, DEMO_KEY, save=False)
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live


async def test_401_then_K_fixes_the_key_saves_it_and_retries(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("FUSE_TUI_CONFIG", str(config))
    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    app = make_app(server=emulator, key="wrong-key", persist=True)
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.query_one("#session-input", Input).value = live
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Press K" in (app.main.last_error or "")
        await pilot.press("K")  # the failed fetch left the input, so K works at once
        await pilot.pause()
        await _fill_credentials(pilot, app, DEMO_EMAIL, DEMO_KEY, save=True)
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live
        assert not app.main.query_one("#message").display
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert DEMO_KEY in config.read_text(encoding="utf-8")


async def test_ctrl_s_exports_the_filtered_log_through_the_dialog(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    target = tmp_path / "errors.xml"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("5")  # hide errors: 8 of 10 shown
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.click("#export-xml")
        path_input = screen.query_one("#export-path", Input)
        path_input.value = str(target)
        path_input.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert target.exists()
        document = load_file(target)
        assert len(document.logs[0].entries) == 8  # type: ignore[union-attr]
        assert str(target) in last_message(app)


async def test_palette_commands_run_app_actions(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        before = view.event_list.time_mode
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"toggle time")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot, app)
        assert view.event_list.time_mode is not before
