"""The Story view (i): the open call's steps; Enter puts the list's cursor on the chosen step's
first event, Esc closes it; reachable from the command palette; [ui] story_gap is its gap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.screens.story import StoryScreen, story_gap
from tests.ui.conftest import MakeApp, opened, settle

# The sample (conftest): start, prompt, digits, rest (2 entries), set, transfer (2), exit (2).


async def _open_story(pilot: Any) -> StoryScreen:
    await pilot.press("i")
    await settle(pilot, pilot.app)
    screen = pilot.app.screen
    assert isinstance(screen, StoryScreen)
    assert screen.story is not None
    return screen


async def test_i_opens_the_story_of_the_call(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, _view):
        screen = await _open_story(pilot)
        assert screen.story is not None
        assert screen.story.application == "billing ivr"
        steps = screen.query_one(OptionList)
        assert steps.option_count == len(screen.story.steps) == 7
        assert steps.has_focus


async def test_enter_goes_to_the_step_s_first_event(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        await _open_story(pilot)
        await pilot.press("down", "down", "down", "enter")  # step 4: rest (lookup), entries 3-4
        await pilot.pause()
        assert not isinstance(app.screen, StoryScreen)
        assert view.event_list.cursor == 3
        assert view.event_list.has_focus
        assert view.current_entry is not None
        assert view.current_entry.event.module_type == "rest"


async def test_a_step_hidden_by_the_filter_lands_on_the_next_shown_event(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        await pilot.press("4")  # hide prompts: step 2 (the welcome prompt) has no shown event
        await pilot.pause()
        await _open_story(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        entry = view.current_entry
        assert entry is not None and entry.event.module_type == "digits"
        assert any("hidden by the filter" in note.message for note in app._notifications)


async def test_a_step_shown_as_it_is_says_nothing_more(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, _view):
        await _open_story(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not any("hidden" in note.message for note in app._notifications)


async def test_a_story_step_when_the_filter_hides_everything_says_so(
    make_app: MakeApp, sample_file: Path
) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        view.apply_query("no-such-text-anywhere")
        await pilot.pause()
        while view.searching:
            await pilot.pause()
        assert len(view.rows) == 0
        await _open_story(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert any("hides every event" in note.message for note in app._notifications)


async def test_escape_closes_and_leaves_the_cursor(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, view):
        await pilot.press("j", "j")
        await _open_story(pilot)
        await pilot.press("down", "down", "down", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, StoryScreen)
        assert view.event_list.cursor == 2


async def test_without_a_log_i_says_why(make_app: MakeApp) -> None:
    app = make_app([])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.main.set_focus(None)
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(app.screen, StoryScreen)
        assert any("no call to tell" in str(n.message) for n in app._notifications)


async def test_the_palette_offers_the_story(make_app: MakeApp, sample_file: Path) -> None:
    app = make_app([Source("file", str(sample_file))])
    async with opened(app, size=(120, 40)) as (pilot, _view):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"call story")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, StoryScreen)


def test_story_gap_comes_from_the_ui_table() -> None:
    class Config:
        def __init__(self, value: object) -> None:
            self.ui_prefs = {"story_gap": value}

    class App:
        def __init__(self, value: object) -> None:
            self.config = Config(value)

    assert story_gap(App(12)) == 12
    assert [story_gap(App(v)) for v in (0, -3, "12", True, None, 2.5)] == [5] * 6
    assert story_gap(object()) == 5
