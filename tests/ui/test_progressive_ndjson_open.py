"""An NDJSON file opened from its head (issue 10): the first rows show before the whole file is
read; when the whole file holds several calls after all, those rows make way for a tab per call.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.formats import LogsDocument, progressive
from fuse_tui.core.formats.progressive import Finished, FirstEntries, Piece
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, big_entries, settle
from tests.ui.progressive_helpers import until


def _ndjson(items: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(item) + "\n" for item in items).encode()


def _calls(first: int, second: int) -> list[dict[str, Any]]:
    items = big_entries(first + second)
    for number, item in enumerate(items):
        item["session_id"] = "300;1" if number < first else "300;2"
    return items


@pytest.fixture
def small_head(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progressive, "HEAD_BYTES", 2000)
    monkeypatch.setattr(progressive, "MOST_HEAD_BYTES", 32000)


@pytest.mark.usefixtures("small_head")
async def test_a_one_call_ndjson_file_opens_from_its_head_with_every_row(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "call.ndjson"
    path.write_bytes(_ndjson(_calls(3000, 0)))
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        (view,) = app.main.views()
        assert not view.reading and view.load_error is None
        assert len(view.rows) == 3000
        assert view.rows.entries[-1].event.line == "line 2999 ok"
        assert view.call_log.session_id == "300;1"


@pytest.mark.usefixtures("small_head")
async def test_several_calls_behind_a_one_call_head_open_as_a_tab_each(
    make_app: MakeApp, tmp_path: Path
) -> None:
    path = tmp_path / "calls.ndjson"
    path.write_bytes(_ndjson(_calls(2500, 40)))
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        views = app.main.views()
        assert [view.call_log.session_id for view in views] == ["300;1", "300;2"]
        assert [len(view.rows) for view in views] == [2500, 40]
        assert all(not view.reading and view.load_error is None for view in views)
        assert app.main.active_view is views[0]
        assert app.main.last_error is None  # no "not the same one call": nothing went wrong


class _HeldReader:
    """A provisional first piece, then (when the test says so) a document of two calls."""

    def __init__(self) -> None:
        self.go = threading.Event()
        items = _calls(60, 5)
        self.entries = [LogEntry.model_validate(item) for item in items]

    def __call__(self, source: Any, data: bytes | None = None, **_: Any) -> Iterator[Piece]:
        yield FirstEntries(self.entries[:20], "300;1", provisional=True)
        if not self.go.wait(10):
            raise TimeoutError("the test never let the reader go on")
        logs = [
            CallLog(session_id="300;1", entries=self.entries[:60], source=str(source)),
            CallLog(session_id="300;2", entries=self.entries[60:], source=str(source)),
        ]
        yield Finished(LogsDocument(logs=logs, kind="all_logs"))


async def test_the_first_rows_show_then_make_way_for_the_calls(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reader = _HeldReader()
    monkeypatch.setattr("fuse_tui.ui.screens.main.read_progressively", reader)
    app = make_app([Source("file", str(tmp_path / "calls.ndjson"))])
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: app.main.active_view is not None, "the first rows show")
        first = app.main.active_view
        assert first is not None and first.reading and len(first.rows) == 20
        reader.go.set()
        await until(pilot, lambda: len(app.main.views()) == 2, "a tab per call")
        views = app.main.views()
        assert first not in views and not first.is_attached
        assert [len(view.rows) for view in views] == [60, 5]
        assert not any(view.reading for view in views)
