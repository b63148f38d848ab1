"""A class toggle paints what a fresh paint would: rows kept from before (cached by entry), the
cursor's event in the detail pane, and an indicator that keeps its width."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.ui.rows import TimeMode
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.filter_bar import state_text
from fuse_tui.ui.widgets.log_view import LogView
from tests.ui.conftest import MakeApp, big_entries, opened, row_texts


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "toggle.json"
    path.write_text(json.dumps(big_entries(400)), encoding="utf-8")
    return path


def painted_rows(view: LogView) -> list[list[tuple[str, object]]]:
    """The rows as painted: each segment's text and style (a highlight is only a style)."""
    event_list = view.event_list
    return [
        [(segment.text, segment.style) for segment in event_list.render_line(y)]
        for y in range(min(event_list.size.height, len(view.rows)))
    ]


def fresh_rows(view: LogView) -> list[list[tuple[str, object]]]:
    """The rows as painted with nothing cached."""
    view.event_list._line_cache.clear()
    return painted_rows(view)


@pytest.mark.parametrize("mode", [TimeMode.CLOCK, TimeMode.OFFSET, TimeMode.DELTA])
async def test_rows_after_toggles_read_as_a_fresh_paint(
    make_app: MakeApp, log_file: Path, mode: TimeMode
) -> None:
    app = make_app([Source("file", str(log_file))])
    async with opened(app) as (pilot, view):
        view.event_list.time_mode = mode
        view.apply_query("fail")
        view.action_toggle_hide()  # mark mode: every row shown, matches highlighted
        await pilot.pause()
        for name in ("error", "debug", "error", "info", "debug", "info"):
            painted_rows(view)  # painted (and cached) before the toggle
            view.action_toggle_class(name)
            await pilot.pause()
            painted = painted_rows(view)
            assert painted == fresh_rows(view), name
        view.apply_query("line 1")  # another highlight: no strip of the old one stays
        await pilot.pause()
        assert painted_rows(view) == fresh_rows(view)
        assert row_texts(app)


async def test_the_detail_follows_the_cursor_off_a_hidden_event(
    make_app: MakeApp, log_file: Path
) -> None:
    app = make_app([Source("file", str(log_file))])
    async with opened(app) as (pilot, view):
        view.event_list.cursor = 4  # an error
        await pilot.pause()
        assert view.detail.entry is view.rows.entries[4]
        view.action_toggle_class("error")
        await pilot.pause()
        shown = view.event_list.current_entry
        assert shown is not None and shown.kind != "error"
        assert view.detail.entry is shown
        view.action_toggle_class("error")  # the cursor's event stays: so does the pane
        await pilot.pause()
        assert view.detail.entry is shown is view.event_list.current_entry


def test_hiding_one_class_keeps_the_indicator_as_wide() -> None:
    every = state_text(frozenset(), None, True).cell_length
    for name in ("info", "event", "debug", "prompt", "error"):
        state = state_text(frozenset({name}), None, True)
        assert state.cell_length == every, name
        assert state.plain.rstrip().endswith(name)
    wider = state_text(frozenset({"info", "error"}), "mod3", True)
    assert wider.plain == "hide · hidden: 1 info, 5 error · module=mod3 "
