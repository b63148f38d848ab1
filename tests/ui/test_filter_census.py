"""On a big log, once the search index is built, the numbers of the data keys most entries hold
are read in a thread (a census), so the first comparison typed on one is as quick as the next
(issue 11: the first comparison on a key at 1M took ~0.4 s, over 1 s as typed in the TUI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.core import query_fields
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import CALL_START, MakeApp, entry, opened, settle

COUNT = 400


@pytest.fixture
def big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 0)
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.CENSUS_FROM", 0)
    monkeypatch.setattr(query_fields, "_slot", [None])  # no texts kept by an earlier test


@pytest.fixture
def revisions(tmp_path: Path) -> Path:
    path = tmp_path / "revisions.json"
    entries = [
        entry(f"line {i}", "info", CALL_START + i, "rest", "lookup", revision_id=i, name=f"n{i}")
        for i in range(COUNT)
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


async def test_the_census_answers_the_first_comparison_typed(
    make_app: MakeApp, revisions: Path, big: None
) -> None:
    app = make_app([Source("file", str(revisions))])
    async with opened(app) as (pilot, view):
        await settle(pilot, app)
        slot = query_fields._slot[0]
        assert slot is not None
        # Every entry holds both keys; only revision_id's values are numbers.
        assert list(slot.census) == ["revision_id"]
        assert slot.census["revision_id"].covered == COUNT
        assert not view.apply_query("revision_id>")  # refused: needs a number
        await settle(pilot, app)
        assert "revision_id" not in slot.values  # not read again: the census has its numbers
        assert view.apply_query("revision_id>390")
        await settle(pilot, app)
        assert [e.event.line for e in view.visible_entries()] == [
            f"line {i}" for i in range(391, COUNT)
        ]
        assert "revision_id" not in slot.values
        # A substring term on the key still reads its values (the census holds numbers only).
        assert view.apply_query("revision_id:39")
        await settle(pilot, app)
        assert [e.event.line for e in view.visible_entries()] == [
            f"line {i}" for i in range(COUNT) if "39" in str(i)
        ]


async def test_no_census_on_a_log_under_its_size(
    make_app: MakeApp, revisions: Path, big: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.CENSUS_FROM", COUNT + 1)
    app = make_app([Source("file", str(revisions))])
    async with opened(app) as (pilot, _view):
        await settle(pilot, app)
        slot = query_fields._slot[0]
        assert slot is not None and not slot.census
