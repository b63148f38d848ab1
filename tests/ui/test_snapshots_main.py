"""Screenshots of the main view (pytest-textual-snapshot). Update with --snapshot-update.

Deterministic: a committed sample call, UTC (conftest), no cursor blink (conftest), no network
except the in-process emulator with a fixed clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Input

from fuse_tui.core.client import DEFAULT_BASE_URL
from fuse_tui.core.service import FuseService
from fuse_tui.core.settings import Settings
from fuse_tui.emulator import EmulatorServer
from fuse_tui.ui.app import FuseApp
from fuse_tui.ui.config import UiConfig
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import DEMO_EMAIL, FakePyperclip, settle

SAMPLE = Path(__file__).parent / "data" / "sample_call.json"


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same colours whatever runs the tests: TERM=xterm alone means 16 colours to Rich,
    and the list then paints its badges in the VGA colours (EventList.few_colours)."""
    monkeypatch.setenv("COLORTERM", "truecolor")


def _app(
    tmp_path: Path,
    sources: list[Source] | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    email: str | None = None,
    developer_key: SecretStr | None = None,
    **config: Any,
) -> FuseApp:
    ui = UiConfig(data_dir=tmp_path / "data", **config)
    settings = Settings(
        base_url=base_url,
        email=email,
        developer_key=developer_key,
        retries=0,
        archive_enabled=False,
    )
    return FuseApp(
        ui,
        sources if sources is not None else [Source("file", str(SAMPLE))],
        service=FuseService(settings),
        pyperclip_module=FakePyperclip(),
        osc52_writer=lambda _sequence: None,
    )


def _settled(*keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, FuseApp)
        await settle(pilot, app)
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.3)  # the detail pane catches up once the keys stop
        await settle(pilot, app)

    return run_before


def test_main_view_with_an_event_selected(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_settled("j", "j", "j"))


def test_error_event_detail(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_settled("e"))


def test_active_filter(snap_compare: Any, tmp_path: Path) -> None:
    keys = ("slash", "a", "g", "e", "n", "t")
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_settled(*keys))


def test_small_terminal_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_settled("j"))


def test_error_state_wrong_key(snap_compare: Any, tmp_path: Path, emulator: EmulatorServer) -> None:
    live = next(c.session_id for c in emulator.calls_for(DEMO_EMAIL) if c.log)
    app = _app(
        tmp_path,
        sources=[],
        base_url=emulator.base_url,
        email=DEMO_EMAIL,
        developer_key=SecretStr("wrong-key"),
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        app.main.query_one("#session-input", Input).value = live
        await pilot.press("enter")
        await settle(pilot, app)
        # Notifications time out at their own pace; the inline message is what is compared.
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 24), run_before=run_before)


def test_light_theme_marks_errors_and_cursor(snap_compare: Any, tmp_path: Path) -> None:
    # Every class, the cursor on an error row, matches marked ("f": mark mode), textual-light.
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, FuseApp)
        app.theme = "textual-light"
        await _settled("slash", "a", "enter", "f", "e")(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=run_before)


def test_invalid_filter_keeps_the_indicator(snap_compare: Any, tmp_path: Path) -> None:
    keys = ("slash", "r", "e", "colon", "left_parenthesis")
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_settled(*keys))


def test_xml_detail_wraps_under_its_indent(snap_compare: Any, tmp_path: Path) -> None:
    keys = ("j", "j", "j", "j", "v", "v")  # the error entry: its <line> is wider than the pane
    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=_settled(*keys))
