"""The Archive screen: every archived call, newest first, with full-text search.

Typing in the search box keeps only the calls with a matching event (same search as
``fuse-tui archive search``: all words, "a phrase", prefix*). Enter on a call dismisses the
screen with its session ID, for the main screen to open from the archive; Escape dismisses None.
Queries run in a thread worker, so a large archive never blocks the UI.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from fuse_tui.core.archive import Archive, ArchivedSummary, ArchiveError
from fuse_tui.core.textsafe import escape_control

# DataTable is fine for thousands of rows, not for hundreds of thousands: show the newest.
MAX_ROWS = 5000
SEARCH_DELAY = 0.25

COLUMNS: tuple[tuple[str, str], ...] = (
    ("start", "Start"),
    ("src", "From"),
    ("dest", "To"),
    ("events", "Events"),
    ("errors", "Errors"),
    ("hits", "Hits"),
    ("fetched", "Archived"),
    ("session", "Session ID"),
)


@dataclass(frozen=True)
class ArchiveRows:
    """One query's answer, handed from the worker thread to the UI."""

    calls: list[ArchivedSummary]
    hits: dict[str, int] | None
    total: int
    query: str
    error: str | None = None


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch))


def _cell(value: object, style: str = "") -> Text:
    """Archived data as plain escaped text: never markup, never raw control characters."""
    if value is None or value == "":
        return Text("—", style="dim")
    return Text(escape_control(str(value)), style=style)


class ArchiveTable(DataTable[Text]):
    HELP_TITLE = "Archived calls"


class ArchiveScreen(Screen[str | None]):
    """Browse and search the local archive; Enter opens a call."""

    HELP_TITLE = "Archive"

    DEFAULT_CSS = """
    ArchiveScreen {
        layout: vertical;
    }
    ArchiveScreen #archive-bar {
        height: 3;
        padding: 0 1;
        background: $boost;
    }
    ArchiveScreen #archive-title {
        width: auto;
        height: 3;
        content-align: left middle;
        text-style: bold;
        padding-right: 2;
    }
    ArchiveScreen #archive-search {
        width: 1fr;
    }
    ArchiveScreen #archive-status {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ArchiveScreen #archive-status.-error {
        color: $error;
        text-style: bold;
    }
    ArchiveScreen #archive-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="archive.search"),
        Binding("r,f5", "reload", "Reload", id="archive.reload"),
        Binding("escape", "back", "Back", id="archive.back"),
    ]

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.rows: ArchiveRows | None = None
        self._search_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="archive-bar"):
            yield Static("Archive", id="archive-title")
            yield Input(
                placeholder='search events: words, "a phrase", prefix*', id="archive-search"
            )
        yield Static("Loading the archive…", id="archive-status")
        table = ArchiveTable(id="archive-table", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArchiveTable).focus()
        self.load("")

    # ----------------------------------------------------------------- actions
    def action_focus_search(self) -> None:
        self.query_one("#archive-search", Input).focus()

    def action_reload(self) -> None:
        self.load(self.query_one("#archive-search", Input).value)

    def action_back(self) -> None:
        search = self.query_one("#archive-search", Input)
        if search.has_focus and search.value:
            search.value = ""  # first Escape clears the search, the second leaves
            return
        self.dismiss(None)

    @on(Input.Changed, "#archive-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        query = event.value
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self.load(query))

    @on(Input.Submitted, "#archive-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.load(event.value)
        self.query_one(ArchiveTable).focus()

    @on(DataTable.RowSelected, "#archive-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.dismiss(str(event.row_key.value))

    # ----------------------------------------------------------------- loading
    @work(thread=True, exclusive=True, group="archive-query", exit_on_error=False)
    def load(self, query: str) -> None:
        query = query.strip()
        try:
            hits = self.archive.matching_sessions(query) if query else None
            total, _ = self.archive.count()
            if hits is None:
                calls = self.archive.list_calls(limit=MAX_ROWS)
            else:
                calls = self.archive.list_calls(session_ids=list(hits), limit=MAX_ROWS)
            rows = ArchiveRows(calls, hits, total, query)
        except ArchiveError as exc:
            rows = ArchiveRows([], None, 0, query, error=str(exc))
        # The screen may have been dismissed (and the archive closed) while SQLite worked.
        if get_current_worker().is_cancelled or not self.is_attached:
            return
        self.app.call_from_thread(self.show_rows, rows)

    def show_rows(self, rows: ArchiveRows) -> None:
        self.rows = rows
        table = self.query_one(ArchiveTable)
        table.clear()
        for call in rows.calls:
            errors = call.class_counts.get("error", 0)
            table.add_row(
                _cell(_when(call.when)),
                _cell(call.src),
                _cell(call.dest),
                Text(str(call.event_count), justify="right"),
                Text(str(errors), style="bold red" if errors else "dim", justify="right"),
                Text(str(rows.hits.get(call.session_id, 0)) if rows.hits else "", justify="right"),
                _cell(_when(call.fetched_at), "dim"),
                _cell(call.session_id),
                key=call.session_id,
            )
        status = self.query_one("#archive-status", Static)
        status.set_class(rows.error is not None, "-error")
        status.update(Text(self._status_text(rows)))

    @staticmethod
    def _status_text(rows: ArchiveRows) -> str:
        if rows.error is not None:
            return escape_control(rows.error)
        if rows.total == 0:
            return (
                "The archive is empty: every call fetched is kept here, "
                "and `fuse-tui archive sync` sweeps in the last 5 days."
            )
        shown = len(rows.calls)
        if rows.hits is not None:
            matched = len(rows.hits)
            more = f" (showing the newest {shown})" if shown < matched else ""
            query = escape_control(rows.query)
            return f"{matched} of {rows.total} archived calls match {query!r}{more}. Enter opens."
        more = f" (showing the newest {shown})" if shown < rows.total else ""
        return f"{rows.total} archived calls{more}. / searches, Enter opens."
