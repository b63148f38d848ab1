"""Screenshots of the detail pane's JSON tree (pytest-textual-snapshot; --snapshot-update).

Deterministic as the main view's: committed sample calls, UTC, no cursor blink (conftest).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fuse_tui.ui.screens.main import Source
from tests.ui.test_snapshots_main import _app, _settled

NESTED = Path(__file__).parent / "data" / "nested_data_call.json"


def test_filter_match_highlighted_in_the_line_and_the_data(
    snap_compare: Any, tmp_path: Path
) -> None:
    # "503" is in the error's line and in its data's status; the filter keeps that entry.
    keys = ("slash", "5", "0", "3", "enter")
    app = _app(tmp_path, [Source("file", str(NESTED))])
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled(*keys))


def test_folded_json_tree_with_its_cursor_at_80x24(snap_compare: Any, tmp_path: Path) -> None:
    # Into the error's detail; fold "response" under the cursor. "items" (60) and "fields"
    # (120) start folded; the narrow layout puts the pane below the list.
    keys = ("j", "enter", *"jjjjjj", "space")
    app = _app(tmp_path, [Source("file", str(NESTED))])
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled(*keys))


def test_detail_pane_maximised_with_a_folded_tree(snap_compare: Any, tmp_path: Path) -> None:
    keys = ("j", "z", *"jjjjjj", "space")
    app = _app(tmp_path, [Source("file", str(NESTED))])
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settled(*keys))
