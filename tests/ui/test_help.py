"""Help screen: built from the real bindings (keymap included), grouped; ?/F1/Esc close."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from fuse_tui.ui.screens.help import HelpScreen, bindings_help
from tests.ui.conftest_screens import ScreenHost


class EventList(Widget, can_focus=True):
    BINDINGS = [
        Binding("j,down", "down", "Next event", id="list.down"),
        Binding("e", "next_error", "Next error", id="list.next_error"),
    ]


class Filter(Widget):
    HELP_TITLE = "Filter bar"
    BINDINGS = [Binding("n", "next_match", "Next match", show=False, id="filter.next")]


class Host(App[None]):
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("ctrl+s", "export", "Export", id="app.export"),
    ]

    def compose(self) -> ComposeResult:
        yield EventList()
        yield Filter()
        yield Static("x")

    def action_help(self) -> None:
        self.push_screen(HelpScreen(bindings_help(self)))


# Widgets defined in a test module are not fuse_tui widgets; make them count as ours.
EventList.__module__ = "fuse_tui.ui.widgets.test_event_list"
Filter.__module__ = "fuse_tui.ui.widgets.test_filter"


def _as_dict(groups: list[tuple[str, list[tuple[str, str]]]]) -> dict[str, dict[str, str]]:
    return {title: {desc: keys for keys, desc in rows} for title, rows in groups}


async def test_groups_come_from_app_screen_and_our_widgets() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.query_one(EventList).focus()
        await pilot.pause()
        groups = _as_dict(bindings_help(app))
        assert groups["General"]["Help"] == "? f1"
        assert groups["General"]["Export"] == "^s"
        assert groups["General"]["Quit"] == "^q"
        assert groups["Event list"] == {"Next event": "j ↓", "Next error": "e"}
        # Hidden bindings of unfocused widgets are listed too: the help is about every key.
        assert groups["Filter bar"] == {"Next match": "n"}
        # Textual's own plumbing (system bindings) is not.
        assert all("help_quit" not in d for g in groups.values() for d in g)


async def test_keymap_changes_show_in_help() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.set_keymap({"list.next_error": "x", "app.export": "ctrl+e"})
        await pilot.pause()
        groups = _as_dict(bindings_help(app))
        assert groups["Event list"]["Next error"] == "x"
        assert groups["General"]["Export"] == "^e"


@pytest.mark.parametrize("key", ["escape", "question_mark", "f1"])
async def test_help_closes_with(key: str) -> None:
    app = ScreenHost(HelpScreen([("General", [("?", "Help")])]))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.dismissed and not isinstance(app.screen, HelpScreen)


async def test_help_shows_every_group_and_key_as_plain_text() -> None:
    groups = [
        ("General", [("?", "Help"), ("q", "Quit")]),
        ("Event list", [("[bold]x[/]", "a [red]markup-looking[/red] description")]),
    ]
    app = ScreenHost(HelpScreen(groups))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [str(s.render()) for s in app.screen.query(".help-group-title")]
        assert titles == ["General", "Event list"]
        tables = [g.query_one("Static:last-child") for g in app.screen.query(".help-group")]
        assert len(tables) == 2
        # Rendered output contains the literal brackets (no markup parsing).
        svg = app.export_screenshot()
        assert "[bold]x[/]" in svg.replace("&#160;", " ")
        assert "[red]markup-looking[/red]" in svg.replace("&#160;", " ")


async def test_app_level_help_action_opens_help_for_the_screen_below() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.query_one(EventList).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Event list" in [title for title, _ in app.screen.groups]
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_textual_plumbing_is_left_out_but_described_overrides_stay() -> None:
    from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen

    async def no_calls(start: int, end: int, number: str | None):  # type: ignore[no-untyped-def]
        return
        yield

    app = ScreenHost(CallsBrowserScreen(no_calls))
    async with app.run_test() as pilot:
        await pilot.pause()
        groups = _as_dict(bindings_help(app))
        assert groups["Calls list"] == {"Open the call's log": "⏎"}
        assert "Focus Next" not in groups["Calls browser"]
        assert groups["Calls browser"]["Window"] == "w"
