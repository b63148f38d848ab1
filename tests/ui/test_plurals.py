"""Counts in the TUI's words: "1 event", never "1 events"."""

from __future__ import annotations

from pathlib import Path

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, last_message, settle


async def test_exporting_one_event_says_one_event(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    from fuse_tui.ui.payloads import shown_log

    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        view.apply_query("Welcome")
        log = shown_log(view.call_log, view.visible_entries())
        assert len(log.entries) == 1
        app._export(log, tmp_path / "one.json", "json")
        await settle(pilot, app)
        assert last_message(app).startswith("Exported 1 event as JSON to ")
