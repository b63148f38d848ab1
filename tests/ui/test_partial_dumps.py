"""An all_logs dump with calls that cannot be read opens the readable ones and says, in one
warning, how many were left out and why; a dump of several calls opens on its first call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static, TabbedContent

from fuse_tui.emulator.encoding import to_xml
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, sample_entries, settle

BAD_ID = "300060;009;[red]1764190000"  # markup-looking: it must be shown as it is


def dump(tmp_path: Path, *, bad: int) -> Path:
    calls = [
        {"session_id": f"300060;00{n};1764190000", "detail": sample_entries()[: 3 + n]}
        for n in range(3)
    ]
    for _ in range(bad):
        calls.append({"session_id": BAD_ID, "detail": [{"event": "not an event", "class": 5}]})
    path = tmp_path / "all.json"
    path.write_text(json.dumps({"calls": calls}), encoding="utf-8")
    return path


async def test_readable_calls_open_and_one_warning_says_what_was_left_out(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(dump(tmp_path, bad=2)))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert [v.call_log.session_id for v in app.main.views()] == [
            f"300060;00{n};1764190000" for n in range(3)
        ]
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        text = warnings[0].message
        assert "2 calls could not be read" in text and "the other 3 opened" in text
        assert BAD_ID in text  # the first problem names its call, brackets and all
        assert warnings[0].markup is False
        assert app.main.last_error is None


async def test_a_dump_whose_calls_all_fail_says_why(make_app: MakeApp, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    bad = {"session_id": BAD_ID, "detail": [{"event": "not an event", "class": 5}]}
    path.write_text(json.dumps({"calls": [bad, bad]}), encoding="utf-8")
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert app.main.active_view is None
        message = app.main.last_error or ""
        assert BAD_ID in message and "no call in this file" not in message


async def test_a_dump_of_several_calls_opens_on_its_first(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(dump(tmp_path, bad=0)))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert app.main.query_one(TabbedContent).tab_count == 3
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == "300060;000;1764190000"


async def test_a_file_that_fails_among_several_keeps_a_tab_saying_why(
    make_app: MakeApp, tmp_path: Path, sample_file: Path
) -> None:
    missing = tmp_path / "gone [x].json"
    app = make_app([Source("file", str(missing)), Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.clear_notifications()  # the toast is gone …
        tabs = app.main.query_one(TabbedContent)
        assert tabs.tab_count == 2
        view = app.main.active_view
        assert view is not None and view.call_log.source == str(sample_file)
        # … the tab stays, its label and its text naming the file and why, brackets and all.
        failed = app.main.query_one(".failed-open", Static)
        assert "gone [x].json" in str(failed.render()) and "no such file" in str(failed.render())
        assert "gone [x].json" in str(tabs.get_tab(failed.parent.id or "").label)  # type: ignore[union-attr]
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert app.main.active_view is None  # on the failed file's tab


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_a_dump_cut_short_opens_its_whole_calls_and_says_it_was_cut(
    make_app: MakeApp, tmp_path: Path, fmt: str
) -> None:
    # Fuse deletes logs after 5 days: a download that stopped may be their only copy.
    path = dump(tmp_path, bad=0)
    data = path.read_bytes()
    if fmt == "xml":
        data = to_xml(json.loads(data))
        path = path.with_suffix(".xml")
    path.write_bytes(data[: data.index(b"300060;002;")])  # inside the third call
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        assert [v.call_log.session_id for v in app.main.views()] == [
            f"300060;00{n};1764190000" for n in range(2)
        ]
        (warning,) = [n for n in app._notifications if n.severity == "warning"]
        assert "ends too early" in warning.message and "the other 2 opened" in warning.message
        assert "stops inside the call after call 2" in warning.message
