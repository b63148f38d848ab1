"""Go to a time or an offset (``@``): a one-line dialog, checked before it closes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from fuse_tui.core.goto import EXAMPLES, Goto, parse_goto
from fuse_tui.ui.screens.modal import ModalDialog


class GotoScreen(ModalDialog[Goto | None]):
    """Dismisses with the parsed target, or ``None`` on Esc."""

    HELP_TITLE = "Go to"

    DEFAULT_CSS = """
    GotoScreen > #goto-dialog {
        width: 60;
    }
    GotoScreen #goto-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-dialog", classes="dialog"):
            yield Static("Go to a time or an offset", classes="dialog-title")
            yield Input(placeholder=EXAMPLES, id="goto-input")
            yield Static(classes="dialog-error")
            yield Static(
                "20:46:50 a time of the call's day · +0:32 or -5s from the cursor · Esc cancel",
                id="goto-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#goto-input")
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            goto = parse_goto(event.value)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(goto)

    @on(Input.Changed, "#goto-input")
    def _changed(self) -> None:
        self.show_error(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
