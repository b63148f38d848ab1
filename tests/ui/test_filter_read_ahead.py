"""An unfinished field filter (``revision_id>``) reads that key's values in the filter's thread
on a big log, so the comparison typed next only compares (issue 11: the first comparison on a
key at 1M took ~0.4 s to read its values)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.core import query_fields
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import CALL_START, MakeApp, entry, opened, settle

COUNT = 400


@pytest.fixture
def in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 0)
    monkeypatch.setattr(query_fields, "_slot", [None])  # no texts kept by an earlier test


@pytest.fixture
def revisions(tmp_path: Path) -> Path:
    path = tmp_path / "revisions.json"
    entries = [
        entry(f"line {i}", "info", CALL_START + i, "rest", "lookup", revision_id=i)
        for i in range(COUNT)
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


async def _filters_done(app: object, pilot: object) -> None:
    for worker in list(app.workers):  # type: ignore[attr-defined]
        if worker.group == "filter":
            await worker.wait()
    await settle(pilot, app)  # type: ignore[arg-type]


def _kept(key: str) -> query_fields.KeyValues | None:
    slot = query_fields._slot[0]
    return None if slot is None else slot.values.get(key)


async def test_an_unfinished_comparison_reads_its_key_ahead(
    make_app: MakeApp, revisions: Path, in_thread: None
) -> None:
    app = make_app([Source("file", str(revisions))])
    async with opened(app) as (pilot, view):
        await _filters_done(app, pilot)
        assert _kept("revision_id") is None
        assert not view.apply_query("revision_id>")  # needs a number: refused, read ahead
        assert view.query_error is not None
        await _filters_done(app, pilot)
        kept = _kept("revision_id")
        assert kept is not None and kept.covered == COUNT
        assert len(kept.values) == COUNT
        # The comparison typed next answers from what was read, and right.
        assert view.apply_query("revision_id>390")
        await _filters_done(app, pilot)
        assert [e.event.line for e in view.visible_entries()] == [
            f"line {i}" for i in range(391, COUNT)
        ]


async def test_a_refused_filter_naming_no_field_reads_nothing(
    make_app: MakeApp, revisions: Path, in_thread: None
) -> None:
    app = make_app([Source("file", str(revisions))])
    async with opened(app) as (pilot, view):
        await _filters_done(app, pilot)
        assert not view.apply_query('"unclosed')
        assert not any(worker.group == "filter" for worker in app.workers)
        assert _kept("revision_id") is None
