"""The filter bar: the query input plus the state of the class and module filters.

An invalid or too slow query is explained on a second line that shows only then: beside the
input it pushed the hide/mark indicator off a 120-column screen and was cut itself.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label

from fuse_tui.core.model import KNOWN_CLASSES
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.rows import OTHER_CLASSES

CLASS_LABELS = {OTHER_CLASSES: "other"}
PLACEHOLDER = "/ filter: text · re:regex · !invert"


class FilterInput(Input):
    BINDINGS = [
        Binding("escape", "leave", "Back to list", id="filter.leave"),
    ]

    class Leave(Message):
        pass

    def action_leave(self) -> None:
        self.post_message(self.Leave())


class FilterBar(Vertical):
    """Query input, hide/highlight mode, class toggles and the module filter, on one line.

    Below them, only while the query cannot be used, why (``#filter-error``).
    """

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        pass

    # What the state and error labels show (they are updated only when it changes).
    _state: Content | None = None
    _error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-row"):
            yield FilterInput(placeholder=PLACEHOLDER, id="filter-input", select_on_focus=False)
            yield Label("", id="filter-state")
        yield Label("", id="filter-error")

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
        rows: int = 0,
    ) -> None:
        state = state_text(hidden, module, hide, marked, rows)
        # An update lays the whole screen out again (a class toggle at 1M: tens of ms): only
        # what changed.
        if state != self._state:
            self._state = state
            self.query_one("#filter-state", Label).update(state)
        if error != self._error:
            self._error = error
            self.query_one("#filter-error", Label).update(error_text(error) if error else "")
        self.set_class(bool(error), "-error")


def state_text(
    hidden: frozenset[str],
    module: str | None,
    hide: bool,
    marked: int | None = None,
    rows: int = 0,
) -> Content:
    """The indicator beside the input: hide or mark, the hidden classes, the module filter.

    Never narrower than with every class shown: hiding one class ("hidden: 5 error") then
    leaves the indicator as wide as it was, and the screen is painted again, not laid out
    again (a second layout, a frame later, when the label changed width).
    """
    state = _state_text(hidden, module, hide, marked, rows)
    room = _ALL_SHOWN_CELLS - state.cell_length
    return state.pad_right(room) if room > 0 else state


def _state_text(
    hidden: frozenset[str],
    module: str | None,
    hide: bool,
    marked: int | None,
    rows: int,
) -> Content:
    # $text-muted, not "dim": see call_header.MUTED. Content, so the theme resolves it.
    muted = "$text-muted"
    parts: list[str | tuple[str, str]] = [("hide" if hide else "mark", "bold")]
    if marked is not None:  # mark mode: "3 of 14 match", and n/N go through the 3
        parts.append((f" {marked:,} of {rows:,} match", "bold"))
    parts.append(" · ")
    if hidden:
        parts.append(("hidden: ", muted))
        names = [*KNOWN_CLASSES, OTHER_CLASSES]
        shown = [
            f"{n} {CLASS_LABELS.get(name, name)}"
            for n, name in enumerate(names, 1)
            if name in hidden
        ]
        parts.append((", ".join(shown), "bold"))
    else:
        parts.append((f"1-{len(KNOWN_CLASSES) + 1} classes: all", muted))
    if module is not None:
        parts.append(" · ")
        parts.append(("module=", muted))
        parts.append((escape_control(module), "bold"))
    parts.append(" ")  # a cell of air before the edge
    return Content.assemble(*parts)


# The indicator's cells with nothing hidden ("hide · 1-6 classes: all "): its least width.
_ALL_SHOWN_CELLS = _state_text(frozenset(), None, True, None, 0).cell_length


def error_text(error: str) -> Content:
    """Why the typed query is not used; the list still shows the previous filter."""
    return Content.assemble(
        ("Filter not applied", "bold"),
        " (the previous one stays): ",
        escape_control(error),
    )
