"""A big dump's log held once and, once read, compressed (issue 10, memory): the tab keeps one
copy of the entries, and every view of them reads as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.core import entries as entries_module
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, big_entries, row_texts, settle
from tests.ui.progressive_helpers import until


async def test_a_read_log_is_held_once_compressed_and_shows_the_same(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(entries_module, "COMPRESS_FROM", 0)  # every log counts as big here
    path = tmp_path / "big.json"
    items = big_entries(3000)
    path.write_text(json.dumps(items, separators=(",", ":")), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.main.active_view is not None, "a tab opens")
        view = app.main.active_view
        assert view is not None
        await until(pilot, lambda: not view.reading, "the read ends")
        await settle(pilot, app)
        # The reader's store and the rows' are one: the tab's log is the rows' entries.
        assert view.call_log.entries is view.rows.entries
        inputs = view.rows.entries._inputs  # type: ignore[attr-defined]
        assert inputs and all(packed.view is None for packed in inputs)  # compressed
        await pilot.press("G")
        await pilot.pause()
        assert "line 2999 ok" in row_texts(app)[-1]
        assert view.current_entry is not None
        assert view.current_entry.event.line == "line 2999 ok"
        await pilot.press("slash", *"line 1745", "enter")
        await until(pilot, lambda: len(view.rows) == 1, "the filter finds the one line")
        assert [e.event.line for e in view.visible_entries()] == ["line 1745 ok"]
