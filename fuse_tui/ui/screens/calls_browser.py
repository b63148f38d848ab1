"""The calls browser: the calls of a time window from ``/api/calls``; Enter opens one's log.

The screen knows nothing about HTTP: it is given ``list_calls(start, end, number)``, an async
iterator of :class:`CallSummary` that pages by itself, so paging is invisible here too.

The window and the number filter chosen are remembered for the app run (``remembered``), so
leaving to read a call and coming back with ``b`` shows the same calls.

With an archive it also marks the calls already archived (``archived(session_id)``; if that
callable has a ``reload()`` method it is re-read, off the event loop, before each load and after
each sync) and can sync the shown window into the archive (``sync(start, end, number,
progress)``, which returns the ``SyncReport`` of ``core.sync.sync_archive``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, LoadingIndicator, Static

from fuse_tui.core.client import AuthError, FuseError
from fuse_tui.core.model import CallSummary
from fuse_tui.core.plural import plural
from fuse_tui.core.service import wanted_number
from fuse_tui.core.sync import ProgressCallback, SyncReport
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timestamps import format_timestamp
from fuse_tui.ui.widgets.calls_table import CallsTable, sorted_calls
from fuse_tui.ui.widgets.sync_progress import SyncProgressBar

ListCalls = Callable[[int, int, str | None], AsyncIterator[CallSummary]]
SyncWindow = Callable[[int, int, str | None, ProgressCallback], Awaitable[SyncReport]]
# Asks for the e-mail and key, then calls its argument once new ones are in place.
AskCredentials = Callable[[Callable[[], None]], None]

ARCHIVE_OFF = (
    "Archiving is off (--no-archive or archive_enabled = false), so there is no archive to "
    "sync into."
)
# How many failure reasons the end-of-sync report quotes.
_REPORT_REASONS = 3


@dataclass(frozen=True)
class Window:
    label: str
    seconds: int


# The API serves at most five days per request window.
WINDOWS: tuple[Window, ...] = (
    Window("1 h", 3600),
    Window("6 h", 6 * 3600),
    Window("24 h", 24 * 3600),
    Window("2 days", 2 * 86400),
    Window("5 days", 5 * 86400),
)
DEFAULT_WINDOW = 2  # last 24 h

# ``/api/calls?number=`` matches a whole number only: "6175" finds nothing, "6175550142" does.
WHOLE_NUMBERS_ONLY = "Fuse matches whole numbers only: type the full number"
NUMBER_HINT = f"{WHOLE_NUMBERS_ONLY} and press Enter."


@dataclass
class BrowserChoice:
    """The window and number last chosen in the calls browser (kept for the app run only)."""

    window_index: int = DEFAULT_WINDOW
    number: str | None = None


# One choice per running app; an app that ends takes its choice with it.
_CHOICES: weakref.WeakKeyDictionary[App[Any], BrowserChoice] = weakref.WeakKeyDictionary()


def remembered(app: App[Any]) -> BrowserChoice | None:
    """What the user chose last in this app's calls browser, or None if nothing yet."""
    return _CHOICES.get(app)


# Rows are added in batches while pages arrive, so a long list appears progressively.
_BATCH_ROWS = 200
_BATCH_SECONDS = 0.25


def _one_line(text: str) -> str:
    return escape_control(" ".join(text.split()))


def sync_report_text(report: SyncReport) -> str:
    """``Sync done: 12 fetched, 3 already archived, 1 expired, 2 failed. First failures: …``

    The same words as ``archive sync`` (core.sync_summary)."""
    from fuse_tui.core.sync_summary import first_failures, summarize

    text = f"Sync done: {summarize(report)}."
    if report.failed:
        text += f" First failures: {first_failures(report, _REPORT_REASONS)}."
    return _one_line(text)


def sync_error_text(exc: BaseException) -> str:
    """One sentence for a sync that could not run at all (credentials, network, archive)."""
    from fuse_tui.core.archive import ArchiveError
    from fuse_tui.core.client import FuseError

    text = " ".join(str(exc).split())
    if isinstance(exc, FuseError | ArchiveError) and text:
        return _one_line(f"Sync failed: {text}")
    return _one_line(f"Sync failed: unexpected {type(exc).__name__}: {text}")


class CallsBrowserScreen(Screen[str | None]):
    """Calls of the last hour … five days, optionally for one phone number."""

    HELP_TITLE = "Calls browser"

    CSS_PATH = "../styles/calls_browser.tcss"

    BINDINGS = [
        # The event list's keys, for the calls list (↑↓ PgUp PgDn are the table's own).
        Binding("down,j", "cursor(1)", "Next call", show=False, id="calls.down"),
        Binding("up,k", "cursor(-1)", "Previous call", show=False, id="calls.up"),
        Binding("home,g", "edge(-1)", "First call", show=False, id="calls.first"),
        Binding("end,G", "edge(1)", "Last call", show=False, id="calls.last"),
        Binding("w", "next_window", "Window", id="calls.window_next"),
        Binding("W", "previous_window", "Shorter window", show=False, id="calls.window_previous"),
        # Short footer labels: every key fits an 80-column footer.
        Binding("slash", "focus_number", "Number", id="calls.number_filter"),
        Binding("r,f5", "reload", "Reload", id="calls.reload"),
        Binding(
            "S",
            "sync_archive",
            "Sync",
            tooltip="Archive every call log of the shown window (S or Esc stops)",
            id="calls.sync_archive",
        ),
        Binding("escape", "back", "Back", id="calls.back"),
        # Not in the footer (it is full at 80 columns): a 401 names it.
        Binding("K", "credentials", "Enter credentials", show=False, id="calls.credentials"),
    ]

    def __init__(
        self,
        list_calls: ListCalls,
        archived: Callable[[str], bool] | None = None,
        now: Callable[[], float] = time.time,
        *,
        sync: SyncWindow | None = None,
        ask_credentials: AskCredentials | None = None,
    ) -> None:
        super().__init__()
        self._list_calls = list_calls
        self._ask_credentials = ask_credentials
        self._archived = archived
        self._sync = sync
        self._now = now
        # The last sync's end-of-run sentence (or error), for tests and the status line.
        self.sync_message: str | None = None
        self.window_index = DEFAULT_WINDOW
        self.number: str | None = None
        self.calls: list[CallSummary] = []
        self._seen: set[str] = set()
        self._generation = 0
        self.error: str | None = None
        # Newest first until a column header is clicked.
        self._sort_column = "start"
        self._sort_reverse = True
        # The time window of the last load, for the title and the status line.
        self._range: tuple[int, int] = (0, 0)
        # The status line's text and error flag, and what it said before the number hint.
        self._status: tuple[Text, bool] = (Text(), False)
        self._before_hint: tuple[Text, bool] | None = None

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="calls-bar"):
            yield Static("Calls", id="calls-title")
            yield Static(id="calls-window")
            number = Input(
                placeholder="full number (Enter)",
                id="calls-number",
                restrict=r"[0-9+ ()\-.]*",
            )
            number.tooltip = NUMBER_HINT
            yield number
        with Horizontal(id="calls-status-row"):
            # Not ``table.loading``: that overlay steals focus and hides rows already received.
            yield LoadingIndicator(id="calls-loading")
            yield Static(id="calls-status")
        yield SyncProgressBar(stop_keys="S/Esc", id="calls-sync")
        yield CallsTable(self._archived, id="calls-table")
        yield Footer()

    def on_mount(self) -> None:
        choice = remembered(self.app)
        if choice is not None:
            self.window_index, self.number = choice.window_index, choice.number
            self.query_one("#calls-number", Input).value = choice.number or ""
        self.query_one(CallsTable).focus()
        self.load()

    def _remember(self) -> None:
        _CHOICES[self.app] = BrowserChoice(self.window_index, self.number)

    # ----------------------------------------------------------------- loading

    @property
    def window(self) -> Window:
        return WINDOWS[self.window_index]

    def load(self) -> None:
        """(Re)load the calls of the current window; a new load cancels the running one."""
        end = int(self._now())
        start = end - self.window.seconds
        self._range = (start, end)
        self._update_window_label()
        self._load(start, end, self.number)

    @work(exclusive=True, group="calls-browser-load")
    async def _load(self, start: int, end: int, number: str | None) -> None:
        # A cancelled load finishes (its ``finally``) after the next one started: the generation
        # tells each load whether the table and the status line are still its own.
        self._generation += 1
        generation = self._generation
        table = self.query_one(CallsTable)
        table.clear()
        self.calls = []
        self._seen = set()
        self.error = None
        self.set_class(True, "-loading")
        self._set_status(Text("Loading calls…"))
        # Fresh marks for this load: a fetch or a sync may have archived calls since the last.
        await self._reload_marks()
        pending: list[CallSummary] = []

        def flush() -> None:
            if generation != self._generation or not pending:
                return
            self._add_rows(pending)
            pending.clear()
            self._set_status(Text(f"Loading… {plural(len(self.calls), 'call')} so far"))

        # Rows appear while the next page is awaited, not only when it arrives.
        timer = self.set_interval(_BATCH_SECONDS, flush)
        try:
            async for call in self._list_calls(start, end, number):
                if call.session_id in self._seen:
                    continue  # a call can show up on two pages when new calls arrive meanwhile
                self._seen.add(call.session_id)
                pending.append(call)
                if len(pending) >= _BATCH_ROWS:
                    flush()
        except Exception as exc:  # every client error has a one-sentence message
            flush()
            message = str(exc) or type(exc).__name__
            # The next step, on the screen where it can be taken (as on the main screen).
            if isinstance(exc, AuthError):
                if self._ask_credentials is not None:
                    message = f"{message.rstrip('.')}. Press K to enter credentials."
            elif isinstance(exc, FuseError):
                message = f"{message.rstrip('.')}. Press r to reload."
            self.error = message
            self._set_status(Text(message), error=True)
            # markup=False: an error message may quote server text with brackets in it.
            self.notify(message, title="Could not list calls", severity="error", markup=False)
        else:
            flush()
            self._sort_newest_first()
            self._set_status(self._summary())
        finally:
            timer.stop()
            if generation == self._generation:
                self.set_class(False, "-loading")

    async def _reload_marks(self) -> None:
        """Re-read which calls are archived (SQLite, so in a thread) if the source can."""
        reload = getattr(self._archived, "reload", None)
        if callable(reload):
            # Marks are a hint: an unreadable archive leaves them as they were.
            with contextlib.suppress(Exception):
                await asyncio.to_thread(reload)

    @work(exclusive=True, group="calls-marks")
    async def refresh_marks(self) -> None:
        """Re-read the archive and repaint the Arch column (after a sync)."""
        await self._reload_marks()
        self.query_one(CallsTable).paint_marks(self.calls)

    def _add_rows(self, calls: list[CallSummary]) -> None:
        if not calls:
            return
        self.query_one(CallsTable).add_calls(calls)
        self.calls.extend(calls)

    def _sort(self, column: str, reverse: bool, *, keep_cursor: bool = True) -> None:
        """Order the rows by ``column``, keeping the cursor on the same call (or at the top)."""
        ordered = sorted_calls(self.calls, column, reverse, self._archived)
        self._sort_column, self._sort_reverse = column, reverse
        if [c.session_id for c in ordered] == [c.session_id for c in self.calls]:
            return
        current = self.highlighted_session() if keep_cursor else None
        self.query_one(CallsTable).show_calls(ordered, cursor_on=current)
        self.calls = ordered

    def _sort_newest_first(self) -> None:
        """Show the newest call first whatever order the pages came in (or the chosen order)."""
        self._sort(self._sort_column, self._sort_reverse, keep_cursor=False)

    def highlighted_session(self) -> str | None:
        table = self.query_one(CallsTable)
        if not self.calls or not table.is_valid_row_index(table.cursor_row):
            return None
        return str(table.ordered_rows[table.cursor_row].key.value)

    # ----------------------------------------------------------------- status

    def _update_window_label(self) -> None:
        start, end = self._range
        fmt = "%d %b %H:%M"
        # #calls-window is already $text-muted: Rich's "dim" on top would halve the contrast.
        text = Text.assemble(
            "last ",
            (self.window.label, "bold"),
            f"  {format_timestamp(start, fmt)} → ",
            format_timestamp(end, fmt),
        )
        if self.number:
            text.append("  number ")
            text.append(escape_control(self.number), style="bold")
        self.query_one("#calls-window", Static).update(text)

    def _summary(self) -> Text:
        count = len(self.calls)
        if count == 0:
            if self.number:
                return Text(
                    f"no calls in this window for {escape_control(self.number)} — "
                    f"{WHOLE_NUMBERS_ONLY}; w widens the window, r reloads"
                )
            return Text("no calls in this window — w widens the window, r reloads")
        with_log = sum(1 for c in self.calls if c.log)
        text = Text(f"{plural(count, 'call')}, {with_log:,} with a log")
        hint = " — Enter opens the log"
        if self._archived is not None:
            archived = sum(1 for c in self.calls if self._archived(c.session_id))
            text.append(f", {archived:,} archived")
            if archived < with_log:
                hint += ", S syncs the rest"
        text.append(hint, style="dim")
        return text

    def _set_status(self, text: Text, *, error: bool = False) -> None:
        self._status = (text, error)
        status = self.query_one("#calls-status", Static)
        status.set_class(error, "-error")
        status.update(text)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The placeholder is gone once typing starts: say how the number is matched meanwhile.
        if event.widget.id == "calls-number":
            self._before_hint = self._status
            self._set_status(Text(NUMBER_HINT, style="italic"))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id != "calls-number" or self._before_hint is None:
            return
        text, error = self._before_hint
        self._before_hint = None
        if self._status[0].plain == NUMBER_HINT:  # nothing (a load, an error) replaced the hint
            self._set_status(text, error=error)

    # ----------------------------------------------------------------- actions

    def action_cursor(self, delta: int) -> None:
        table = self.query_one(CallsTable)
        if table.row_count:
            row = min(max(table.cursor_row + delta, 0), table.row_count - 1)
            table.move_cursor(row=row)

    def action_edge(self, direction: int) -> None:
        table = self.query_one(CallsTable)
        table.move_cursor(row=0 if direction < 0 else max(table.row_count - 1, 0))

    def action_next_window(self) -> None:
        self._step_window(1)

    def action_previous_window(self) -> None:
        self._step_window(-1)

    def _step_window(self, step: int) -> None:
        """Widen (``w``) or narrow (``W``) the window; at either end stay and say so.

        No wrap-around: a ``w`` too many would otherwise drop from 5 days to 1 h and reload a
        nearly empty list, which reads as "the calls vanished".
        """
        index = self.window_index + step
        if not 0 <= index < len(WINDOWS):
            which = "longest" if step > 0 else "shortest"
            self.notify(
                f"Already the {which} window ({self.window.label})", timeout=3, markup=False
            )
            return
        self.window_index = index
        self._remember()
        self.load()

    def action_focus_number(self) -> None:
        self.query_one("#calls-number", Input).focus()

    def action_reload(self) -> None:
        self.load()

    def action_credentials(self) -> None:
        if self._ask_credentials is not None:
            self._ask_credentials(self.load)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "credentials" or self._ask_credentials is not None

    def action_back(self) -> None:
        if self.syncing:
            self.cancel_sync()
            return
        number = self.query_one("#calls-number", Input)
        if number.has_focus:
            # Esc in the filter leaves the filter, like in a log reader; a second Esc goes back.
            self.query_one(CallsTable).focus()
            return
        self.dismiss(None)

    # ----------------------------------------------------------------- sync

    @property
    def syncing(self) -> bool:
        return any(w.group == "sync" and w.is_running for w in self.workers)

    def action_sync_archive(self) -> None:
        """Archive the shown window (and number); pressed again while it runs, stop it."""
        if self.syncing:
            self.cancel_sync()
            return
        if self._sync is None:
            self.sync_message = ARCHIVE_OFF
            self._set_status(Text(ARCHIVE_OFF))
            self.notify(ARCHIVE_OFF, title="Sync", severity="warning", markup=False)
            return
        start, end = self._range
        self._run_sync(start, end, self.number)

    def cancel_sync(self) -> None:
        for worker in self.workers:
            if worker.group == "sync":
                worker.cancel()

    def _sync_scope(self, number: str | None) -> str:
        what = f"the last {self.window.label}"
        return what + (f" for {escape_control(number)}" if number else "")

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def _run_sync(self, start: int, end: int, number: str | None) -> None:
        assert self._sync is not None
        bar = self.query_one(SyncProgressBar)
        bar.begin(self._sync_scope(number))
        self.sync_message = None
        try:
            report = await self._sync(start, end, number, bar.post)
        except asyncio.CancelledError:
            done = bar.latest.fetched if bar.latest is not None else 0
            # At least ``done``: a store already under way when stopped still commits.
            message = (
                f"Sync stopped after fetching {plural(done, 'call log')}; "
                "what was fetched stays in the archive, S syncs the rest."
            )
            self._sync_over(message, error=False)
            raise
        except Exception as exc:  # every failure is one sentence on screen, never a traceback
            self._sync_over(sync_error_text(exc), error=True)
        else:
            self._sync_over(sync_report_text(report), error=False, warn=bool(report.failed))

    def _sync_over(self, message: str, *, error: bool, warn: bool = False) -> None:
        self.sync_message = message
        severity: SeverityLevel = "error" if error else ("warning" if warn else "information")
        # markup=False: reasons quote server text, which may hold brackets.
        self.app.notify(message, title="Archive sync", severity=severity, markup=False)
        if not self.is_mounted:  # the screen closed (a call was opened): only the note is left
            return
        with contextlib.suppress(NoMatches):  # … or is closing right now
            self.query_one(SyncProgressBar).end()
            self._set_status(Text(message), error=error)
            self.refresh_marks()

    @on(DataTable.HeaderSelected, "#calls-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        # A second click on the same column flips the order; a new column starts descending
        # for times and durations (the interesting end first) and ascending for text.
        if column == self._sort_column:
            reverse = not self._sort_reverse
        else:
            reverse = column in {"start", "duration", "log", "archived"}
        self._sort(column, reverse)

    @on(Input.Submitted, "#calls-number")
    def _number_submitted(self, event: Input.Submitted) -> None:
        try:
            number = wanted_number(event.value)
        except ValueError as exc:
            # Text with no digit would list every call as if it were no filter: say so, and
            # leave the input where it is to be fixed.
            message = f"{exc}; type a phone number, or clear it to list every call."
            self._set_status(Text(message), error=True)
            self.app.notify(message, severity="warning", markup=False)
            return
        self.number = number
        self._remember()
        self.query_one(CallsTable).focus()
        self.load()

    @on(DataTable.RowSelected, "#calls-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        session_id = event.row_key.value
        if session_id is None:
            return
        call = next((c for c in self.calls if c.session_id == session_id), None)
        archived = self._archived is not None and self._archived(session_id)
        if call is not None and call.log is False and not archived:
            self.notify(
                "This call has no detailed log (the API says log: false).",
                title="No log",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(session_id)
