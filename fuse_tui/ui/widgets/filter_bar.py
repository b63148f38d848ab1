"""The filter bar: the query input plus the state of the class and module filters."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from fuse_tui.core.model import KNOWN_CLASSES
from fuse_tui.core.textsafe import escape_control

PLACEHOLDER = "/ filter: text · re:regex · !invert"


class FilterInput(Input):
    BINDINGS = [
        Binding("escape", "leave", "Back to list", id="filter.leave"),
    ]

    class Leave(Message):
        pass

    def action_leave(self) -> None:
        self.post_message(self.Leave())


class FilterBar(Horizontal):
    """Query input, hide/highlight mode, class toggles and the module filter, on one line."""

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        pass

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
        yield Label("", id="filter-state")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def on_filter_input_leave(self, event: FilterInput.Leave) -> None:
        event.stop()
        self.post_message(self.Done())

    @property
    def value(self) -> str:
        return self.query_one(FilterInput).value

    def focus_input(self) -> None:
        # At once, not after a refresh: keys typed right after "/" must land in the input.
        self.screen.set_focus(self.query_one(FilterInput))

    def show_state(
        self,
        hidden: frozenset[str],
        module: str | None,
        hide: bool,
        error: str | None,
        marked: int | None = None,
    ) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if error:
            text.append(escape_control(error), style="bold reverse")
            text.append(" ")
        text.append("hide" if hide else "mark", style="bold")
        if marked is not None:
            text.append(f" {marked:,} match{'' if marked == 1 else 'es'}", style="bold")
        text.append(" · ")
        if hidden:
            text.append("hidden: ", style="dim")
            shown = [f"{n} {name}" for n, name in enumerate(KNOWN_CLASSES, 1) if name in hidden]
            text.append(", ".join(shown), style="bold")
        else:
            text.append("1-5 classes: all", style="dim")
        if module is not None:
            text.append(" · ")
            text.append("module=", style="dim")
            text.append(escape_control(module), style="bold")
        text.append(" ")  # a cell of air before the edge
        self.query_one("#filter-state", Label).update(text)
        self.set_class(bool(error), "-error")
