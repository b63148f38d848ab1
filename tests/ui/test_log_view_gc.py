"""A big log, once indexed, is left out of the cyclic GC's passes, and given back when its
view goes (so a closed tab's cycles are still collected)."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, big_entries, opened, settle


async def test_an_indexed_big_log_is_frozen_until_its_view_goes(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_entries(300)), encoding="utf-8")
    gc.unfreeze()
    app = make_app([Source("file", str(path))])
    try:
        async with opened(app) as (pilot, view):
            await settle(pilot, app)
            assert view.rows.indexed == 300
            assert gc.get_freeze_count() > 0
            view.remove()
            await pilot.pause()
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
