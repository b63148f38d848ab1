"""The Archive screen: every archived call, newest first, with full-text search.

Typing in the search box keeps only the calls with a matching event (same search as
``fuse-tui archive search``: the filter language of the README's "Search and filter"). Enter on
a call dismisses the screen with its session ID and the search that found it
(:class:`ArchiveChoice`), for the main screen to open from the archive filtered by that search;
Escape dismisses None.
Queries run in a thread worker, so a large archive never blocks the UI.

Above the table, the archive statistics of the calls listed (``core.archive.stats``, in a second
worker): how many, the share with an error, the slowest step, and a chart of calls and errors
over time.

The columns fit the screen: when they would not, *Archived* goes first, then *Hits* (shown only
while searching); the session ID, the call's start and its numbers stay.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from fuse_tui.core.archive import Archive, ArchivedSummary, ArchiveError
from fuse_tui.core.archive.stats import ArchiveStats, StatsFilter, archive_stats
from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timestamps import epoch_seconds, format_timestamp
from fuse_tui.ui.widgets.activity_chart import ActivityChart

# DataTable is fine for thousands of rows, not for hundreds of thousands: show the newest.
MAX_ROWS = 5000
SEARCH_DELAY = 0.25
# Like ``ls -l``: the clock time for the last half year, the year for anything older.
RECENT_SECONDS = 183 * 86400

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
# Left out, in this order, until the rest fits the screen's width.
OPTIONAL_COLUMNS = ("fetched", "hits")


@dataclass(frozen=True)
class ArchiveRows:
    """One query's answer, handed from the worker thread to the UI."""

    calls: list[ArchivedSummary]
    hits: dict[str, int] | None
    total: int
    query: str
    error: str | None = None


def short_when(epoch: float | None, now: float) -> str:
    """``28 Nov 02:12`` within half a year of ``now``, ``28 Nov  2025`` otherwise (12 cells)."""
    seconds = epoch_seconds(epoch)
    recent = seconds is not None and abs(now - seconds) < RECENT_SECONDS
    return format_timestamp(epoch, "%d %b %H:%M" if recent else "%d %b  %Y", missing="—")


def _count(value: int, style: str = "") -> Text:
    """A count as the main view writes it: ``3,006``."""
    return Text(f"{value:,}", style=style, justify="right")


def _cell(value: object, style: str = "") -> Text:
    """Archived data as plain escaped text: never markup, never raw control characters."""
    if value is None or value == "":
        return Text("—")
    return Text(escape_control(str(value)), style=style)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def stats_line(stats: ArchiveStats | None) -> str:
    """``42 calls · 7.1% with errors · slowest: rest (lookup) 5 s, p95 9 s`` ("" for none)."""
    if stats is None or not stats.calls:
        return ""
    parts = [plural(stats.calls, "call"), f"{stats.error_rate:.1%} with errors"]
    if stats.slowest_steps:
        slow = stats.slowest_steps[0]
        parts.append(f"slowest: {slow.label} {_seconds(slow.median)}, p95 {_seconds(slow.p95)}")
    return " · ".join(parts)


@dataclass(frozen=True)
class ArchiveChoice:
    """The call chosen, and the search its row was listed by ("" when none): the call opens
    with it as the filter, on its first match."""

    session_id: str
    query: str = ""


class ArchiveTable(DataTable[Text]):
    HELP_TITLE = "Archived calls"


class ArchiveScreen(Screen[ArchiveChoice | None]):
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
    ArchiveScreen #archive-stats {
        height: 1;
        padding: 0 1;
    }
    ArchiveScreen #archive-stats.-error {
        color: $error;
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

    def __init__(self, archive: Archive, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.archive = archive
        self._now = now
        self.rows: ArchiveRows | None = None
        self.stats: ArchiveStats | None = None
        self._stats_for: tuple[str, ...] | None = None  # the calls the stats describe
        self._search_timer: Timer | None = None
        # The column keys shown now (they depend on the width and on whether a search is on).
        self.columns: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal(id="archive-bar"):
            yield Static("Archive", id="archive-title")
            yield Input(
                placeholder='search: words, "a phrase", prefix*, class:error, status_code>=500',
                id="archive-search",
            )
        yield Static("Loading the archive…", id="archive-status")
        yield Static("", id="archive-stats")
        yield ActivityChart(lambda epoch: short_when(epoch, self._now()), id="archive-chart")
        yield ArchiveTable(id="archive-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArchiveTable).focus()
        self.load("")

    # ----------------------------------------------------------------- actions
    def action_focus_search(self) -> None:
        self.query_one("#archive-search", Input).focus()

    def action_reload(self) -> None:
        self._stats_for = None  # the same calls may have new figures (a call re-fetched)
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
            # The search the rows shown answer (not one still being typed): their hits are its.
            query = self.rows.query if self.rows is not None and self.rows.hits is not None else ""
            self.dismiss(ArchiveChoice(str(event.row_key.value), query))

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

    def _cells(self, rows: ArchiveRows) -> dict[str, list[Text]]:
        """Every column's cells, by column key, in row order."""
        now = self._now()
        cells: dict[str, list[Text]] = {key: [] for key, _label in COLUMNS}
        for call in rows.calls:
            errors = call.class_counts.get("error", 0)
            hits = rows.hits.get(call.session_id, 0) if rows.hits else None
            cells["start"].append(_cell(short_when(call.when, now)))
            cells["src"].append(_cell(call.src))
            cells["dest"].append(_cell(call.dest))
            cells["events"].append(_count(call.event_count))
            cells["errors"].append(_count(errors, "bold red" if errors else ""))
            cells["hits"].append(_count(hits) if hits is not None else Text(""))
            cells["fetched"].append(_cell(short_when(call.fetched_at, now)))
            cells["session"].append(_cell(call.session_id))
        return cells

    def _fitting(self, rows: ArchiveRows, cells: dict[str, list[Text]]) -> tuple[str, ...]:
        """The columns to show: all that fit, leaving out the optional ones first."""
        table = self.query_one(ArchiveTable)
        labels = dict(COLUMNS)
        # The vertical scrollbar is counted in, whether or not the rows need it yet.
        room = (table.size.width or self.size.width) - table.styles.scrollbar_size_vertical
        padding = 2 * table.cell_padding

        def width(key: str) -> int:
            widest = max((cell.cell_len for cell in cells[key]), default=0)
            return max(len(labels[key]), widest) + padding

        keys = [key for key, _label in COLUMNS if key != "hits" or rows.hits is not None]
        for optional in OPTIONAL_COLUMNS:
            if sum(width(key) for key in keys) <= room:
                break
            if optional in keys:
                keys.remove(optional)
        return tuple(keys)

    def show_rows(self, rows: ArchiveRows) -> None:
        self.rows = rows
        table = self.query_one(ArchiveTable)
        cells = self._cells(rows)
        columns = self._fitting(rows, cells)
        current = self._highlighted()
        table.clear(columns=columns != self.columns)
        if columns != self.columns:
            labels = dict(COLUMNS)
            for key in columns:
                table.add_column(labels[key], key=key)
            self.columns = columns
        for index, call in enumerate(rows.calls):
            table.add_row(*(cells[key][index] for key in columns), key=call.session_id)
        if current is not None and current in {call.session_id for call in rows.calls}:
            table.move_cursor(row=table.get_row_index(current))
        status = self.query_one("#archive-status", Static)
        status.set_class(rows.error is not None, "-error")
        status.update(Text(self._status_text(rows)))
        ids = tuple(call.session_id for call in rows.calls)
        if ids != self._stats_for or rows.error is not None:
            # Not again for a resize (show_rows runs then too): the same calls, the same figures.
            self._stats_for = ids
            self.load_stats(rows)

    # ----------------------------------------------------------------- statistics
    @work(thread=True, exclusive=True, group="archive-stats", exit_on_error=False)
    def load_stats(self, rows: ArchiveRows) -> None:
        """The statistics of the calls listed (the newest MAX_ROWS, or those matching)."""
        stats: ArchiveStats | None = None
        error: str | None = None
        if rows.calls:
            try:
                ids = [call.session_id for call in rows.calls]
                stats = archive_stats(self.archive, StatsFilter(session_ids=ids))
            except ArchiveError as exc:
                error = str(exc)
        if get_current_worker().is_cancelled or not self.is_attached:
            return
        self.app.call_from_thread(self.show_stats, stats, error)

    def show_stats(self, stats: ArchiveStats | None, error: str | None = None) -> None:
        self.stats = stats
        line = self.query_one("#archive-stats", Static)
        line.set_class(error is not None, "-error")
        text = f"Statistics unavailable: {error}" if error else stats_line(stats)
        line.update(Text(escape_control(text), no_wrap=True, overflow="ellipsis"))
        line.display = bool(text)
        self.query_one(ActivityChart).show(stats.per_hour if stats else [])

    def _highlighted(self) -> str | None:
        table = self.query_one(ArchiveTable)
        if not table.row_count or not table.is_valid_row_index(table.cursor_row):
            return None
        return str(table.ordered_rows[table.cursor_row].key.value)

    def on_resize(self, event: events.Resize) -> None:
        # After the table has its new size: the columns that fit may have changed.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        rows = self.rows
        if rows is not None and self._fitting(rows, self._cells(rows)) != self.columns:
            self.show_rows(rows)

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
            more = f" (showing the newest {shown:,})" if shown < matched else ""
            query = escape_control(rows.query)
            verb = "matches" if matched == 1 and rows.total == 1 else "match"
            return (
                f"{matched:,} of {plural(rows.total, 'archived call')} {verb} {query!r}{more}."
                " Enter opens."
            )
        more = f" (showing the newest {shown:,})" if shown < rows.total else ""
        return f"{plural(rows.total, 'archived call')}{more}. / searches, Enter opens."
