"""The main screen opens the other screens and acts on what they return."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen
from fuse_tui.ui.screens.help import HelpScreen
from fuse_tui.ui.screens.main import MainScreen, Source
from tests.ui.conftest import DEMO_EMAIL, DEMO_KEY, MakeApp, opened, settle


async def test_help_lists_the_main_keys(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {desc for _title, rows in app.screen.groups for _keys, desc in rows}
        assert {"Next error", "Filter", "Time mode", "Copy event", "Export"} <= described
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_open_file_screen_opens_the_chosen_dump(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape", "o")  # leave the session input, then open
        await pilot.pause()
        from fuse_tui.ui.screens.open_file import OpenFileScreen

        assert isinstance(app.screen, OpenFileScreen)
        app.screen.query_one("#open-path", Input).value = str(sample_file)
        app.screen.query_one("#open-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.rows) == 10
        assert view.source_kind == "file"


async def test_calls_browser_enter_fetches_the_call(make_app: MakeApp) -> None:
    # The browser's window follows the real clock, so the emulator does too here.
    server = EmulatorServer(EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}))
    server.start()
    try:
        app = make_app(server=server, open_browser=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            assert isinstance(app.screen, CallsBrowserScreen)
            await pilot.pause(0.3)
            await settle(pilot, app)
            app.screen.query_one("#calls-table").focus()
            await pilot.press("enter")
            await settle(pilot, app)
            assert isinstance(app.screen, MainScreen)
            view = app.main.active_view
            assert view is not None and view.source_kind == "API"
            assert view.call_log.session_id in {c.session_id for c in server.calls_for(DEMO_EMAIL)}
    finally:
        server.stop()


async def test_theme_choice_is_applied_from_the_config(make_app: MakeApp) -> None:
    app = make_app(theme="gruvbox")
    async with app.run_test(size=(80, 24)):
        assert app.theme == "gruvbox"


async def test_keymap_from_the_config_remaps_a_binding(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))], keymap={"log.next_error": "w"})
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("w")
        assert view.event_list.cursor == 4
        await pilot.press("e")  # the old key no longer jumps
        assert view.event_list.cursor == 4


async def test_archive_screen_opens_an_archived_call(
    make_app: MakeApp, emulator: EmulatorServer, tmp_path: Path
) -> None:
    from fuse_tui.ui.screens.archive import ArchiveScreen

    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    app = make_app(server=emulator, archive_path=tmp_path / "archive.sqlite")
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.request_fetch([live])
        await settle(pilot, app)
        await pilot.press("ctrl+w")  # close the fetched tab: the archive is the only copy shown
        await pilot.pause()
        assert app.main.active_view is None
        app.set_focus(None)
        await pilot.press("a")
        await settle(pilot, app)
        assert isinstance(app.screen, ArchiveScreen)
        await pilot.pause(0.3)
        await settle(pilot, app)
        app.screen.query_one("#archive-table").focus()
        await pilot.press("enter")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and view.source_kind == "archive"
        assert view.call_log.session_id == live
