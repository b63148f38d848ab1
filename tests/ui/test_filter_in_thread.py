"""Filters of a big (or still loading) log run in a thread; the newest request wins (issue 10).

FILTER_IN_THREAD_FROM is lowered so a small log takes the big log's path; one search is held
back through the real GrowingRows.filtered so the order of the results is the test's.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.query import Query
from fuse_tui.ui.growing_rows import Filtered, GrowingRows
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.widgets.call_header import CallHeader
from tests.ui.conftest import MakeApp, big_entries, opened, settle
from tests.ui.progressive_helpers import install_slow_reader, until


@pytest.fixture
def in_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fuse_tui.ui.widgets.log_view.FILTER_IN_THREAD_FROM", 0)


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big_entries(500)), encoding="utf-8")
    return path


class HeldSearch:
    """Holds back the search for one query text until released (the rest run freely)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        real = GrowingRows.filtered

        def filtered(rows: GrowingRows, query: Query | None = None, *args: Any) -> Filtered:
            if query is not None and query.text == text:
                self.started.set()
                self.release.wait(10)
            return real(rows, query, *args)

        monkeypatch.setattr(GrowingRows, "filtered", filtered)


def _lines(view: Any) -> list[str]:
    return [entry.event.line for entry in view.visible_entries()]


async def test_a_newer_query_wins_and_the_older_result_never_shows(
    make_app: MakeApp, big_file: Path, in_thread: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldSearch(monkeypatch, "line 1")
    app = make_app([Source("file", str(big_file))])
    async with opened(app) as (pilot, view):
        assert view.apply_query("line 1")
        await until(pilot, held.started.is_set, "the first search runs")
        # The old rows stay while it searches, and the header says so.
        assert len(view.rows) == 500
        assert "searching…" in str(view.query_one(CallHeader).render())
        assert view.apply_query("fail")
        await until(pilot, lambda: len(view.rows) == 6, "the second query's rows")
        assert not view.searching
        held.release.set()  # the first search ends now, after the second showed
        for worker in list(app.workers):
            if worker.group == "filter":
                await worker.wait()
        await settle(pilot, app)
        assert _lines(view) == [f"line {i} fail" for i in range(0, 500, 97)]
        assert view.rows.query.text == "fail" and view.rows.highlight.text == "fail"
        assert "searching…" not in str(view.query_one(CallHeader).render())


async def test_keys_answer_while_a_search_runs(
    make_app: MakeApp, big_file: Path, in_thread: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldSearch(monkeypatch, "fail")
    app = make_app([Source("file", str(big_file))])
    async with opened(app) as (pilot, view):
        assert view.apply_query("fail")
        await until(pilot, held.started.is_set, "the first search runs")
        await pilot.press("G")
        assert view.event_list.cursor == 499  # the old rows, scrolled at once
        held.release.set()
        await until(pilot, lambda: len(view.rows) == 6, "the filter's rows")


async def test_class_toggles_in_quick_succession_all_count(
    make_app: MakeApp, big_file: Path, in_thread: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every toggle through the thread (an indexed log answers class toggles at once), the
    # first held back until the second was asked for.
    monkeypatch.setattr(GrowingRows, "answers_at_once", lambda *args: False)
    release = threading.Event()
    calls: list[object] = []
    real = GrowingRows.filtered

    def filtered(rows: GrowingRows, *args: Any) -> Filtered:
        calls.append(args)
        if len(calls) == 1:
            release.wait(10)
        return real(rows, *args)

    monkeypatch.setattr(GrowingRows, "filtered", filtered)
    app = make_app([Source("file", str(big_file))])
    async with opened(app) as (pilot, view):
        await pilot.press("1")
        await until(pilot, lambda: len(calls) == 1, "the first toggle's search")
        await pilot.press("5")  # starts from the first toggle, not yet shown
        await until(pilot, lambda: not view.searching, "the second toggle's rows")
        release.set()
        await settle(pilot, app)
        assert view.rows.hidden_classes == frozenset({"info", "error"})
        assert {e.kind for e in view.visible_entries()} == {"event", "debug", "prompt"}
        await pilot.press("1")
        await settle(pilot, app)
        assert view.rows.hidden_classes == frozenset({"error"})


async def test_a_too_slow_regex_in_a_thread_keeps_the_previous_filter(
    make_app: MakeApp, tmp_path: Path, in_thread: None
) -> None:
    from tests.ui.conftest import CALL_START, entry

    lines = ["Lookup failed", "a" * 60 + "!", "Exiting application"]
    path = tmp_path / "hostile.json"
    items = [entry(line, "info", CALL_START + i, "set", "v") for i, line in enumerate(lines)]
    path.write_text(json.dumps(items))
    app = make_app([Source("file", str(path))])
    async with opened(app) as (pilot, view):
        view.apply_query("fail")
        await settle(pilot, app)
        assert len(view.rows) == 1
        view.apply_query("re:(a|aa)+$")
        await settle(pilot, app)
        assert view.query_error and "takes too long" in view.query_error
        assert len(view.rows) == 1 and view.rows.highlight.text == "fail"
        assert not view.searching


async def test_a_filter_set_while_loading_covers_the_entries_read_later(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = install_slow_reader(monkeypatch, 350, pieces=3)
    app = make_app([Source("file", str(tmp_path / "big.json"))])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.main.active_view is not None, "a tab opens")
        view = app.main.active_view
        assert view is not None
        assert view.apply_query("fail")  # a loading log filters in a thread
        await until(pilot, lambda: not view.searching, "the filter's rows")
        assert _lines(view) == ["line 0 fail"]
        reader.step(4)
        await until(pilot, lambda: not view.reading, "the read ends")
        await until(pilot, lambda: not view.searching and not view.rows.stale, "refiltered")
        assert _lines(view) == [f"line {i} fail" for i in range(0, 350, 97)]
        header = str(view.query_one(CallHeader).render())
        assert "showing 4 of 350" in header


async def test_a_class_toggle_of_an_indexed_big_log_shows_at_once(
    make_app: MakeApp, big_file: Path, in_thread: None
) -> None:
    app = make_app([Source("file", str(big_file))])
    async with opened(app) as (pilot, view):
        assert view.rows.indexed == 500
        await pilot.press("5")
        assert not view.searching  # no thread, no "searching…": the rows changed already
        assert len(view.rows) == 500 - 100
