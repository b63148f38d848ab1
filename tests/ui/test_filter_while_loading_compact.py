"""A filter set while a real file is read (compact entries, in pieces) covers every entry
once the read ends: the same rows as the filter over the whole log's models."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import progressive
from fuse_tui.core.formats.progressive import FirstEntries, Piece
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query
from fuse_tui.ui.rows import EventRows
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, big_entries, settle
from tests.ui.progressive_helpers import until


@pytest.mark.parametrize(("text", "hidden"), [("fail", set()), ("re:mod[13]", {"info"})])
async def test_a_filter_set_while_a_file_loads_covers_it_all(
    make_app: MakeApp,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    text: str,
    hidden: set[str],
) -> None:
    items = big_entries(3000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    go_on = threading.Event()
    real = progressive.read_progressively
    monkeypatch.setattr(progressive, "MORE_ENTRIES", 400)

    def held(source: Any, data: bytes | None = None, **_: Any) -> Iterator[Piece]:
        for piece in real(source, data, first=100):
            yield piece
            if isinstance(piece, FirstEntries):
                go_on.wait(10)  # the test sets its filter on the first rows, then the rest

    monkeypatch.setattr("fuse_tui.ui.screens.main.read_progressively", held)
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 0)
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.main.active_view is not None, "a tab opens")
        view = app.main.active_view
        assert view is not None and view.reading
        assert isinstance(view.rows.entries, CompactEntries)
        for name in hidden:
            view.action_toggle_class(name)
        assert view.apply_query(text)
        go_on.set()
        await until(pilot, lambda: not view.reading, "the read ends")
        await until(pilot, lambda: not view.searching and not view.rows.stale, "refiltered")
        await settle(pilot, app)
        whole = EventRows([LogEntry.model_validate(item) for item in items])
        whole.apply(Query.parse(text), hidden)
        assert len(view.rows.entries) == 3000
        assert view.rows.visible == whole.visible and whole.visible
