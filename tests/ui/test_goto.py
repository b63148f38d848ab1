"""@ goes to a time of the call's day or an offset from the cursor."""

from __future__ import annotations

from pathlib import Path

from fuse_tui.ui.screens.goto import GotoScreen
from fuse_tui.ui.screens.main import Source
from tests.ui.conftest import MakeApp, opened


async def _goto(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("at")
    await pilot.pause()
    await pilot.press(*text, "enter")
    await pilot.pause()


async def test_at_goes_to_a_time_and_to_offsets_from_the_cursor(
    make_app: MakeApp, sample_file: Path
) -> None:
    # The sample: 20:46:40 41 49 50 51 52 53, 20:47:55, 20:48:00 01 (UTC, the tests' zone).
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await _goto(pilot, "20:47")
        assert view.event_list.cursor == 7  # 20:47:55, the first at or after 20:47
        await _goto(pilot, "-1:05")
        assert view.event_list.cursor == 3  # 20:46:50
        await _goto(pilot, "+5s")
        assert view.event_list.cursor == 7  # 20:46:55 -> the next event, 20:47:55
        await _goto(pilot, "+1h")
        assert view.event_list.cursor == 9  # past the end: the last event


async def test_what_is_no_target_is_said_in_the_dialog(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 30)) as (pilot, view):
        await _goto(pilot, "soon")
        assert isinstance(app.screen, GotoScreen)
        error = str(app.screen.query_one(".dialog-error").render())
        assert "20:46:50" in error  # the examples
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GotoScreen)
        assert view.event_list.cursor == 0
