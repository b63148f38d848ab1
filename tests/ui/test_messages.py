"""The message history: every notification kept (50), shown on M and in the palette."""

from __future__ import annotations

import threading
from pathlib import Path

from rich.text import Text
from textual.widgets import Static

from fuse_tui.ui.commands import COMMANDS
from fuse_tui.ui.message_log import MAX_MESSAGES, MessageLog
from fuse_tui.ui.screens.help import bindings_help
from fuse_tui.ui.screens.main import Source
from fuse_tui.ui.screens.messages import EMPTY, MessagesScreen, messages_text
from tests.ui.conftest import MakeApp, settle


def test_the_log_keeps_the_last_fifty_oldest_first() -> None:
    clock = iter(range(1000))
    log = MessageLog(clock=lambda: float(next(clock)))
    for i in range(MAX_MESSAGES + 7):
        log.add(f"note {i}", severity="information")
    items = log.items()
    assert len(items) == MAX_MESSAGES
    assert items[0].text == "note 7" and items[-1].text == f"note {MAX_MESSAGES + 6}"


def test_markup_is_resolved_once_and_plain_messages_stay_as_written() -> None:
    log = MessageLog()
    log.add("[b]bold[/b] word", severity="information", markup=True)
    log.add("server said [/bold] [red]x[/red]", severity="error", markup=False)
    log.add("broken [/nope", severity="warning", markup=True)
    assert [m.text for m in log.items()] == [
        "bold word",
        "server said [/bold] [red]x[/red]",
        "broken [/nope",
    ]


def test_adding_from_threads_loses_nothing() -> None:
    log = MessageLog(size=10_000)

    def add_many() -> None:
        for i in range(500):
            log.add(str(i), severity="information")

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log.items()) == 2000


def test_the_list_is_text_newest_first_with_time_and_severity() -> None:
    log = MessageLog(clock=iter([3600.0, 7200.0]).__next__)
    log.add("[red]not markup[/red] \x1b[31m", severity="error", title="Open", markup=False)
    log.add("later", severity="information")
    text = messages_text(log.items())
    assert isinstance(text, Text)
    lines = text.plain.splitlines()
    assert lines[0] == "02:00:00  info    later"
    assert lines[1] == "01:00:00  error   Open: [red]not markup[/red] \\x1b[31m"
    assert messages_text([]).plain == EMPTY


async def test_a_failed_open_can_be_read_again_after_its_toast_is_gone(
    make_app: MakeApp, tmp_path: Path, sample_file: Path
) -> None:
    missing = tmp_path / "gone [x].json"
    app = make_app([Source("file", str(sample_file)), Source("file", str(missing))])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        app.clear_notifications()  # the toast timed out
        assert app.main.active_view is not None  # the event list has the focus, not an input
        app.main.active_view.focus_list()
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, MessagesScreen)
        shown = app.screen.query_one("#messages-list", Static).render()
        assert "gone [x].json: no such file" in str(shown)  # brackets shown, not parsed
        await pilot.press("M")  # M closes it again
        await pilot.pause()
        assert not isinstance(app.screen, MessagesScreen)


async def test_messages_are_on_a_key_in_help_and_in_the_palette(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rows = [row for _title, group in bindings_help(app) for row in group]
        assert any(key == "M" and text == "Messages" for key, text in rows), rows
        assert any(action == "messages" for action, _t, _h in COMMANDS)
        app.notify("from a screen", severity="warning")
        app.main.notify("from the main screen")
        await pilot.pause()
        assert [m.text for m in app.message_log.items()][-2:] == [
            "from a screen",
            "from the main screen",
        ]
