"""`r` reloads the tab shown: a file is read again in place, a call from Fuse is fetched again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import TabbedContent

from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import DEMO_EMAIL, MakeApp, last_message, settle


async def test_r_reads_a_file_again_in_its_own_tab(
    make_app: MakeApp, sample_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "call.json"
    shutil.copy(sample_file, path)
    app = make_app([Source("file", str(path))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.rows.entries) == 10
        entries = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(entries[:3]), encoding="utf-8")  # the file changed on disk
        await pilot.press("r")
        await settle(pilot, app)
        view = app.main.active_view
        assert view is not None and len(view.rows.entries) == 3
        assert app.main.query_one(TabbedContent).tab_count == 1  # in place, not a new tab


async def test_r_fetches_an_api_tab_again(make_app: MakeApp, emulator: EmulatorServer) -> None:
    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    seen: list[object] = []
    app = make_app([Source("session", live)], server=emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        emulator.on_request = seen.append
        await pilot.press("r")
        await settle(pilot, app)
        assert len(seen) == 1  # fetched again
        assert app.main.query_one(TabbedContent).tab_count == 1
        view = app.main.active_view
        assert view is not None and view.call_log.session_id == live


async def test_r_with_nothing_open_says_what_to_do(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.main.action_retry()
        await pilot.pause()
        assert "Nothing to reload" in last_message(app)
