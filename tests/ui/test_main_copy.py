"""Copy keys of the main view (pyperclip faked, OSC 52 recorded) and the export writer."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from fuse_tui.core.formats import load_file
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import FakePyperclip, MakeApp, last_message, settle


def _osc52_text(sequence: str) -> str:
    payload = sequence.split(";", 2)[2].rstrip("\x07").split("\x1b\\")[0].rstrip("\x07")
    return base64.b64decode(payload).decode("utf-8")


async def test_copy_event_line_log_and_session(make_app: MakeApp, sample_file: Path) -> None:
    clip = FakePyperclip(available=True)
    osc: list[str] = []
    app = make_app([Source("file", str(sample_file))], pyperclip=clip, osc52=osc)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "c")
        copied = json.loads(clip.copied[-1])
        assert copied["event"]["line"] == "Welcome to Acme billing."
        assert copied["class"] == "prompt"
        assert _osc52_text(osc[-1]) == clip.copied[-1]
        assert "system clipboard" in last_message(app)

        await pilot.press("y")
        assert clip.copied[-1] == "Welcome to Acme billing."

        await pilot.press("5", "C")  # the copied log is the filtered one: errors hidden
        await settle(pilot, app)  # the log's JSON is built in a thread
        log = json.loads(clip.copied[-1])
        assert len(log) == 8 and all(e["class"] != "error" for e in log)

        await pilot.press("s")  # a file without a session id: nothing to copy, said so
        assert "Nothing to copy" in last_message(app)


async def test_copy_without_a_system_clipboard_says_osc52(
    make_app: MakeApp, sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TMUX", raising=False)  # the plain-terminal wording, even run inside tmux
    clip = FakePyperclip(available=False)
    osc: list[str] = []
    app = make_app([Source("file", str(sample_file))], pyperclip=clip, osc52=osc)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("y")
        assert clip.copied == []
        assert _osc52_text(osc[-1]).startswith("Executing application")
        message = last_message(app)
        assert "no system clipboard" in message and "by OSC 52" in message


async def test_export_writes_the_filtered_log(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None
        view.apply_query("fail")
        from fuse_tui.ui.payloads import shown_log

        for fmt in ("json", "xml", "ndjson", "csv"):
            target = tmp_path / f"out.{fmt}"
            app._export(shown_log(view.call_log, view.visible_entries()), target, fmt)
            await settle(pilot, app)
            assert target.exists() and target.stat().st_size > 0
        document = load_file(tmp_path / "out.xml")
        assert [e.event.line for e in document.logs[0].entries] == [  # type: ignore[union-attr]
            "Lookup failed: HTTP 500 from billing backend",
            "Second failure: agent queue closed",
        ]
        assert "Exported 2 events" in last_message(app)
