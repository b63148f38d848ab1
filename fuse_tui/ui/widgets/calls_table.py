"""The calls table: one row per call listed by ``/api/calls``, API data shown as plain text.

The table draws calls and orders them; which calls to show (loading, paging, the window) is the
calls browser's job. With an ``archived(session_id)`` callable it has an "Arch" column marking
the calls already in the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from fuse_tui.core.model import CallSummary
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import epoch_seconds, format_timestamp

IsArchived = Callable[[str], bool]

# (column key, label) in display order; "archived" only when an archive is given.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("start", "Start"),
    ("duration", "Duration"),
    ("src", "From"),
    ("dest", "To"),
    ("type", "Type"),
    ("log", "Log"),
)


def format_start(epoch: int | None) -> str:
    return format_timestamp(epoch, "%d %b %H:%M:%S", missing="—")


def _text(value: str | None, style: str = "") -> Text:
    """A cell: API data shown as plain, escaped text (never markup, never raw control codes)."""
    if value is None or value == "":
        return Text("—")
    return Text(escape_control(value), style=style)


def sort_key(column: str, archived: IsArchived | None) -> Callable[[CallSummary], tuple[bool, Any]]:
    """Sort key for a column; ``key(call)[0]`` is True when the call's value is unknown."""

    def value(call: CallSummary) -> Any:
        if column == "duration":
            return call.duration
        if column == "log":
            return call.log
        if column == "archived":
            return archived(call.session_id) if archived else None
        if column in ("start", "end"):  # by the moment, whatever unit the listing uses
            return epoch_seconds(getattr(call, column, None))
        return getattr(call, column, None)

    def key(call: CallSummary) -> tuple[bool, Any]:
        found = value(call)
        return (found is None, 0 if found is None else found)

    return key


def sorted_calls(
    calls: Sequence[CallSummary], column: str, reverse: bool, archived: IsArchived | None
) -> list[CallSummary]:
    """``calls`` ordered by ``column``; unknown values go last whichever the direction."""
    key = sort_key(column, archived)
    known = [c for c in calls if not key(c)[0]]
    unknown = [c for c in calls if key(c)[0]]
    return sorted(known, key=key, reverse=reverse) + unknown


class CallsTable(DataTable[Text]):
    """The table of calls (its own class so the help screen groups its keys)."""

    HELP_TITLE = "Calls list"

    BINDINGS = [
        # DataTable's own Enter, described: it is how a call's log is opened.
        Binding("enter", "select_cursor", "Open the call's log", show=False, id="calls.open"),
    ]

    def __init__(self, archived: IsArchived | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._archived = archived
        for key, label in COLUMNS:
            self.add_column(label, key=key)
        if archived is not None:
            self.add_column("Arch", key="archived")

    # DataTable's Home/End scroll sideways; in this list they move the cursor, as in the event
    # list. (The keys are bound, with ids, on the screen: ``calls.first`` / ``calls.last``.)
    def action_scroll_home(self) -> None:
        self.move_cursor(row=0)

    def action_scroll_end(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def add_calls(self, calls: Iterable[CallSummary]) -> None:
        for call in calls:
            self.add_row(*self._row(call), key=call.session_id)

    def show_calls(self, calls: Iterable[CallSummary], *, cursor_on: str | None) -> None:
        """Replace the rows by ``calls``, the cursor on the ``cursor_on`` call (else the top)."""
        self.clear()
        self.add_calls(calls)
        self.move_cursor(row=self.get_row_index(cursor_on) if cursor_on is not None else 0)

    def paint_marks(self, calls: Iterable[CallSummary]) -> None:
        """Repaint the Arch column (the archive may have changed)."""
        if self._archived is None:
            return
        for call in calls:
            self.update_cell(call.session_id, "archived", self._mark(call.session_id))

    def _row(self, call: CallSummary) -> list[Text]:
        log = (
            Text("—")
            if call.log is None
            else (Text("yes", style="green") if call.log else Text("no"))
        )
        row = [
            Text(format_start(call.start)),
            Text(format_duration(call.duration), justify="right"),
            _text(call.src),
            _text(call.dest),
            _text(call.type),
            log,
        ]
        if self._archived is not None:
            row.append(self._mark(call.session_id))
        return row

    def _mark(self, session_id: str) -> Text:
        archived = self._archived is not None and self._archived(session_id)
        return Text("●", style="bold cyan") if archived else Text("")
