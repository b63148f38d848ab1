"""The TUI filter and n/N see what the detail pane shows of an event's data."""

from __future__ import annotations

from pathlib import Path

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, last_message, opened


async def test_filtering_for_a_word_in_the_data_finds_its_event(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        # In the sample call, "status": 500 is only in the data of the REST lookup's debug line.
        await pilot.press("slash", *"status: 500", "enter")
        await pilot.pause()
        lines = [e.event.line for e in view.visible_entries()]
        assert lines == ["REST GET /accounts/4155550188"]
        assert view.apply_query("module_type: transfer")
        assert {e.event.module_type for e in view.visible_entries()} == {"transfer"}


async def test_n_and_shift_n_go_round_and_say_so(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        view.apply_query("agent")  # rows 6 and 7 of 10 in the sample call
        await pilot.press("f")  # mark mode
        await pilot.press("G", "n")
        assert view.event_list.cursor == 6
        assert "wrapped to the top" in last_message(app)
        await pilot.press("g", "N")
        assert view.event_list.cursor == 7
        assert "wrapped to the bottom" in last_message(app)
