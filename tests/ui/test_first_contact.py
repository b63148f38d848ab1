"""What a developer meets on first contact: messages read as sentences, keys named work."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Input, Label, Static

from fuse_tui.core.model import LogEntry
from fuse_tui.emulator import EmulatorConfig, EmulatorServer
from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen
from fuse_tui.ui.screens.credentials import CredentialsScreen
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.event_detail import MAX_CHARS, DetailView, render_entry
from tests.ui.conftest import (
    CALL_START,
    DEMO_EMAIL,
    DEMO_KEY,
    EMULATOR_NOW,
    MakeApp,
    big_entries,
    entry,
    last_message,
    opened,
    sample_entries,
    settle,
)
from tests.ui.conftest_screens import wait_calls_loaded


async def test_a_broken_file_message_is_two_sentences(make_app: MakeApp, tmp_path: Path) -> None:
    # The reader's message has no full stop; the next step must not run into it.
    path = tmp_path / "cut.json"
    path.write_text('[{"event": {"line": "unterminated', encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        message = app.main.last_error or ""
        assert message.endswith(". Press o to open another file."), message
        assert ".. " not in message


async def test_long_lines_end_in_an_ellipsis_beside_the_scrollbar(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # Enough rows for a vertical scrollbar: the row must fit beside it, "…" included.
    entries = [
        entry(f"row {i} " + "x" * 200 + " END", "info", CALL_START + i, "set", "v")
        for i in range(200)
    ]
    path = tmp_path / "long.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with opened(app, size=(120, 30)) as (_pilot, view):
        event_list = view.event_list
        visible = event_list.scrollable_content_region.width
        assert visible < event_list.size.width  # the scrollbar takes a column
        painted = "".join(s.text for s in event_list.render_line(1))
        assert painted[:visible].rstrip().endswith("…"), painted


async def test_escape_cancels_a_fetch_and_r_retries_it(make_app: MakeApp) -> None:
    # A slow Fuse: Esc stops the fetch; the next keys are commands, not text in the input.
    config = EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=EMULATOR_NOW, latency_ms=1500)
    with EmulatorServer(config) as server:
        live = next(c.session_id for c in server.calls_for(DEMO_EMAIL) if c.log)
        app = make_app(server=server)
        async with app.run_test(size=(120, 30)) as pilot:
            session_input = app.main.query_one("#session-input", Input)
            session_input.value = live
            await pilot.press("enter")
            await pilot.pause(0.2)
            message = app.main.query_one("#message", Static)
            assert message.display, "a slow fetch says what is going on"
            assert f"Fetching {live}" in str(message.render())
            assert "Esc cancels" in str(message.render())
            await pilot.press("escape")
            await settle(pilot, app)
            assert app.main.active_view is None
            assert not message.display
            notes = [n.message for n in app._notifications]
            assert any("cancelled" in n and "r retries" in n for n in notes), notes
            await pilot.press("r")
            assert session_input.value == live  # r was a key, not text typed over the ID
            await settle(pilot, app, rounds=5)
            view = app.main.active_view
            assert view is not None and view.call_log.session_id == live


async def test_calls_browser_401_offers_k_and_reloads_with_the_new_key(
    make_app: MakeApp,
) -> None:
    # now=None: the emulator's calls are around the real clock the calls browser uses.
    config = EmulatorConfig(accounts={DEMO_EMAIL: DEMO_KEY}, now=None)
    with EmulatorServer(config) as server:
        app = make_app(server=server, key="wrong-key")
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("escape", "b")
            await wait_calls_loaded(pilot)
            screen = app.screen
            assert isinstance(screen, CallsBrowserScreen)
            assert screen.error and "401" in screen.error
            assert screen.error.endswith("Press K to enter credentials."), screen.error
            await pilot.press("K")
            await pilot.pause()
            assert isinstance(app.screen, CredentialsScreen)
            key_input = app.screen.query_one("#cred-key", Input)
            key_input.value = DEMO_KEY
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is screen
            await wait_calls_loaded(pilot)
            assert screen.error is None
            assert screen.calls, "the calls of the last 24 h load with the right key"


async def test_a_call_across_midnight_shows_the_end_date(make_app: MakeApp, tmp_path: Path) -> None:
    midnight = 1_764_201_600  # 2025-11-27 00:00:00 UTC
    entries = [
        entry('Executing application "night" version "1"', "info", midnight - 30, "start", "s"),
        entry("Exiting application", "info", midnight + 40, "exit", "e"),
    ]
    path = tmp_path / "night.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with opened(app, size=(120, 30)) as (_pilot, view):
        header = str(view.query_one(CallHeader).render())
        assert "2025-11-26 23:59:30 → 2025-11-27 00:00:40 (1:10)" in header, header


def test_the_cut_note_says_how_much_of_a_long_value_is_shown() -> None:
    # One 2 MB value: cut inside its line, so "4 of 5 lines" alone would overstate it.
    big = LogEntry.model_validate(
        {"event": {"line": "big", "data": {"blob": "A" * 2_000_000}}, "class": "info"}
    )
    # The value's row ends with the note (a console wide enough not to wrap it).
    console = Console(width=100_000, color_system=None)
    lines = console.render_lines(render_entry(big, DetailView.PRETTY, None), pad=False)
    texts = ["".join(segment.text for segment in line) for line in lines]
    note = next(text.partition("cut:")[2] for text in texts if "cut:" in text)
    assert f"first {MAX_CHARS:,} of" in note and "characters" in note, note


async def test_files_open_as_tabs_in_command_line_order(make_app: MakeApp, tmp_path: Path) -> None:
    # The first file takes longer to parse; its tab still comes first.
    slow = tmp_path / "slow.json"
    slow.write_text(json.dumps(big_entries(40_000)), encoding="utf-8")
    quick = tmp_path / "quick.json"
    quick.write_text(json.dumps(sample_entries()), encoding="utf-8")
    app = make_app([Source("file", str(slow)), Source("file", str(quick))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app, rounds=6)
        assert [v.source_detail for v in app.main.views()] == ["slow.json", "quick.json"]


async def test_back_from_the_calls_browser_keys_are_still_keys(
    make_app: MakeApp, emulator: EmulatorServer
) -> None:
    # No log open, Esc left the session input: after the browser, b must not type a "b".
    app = make_app(server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("escape", "b")
        await wait_calls_loaded(pilot)
        assert isinstance(app.screen, CallsBrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        session_input = app.main.query_one("#session-input", Input)
        assert not session_input.has_focus
        await pilot.press("b")
        await pilot.pause()
        assert session_input.value == ""
        assert isinstance(app.screen, CallsBrowserScreen)


async def test_filter_state_separates_the_module_filter(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("m")  # the first row's module: start
        state = str(app.main.query_one("#filter-state", Label).render())
        assert state.rstrip().endswith("1-6 classes: all · module=start"), state


async def test_calls_browser_network_error_names_the_reload_key(make_app: MakeApp) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_app(base_url=f"http://127.0.0.1:{port}/api")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("escape", "b")
        await wait_calls_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, CallsBrowserScreen)
        assert screen.error and screen.error.endswith(". Press r to reload."), screen.error


async def test_wide_characters_keep_the_columns_aligned(make_app: MakeApp, tmp_path: Path) -> None:
    # Double-width module names and an emoji class take two cells per character on screen.
    entries = [
        entry("plain row", "info", CALL_START, "set", "v"),
        entry("wide module", "info", CALL_START, "モジュール", "v"),
        entry("emoji class", "😀😀", CALL_START, "set", "v"),
        entry("wide result", "info", CALL_START, "set", "変数名前変数名前"),
    ]
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with opened(app, size=(160, 20)) as (_pilot, view):
        starts = []
        for y, text in enumerate(("plain row", "wide module", "emoji class", "wide result")):
            painted = "".join(s.text for s in view.event_list.render_line(y))
            starts.append(cell_len(painted[: painted.index(text)]))
        assert len(set(starts)) == 1, starts


async def test_next_error_says_why_there_is_none(make_app: MakeApp, tmp_path: Path) -> None:
    calm = tmp_path / "calm.json"
    calm.write_text(json.dumps([entry("ok", "info", CALL_START, "set", "v")]), encoding="utf-8")
    app = make_app([Source("file", str(calm))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("e")
        assert last_message(app) == "No error in this call log"


async def test_next_error_with_errors_hidden_names_the_key(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("5", "e")
        assert last_message(app) == "Errors are hidden: press 5 to show them"


async def test_palette_export_without_a_log_says_what_to_do(make_app: MakeApp) -> None:
    # The footer hides Export until a log is open; the palette still lists it, so it must
    # answer instead of silently doing nothing.
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert last_message(app) == "Nothing to export: open a call log first"


async def test_the_cursor_stays_in_view_when_the_terminal_shrinks(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_entries(500)), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        event_list = view.event_list
        await pilot.press("G")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)  # narrow: the list also loses rows to the detail
        await pilot.pause()
        await pilot.pause()
        top = event_list.scroll_offset.y
        assert top <= event_list.cursor < top + event_list.scrollable_content_region.height
