"""The last notifications, newest first, with time and severity (``M`` or the palette).

Content is built as ``rich.text.Text``: a message may quote a file name or server text with
brackets or escape codes in it, which must show as written, never act as markup or control.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.message_log import LoggedMessage

# Severity → (label, style): words as well as colour, so the level reads without colour too.
_SEVERITY: dict[str, tuple[str, str]] = {
    "error": ("error", "bold red"),
    "warning": ("warning", "yellow"),
    "information": ("info", "dim"),
}
EMPTY = "No messages yet. Notifications (fetch and open errors, copies, exports) are kept here."


def messages_text(messages: list[LoggedMessage]) -> Text:
    """One line per message, newest first: ``14:02:11  error    Title: text``."""
    if not messages:
        return Text(EMPTY, style="dim")
    text = Text()
    for index, message in enumerate(reversed(messages)):
        if index:
            text.append("\n")
        label, style = _SEVERITY.get(message.severity, (message.severity, ""))
        text.append(time.strftime("%H:%M:%S", time.localtime(message.at)), style="dim")
        text.append(f"  {label:<8}", style=style)
        if message.title:
            text.append(escape_control(message.title) + ": ", style="bold")
        # Keep line breaks a message was written with; escape everything else.
        text.append(escape_control(message.text, one_line=False))
    return text


class MessagesScreen(ModalScreen[None]):
    """Recent notifications; Esc, q or M closes."""

    HELP_TITLE = "Messages"

    DEFAULT_CSS = """
    MessagesScreen {
        align: center middle;
    }
    MessagesScreen > #messages-dialog {
        width: 90%;
        max-width: 120;
        height: 80%;
        border: thick $primary 60%;
        background: $surface;
        padding: 0 1;
    }
    MessagesScreen #messages-title {
        text-style: bold;
        width: 1fr;
        padding-bottom: 1;
    }
    MessagesScreen #messages-body {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    MessagesScreen #messages-hint {
        color: $text-muted;
        width: 1fr;
        content-align: center middle;
    }
    """

    BINDINGS = [
        Binding("escape,q,M", "close", "Close messages", id="messages.close"),
    ]

    def __init__(self, messages: list[LoggedMessage]) -> None:
        super().__init__()
        self.messages = messages

    def compose(self) -> ComposeResult:
        count = len(self.messages)
        with Vertical(id="messages-dialog"):
            title = f"Messages — the last {plural(count, 'notification')}, newest first"
            yield Static(Text(title if count else "Messages"), id="messages-title")
            with VerticalScroll(id="messages-body"):
                yield Static(messages_text(self.messages), id="messages-list")
            yield Static("↑/↓ PgUp/PgDn scroll · Esc q M close", id="messages-hint")

    def on_mount(self) -> None:
        self.query_one("#messages-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
