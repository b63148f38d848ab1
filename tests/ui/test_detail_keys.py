"""The detail pane: z maximises and restores it, Enter on an event goes into it, j/k scroll it."""

from __future__ import annotations

import json
from pathlib import Path

from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.event_detail import EventDetail
from fuse_tui.ui.widgets.event_list import EventList
from tests.ui.conftest import MakeApp, opened


def _big_data_file(tmp_path: Path) -> Path:
    body = {f"field_{n:03}": f"value {n}" for n in range(200)}
    entries = [
        {"event": {"line": "big answer", "data": {"response": body}}, "class": "info"},
        {"event": {"line": "next"}, "class": "info"},
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


async def test_z_maximises_the_detail_and_z_again_restores_the_split(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_big_data_file(tmp_path)))])
    async with opened(app, size=(80, 24)) as (pilot, view):
        before = view.detail.size.height
        await pilot.press("z")
        await pilot.pause()
        assert not view.event_list.display
        assert isinstance(app.focused, EventDetail)
        assert view.detail.size.height > 2 * before
        await pilot.press("z")
        await pilot.pause()
        assert view.event_list.display
        assert isinstance(app.focused, EventList)
        assert view.detail.size.height == before


async def test_enter_goes_into_the_detail_where_j_and_k_scroll_the_raw_views(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # In the pretty view j/k move the JSON tree's cursor (tests/ui/test_json_tree_keys.py);
    # in the raw JSON and XML views, text without a tree, they scroll.
    app = make_app([Source("file", str(_big_data_file(tmp_path)))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await pilot.press("enter", "v")
        await pilot.pause()
        assert isinstance(app.focused, EventDetail)
        assert view.detail.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert view.detail.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert view.detail.scroll_y == 2
        assert view.event_list.cursor == 0  # the list did not move
