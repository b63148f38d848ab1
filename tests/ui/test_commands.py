"""Command palette: each main action is offered and runs the app action of that name."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Static

from fuse_tui.ui.commands import COMMANDS, FuseCommands

NAMES = [name for name, _title, _help in COMMANDS]


class Host(App[None]):
    COMMANDS = {FuseCommands}
    BINDINGS = [Binding("y", "copy_line", "Copy line", id="app.copy_line")]

    def __init__(self, implemented: list[str]) -> None:
        super().__init__()
        self.ran: list[str] = []
        for name in implemented:
            setattr(self, f"action_{name}", lambda name=name: self.ran.append(name))

    def compose(self) -> ComposeResult:
        yield Static("x")


def test_the_contracted_action_names() -> None:
    assert NAMES == [
        "fetch",
        "open_file",
        "calls_browser",
        "export",
        "toggle_time",
        "copy_event",
        "copy_line",
        "copy_raw_line",
        "copy_log",
        "copy_session",
        "copy_event_redacted",
        "copy_log_redacted",
        "copy_marked",
        "messages",
        "help",
    ]


async def test_choosing_a_command_runs_its_action() -> None:
    app = Host(NAMES)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"copy line")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.ran == ["copy_line"]


async def test_discovery_lists_only_implemented_actions_with_their_keys() -> None:
    app = Host(["copy_line", "export"])
    async with app.run_test() as pilot:
        provider = FuseCommands(app.screen)
        hits = [hit async for hit in provider.discover()]
        assert [hit.text for hit in hits] == ["Export", "Copy line"]
        copy_line = hits[1]
        assert copy_line.help is not None and copy_line.help.endswith("(y)")
        await copy_line.command()
        await pilot.pause()
        assert app.ran == ["copy_line"]
