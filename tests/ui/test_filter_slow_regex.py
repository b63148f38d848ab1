"""A regex that backtracks catastrophically on a hostile line is refused, not a frozen TUI."""

from __future__ import annotations

import json
import time
from pathlib import Path

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import CALL_START, MakeApp, entry, settle

SLOW = "re:(a|aa)+$"


def _hostile_log(tmp_path: Path) -> Path:
    lines = ["Lookup failed", "a" * 60 + "!", "Exiting application"]
    path = tmp_path / "hostile.json"
    entries = [entry(line, "info", CALL_START + i, "set", "v") for i, line in enumerate(lines)]
    path.write_text(json.dumps(entries))
    return path


async def test_a_too_slow_regex_is_reported_and_the_previous_filter_kept(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(_hostile_log(tmp_path)))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        assert view.apply_query("fail")
        assert len(view.rows) == 1
        started = time.monotonic()
        assert not view.apply_query(SLOW)
        assert time.monotonic() - started < 5  # stdlib re would run for days on this line
        assert view.query_error and "takes too long" in view.query_error
        assert len(view.rows) == 1 and view.rows.highlight.text == "fail"
        # The app still answers keys.
        await pilot.press("G")
        assert view.event_list.cursor == 0
