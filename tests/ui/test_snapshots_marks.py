"""Screenshots of marks: the list's gutter glyph and "N marked" in the header, and the export
dialog's "only the marked events" option. Update with --snapshot-update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from fuse_tui.ui.app import FuseApp
from tests.ui.conftest import settle
from tests.ui.test_snapshots_main import _app


def _marked(*then: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, FuseApp)
        await settle(pilot, app)
        await pilot.press("j", "x", "j", "j", "j", "x", "j", "j")  # rows 1 and 4, cursor on 6
        await pilot.pause(0.3)
        await settle(pilot, app)
        app.clear_notifications()  # "kept until you close it": said, not part of the picture
        if then:
            await pilot.press(*then)
            await settle(pilot, app)
        await pilot.pause(0.3)

    return run_before


def test_marked_rows_show_a_glyph_and_the_header_counts_them(
    snap_compare: Any, tmp_path: Path
) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_marked())


def test_export_dialog_offers_only_the_marked_events(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")  # the dialog offers a path in the working directory: the same for all
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), run_before=_marked("ctrl+s"))
