"""A filter superseded by a newer one stops searching (its worker is cancelled), and the index
builder makes the lowered copy a first word search needs (issue 10/11)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core import query_fields
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import Query, SearchCancelled
from fuse_tui.ui.growing_rows import Filtered, GrowingRows
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, big_entries, opened, settle
from tests.ui.progressive_helpers import until

FILTERS: list[tuple[str, frozenset[str], str | None]] = [
    ("fail", frozenset(), None),
    ("!ok", frozenset({"error"}), None),
    ("line re:^line 1", frozenset(), "mod1"),
    ("class:info", frozenset({"debug"}), "mod2"),
]


def _rows(count: int) -> GrowingRows:
    return GrowingRows([LogEntry.model_validate(item) for item in big_entries(count)])


@pytest.mark.parametrize(("text", "hidden", "module"), FILTERS)
def test_a_cancellable_filter_shows_what_apply_shows(
    text: str, hidden: frozenset[str], module: str | None
) -> None:
    rows = _rows(300)
    query = Query.parse(text)
    plain = rows.filtered(query, hidden, module)
    asked = rows.filtered(query, hidden, module, cancelled=lambda: False)
    assert asked == plain
    rows.apply(query, hidden, module)
    assert asked.visible == rows.visible
    with pytest.raises(SearchCancelled):
        rows.filtered(query, hidden, module, cancelled=lambda: True)


def test_the_index_builder_makes_the_lowered_copy() -> None:
    rows = _rows(200)
    rows.build_index()
    slot = query_fields._slot[0]
    assert slot is not None and slot.covered(rows.search_texts()) == 200
    rows.extend([LogEntry.model_validate(item) for item in big_entries(230)[200:]])
    rows.build_index()  # the grown index: its copy grows too
    assert slot is query_fields._slot[0] and slot.covered(rows.search_texts()) == 230


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_entries(500)), encoding="utf-8")
    return path


async def test_a_superseded_filter_stops_searching(
    make_app: MakeApp, big_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 0)
    release, started = threading.Event(), threading.Event()
    outcomes: list[str] = []
    real = GrowingRows.filtered

    def filtered(rows: GrowingRows, query: Query | None = None, *args: Any) -> Filtered:
        if query is None or query.text != "line 1":
            return real(rows, query, *args)
        started.set()
        release.wait(10)  # a newer filter is asked for meanwhile
        try:
            result = real(rows, query, *args)
        except SearchCancelled:
            outcomes.append("stopped")
            raise
        outcomes.append("searched on")
        return result

    monkeypatch.setattr(GrowingRows, "filtered", filtered)
    app = make_app([Source("file", str(big_file))])
    async with opened(app) as (pilot, view):
        assert view.apply_query("line 1")
        await until(pilot, started.is_set, "the first search runs")
        assert view.apply_query("fail")
        await until(pilot, lambda: len(view.rows) == 6, "the second query's rows")
        release.set()
        await until(pilot, lambda: bool(outcomes), "the first search ends")
        await settle(pilot, app)
        assert outcomes == ["stopped"]
        assert [entry.event.line for entry in view.visible_entries()] == [
            f"line {i} fail" for i in range(0, 500, 97)
        ]
        assert view.rows.query.text == "fail"
        assert not view.searching
