"""Screenshot of the Story view (i) over the committed sample call. Update with
``--snapshot-update`` after a deliberate visual change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.test_snapshots_main import _app, _settled, truecolor_terminal

__all__ = ["truecolor_terminal"]  # the fixture, imported so pytest finds it here


def test_story_view_120x40(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_settled("i", "down"))
