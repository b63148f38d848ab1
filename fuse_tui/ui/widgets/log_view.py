"""One loaded call log: header, event list, detail pane and filter bar (one per tab)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import Worker, WorkerState, get_current_worker

from fuse_tui.core.goto import Goto, target_seconds
from fuse_tui.core.model import KNOWN_CLASSES, CallLog, LogEntry
from fuse_tui.core.plural import plural
from fuse_tui.core.query import (
    Query,
    QueryError,
    SearchCancelled,
    read_fields_ahead,
    take_census,
)
from fuse_tui.core.query_syntax import field_names
from fuse_tui.core.timestamps import epoch_seconds
from fuse_tui.ui.growing_rows import Filtered, GrowingRows
from fuse_tui.ui.rows import KEEP, OTHER_CLASSES
from fuse_tui.ui.widgets.call_header import CallHeader
from fuse_tui.ui.widgets.event_detail import EventDetail
from fuse_tui.ui.widgets.event_list import EventList
from fuse_tui.ui.widgets.filter_bar import FilterBar, FilterInput

if TYPE_CHECKING:
    from fuse_tui.ui.config import UiConfig

FILTER_DEBOUNCE = 0.12
# From this many entries on (or while a log loads) a filter runs in a thread: the list keeps
# its rows and the keys answer until the result is ready. Below, it takes milliseconds and
# is applied at once.
FILTER_IN_THREAD_FROM = 50_000
# From this many entries on, the numbers of the data keys most entries hold are read ahead
# once the index is built (a census): below, the first comparison on a key reads them in
# under ~0.1 s.
CENSUS_FROM = 200_000
# How long the census of common keys' numbers waits before it looks again whether the filter
# it gave way to is done.
CENSUS_PAUSE = 0.02
# Under this many columns the detail pane goes below the list (MainScreen's breakpoint).
NARROW_BELOW = 100
# The detail pane's share of the log body, in percent: of its width beside the list, of its
# height below it. A third leaves the message column ~45 cells at 120 columns. < and > change
# it; it is remembered in the config's [ui] table (``detail_size``) like the theme.
DETAIL_PREF = "detail_size"
DETAIL_DEFAULT = 33
DETAIL_MIN = 15
DETAIL_MAX = 75
DETAIL_STEP = 5
# The action argument for "every other class" (OTHER_CLASSES holds a NUL, unfit for an action).
OTHER_KEY = "other"
DETAIL_REPEAT_WINDOW = 0.08


class LogView(Vertical):
    """Everything about one call log; the main screen holds one per tab."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="log.filter"),
        Binding("n", "next_match(1)", "Next match", show=False, id="log.next_match"),
        Binding("N", "next_match(-1)", "Prev match", show=False, id="log.prev_match"),
        Binding("e", "next_error(1)", "Next error", id="log.next_error"),
        Binding("E", "next_error(-1)", "Prev error", show=False, id="log.prev_error"),
        Binding("t", "toggle_time", "Time mode", id="log.time"),
        Binding("Z", "toggle_utc", "UTC / local time (zone)", show=False, id="log.utc"),
        Binding("f", "toggle_hide", "Hide or mark matches", show=False, id="log.hide_mode"),
        Binding("m", "toggle_module", "Module filter", show=False, id="log.module"),
        # lnav's m/u/U, with m taken by the module filter here: x marks (X clears them all).
        Binding("x", "toggle_mark", "Mark or unmark the event", show=False, id="log.mark"),
        Binding("u", "next_mark(1)", "Next mark", show=False, id="log.next_mark"),
        Binding("U", "next_mark(-1)", "Prev mark", show=False, id="log.prev_mark"),
        Binding("X", "clear_marks", "Clear the call's marks", show=False, id="log.clear_marks"),
        *(
            Binding(
                str(n),
                f"toggle_class('{name}')",
                f"Toggle {name}",
                show=False,
                id=f"log.class_{name}",
            )
            for n, name in enumerate(KNOWN_CLASSES, start=1)
        ),
        Binding(
            str(len(KNOWN_CLASSES) + 1),
            f"toggle_class('{OTHER_KEY}')",
            "Toggle other classes",
            show=False,
            id="log.class_other",
        ),
        Binding("tab", "switch_pane", "Switch list/detail", show=False, id="log.switch_pane"),
        Binding("v", "cycle_detail", "Detail as JSON/XML", show=False, id="log.detail_view"),
        Binding(
            "less_than_sign",
            f"resize_detail({DETAIL_STEP})",
            "Detail pane larger",
            show=False,
            id="log.detail_larger",
        ),
        Binding(
            "greater_than_sign",
            f"resize_detail({-DETAIL_STEP})",
            "Detail pane smaller",
            show=False,
            id="log.detail_smaller",
        ),
        Binding("z", "maximize_detail", "Maximize/restore detail", show=False, id="log.zoom"),
        Binding("enter", "focus_detail", "Read the event", show=False, id="log.focus_detail"),
    ]

    def __init__(
        self,
        log: CallLog,
        source_kind: str,
        source_detail: str = "",
        *,
        id: str | None = None,
        reading: bool = False,
        marks: Iterable[int] = (),
    ) -> None:
        """``marks``: entries marked before (the same call reloaded in its tab)."""
        super().__init__(id=id)
        self.call_log = log
        self.source_kind = source_kind  # "API", "file", "archive", "stdin"
        self.source_detail = source_detail
        self.rows = GrowingRows(log.entries)
        self.rows.marks.add_all(marks)
        # Saving marks: the newest request wins even if an older thread writes after it.
        self._marks_saved_generation = 0
        self._marks_lock = threading.Lock()
        # Each "your marks are not kept" sentence is said once per tab, not on every mark.
        self._marks_notices: set[str] = set()
        # Put the cursor on the first match once the filter asked for is shown (an archive hit).
        self._cursor_to_first_match = False
        # More entries are coming (add_entries), until finish_loading or load_failed. Not
        # Widget.loading: that one covers the widget with a spinner.
        self.reading = reading
        # Why the log could not be read to the end (the rows read before stay).
        self.load_error: str | None = None
        # The filter asked for (it may still be computed in a thread): what the next toggle
        # starts from. Results of older requests are dropped (their generation is past).
        self._wanted = (self.rows.query, self.rows.hidden_classes, self.rows.module)
        self._filter_generation = 0
        self.searching = False
        self.hide = True
        self.query_error: str | None = None
        self._pending: Timer | None = None
        self._detail_timer: Timer | None = None
        self._detail_shown_at = 0.0
        # z: the detail pane takes the whole body (a big response at 80x24), z again restores.
        self.detail_maximized = False
        # Whether this log, once indexed, was left out of the GC's passes (_freeze_long_lived).
        self._froze = False

    def compose(self) -> ComposeResult:
        rows = self.rows
        yield CallHeader(self.call_log, rows.counts, (rows.start, rows.end), id="call-header")
        with Container(id="log-body"):
            yield EventList(self.rows, id="event-list")
            yield EventDetail(id="event-detail")
        yield FilterBar(id="filter-bar")

    def on_mount(self) -> None:
        # A new tab shows the clock as the others do (Z applies to every tab).
        others = [view for view in self.screen.query(LogView) if view is not self]
        if others:
            self.event_list.utc = others[0].event_list.utc
        self.apply_detail_size()
        self._show_filter_state()
        self._update_status()
        # Build the search texts in the background so the first filter is as fast as the next.
        self._index_in_background()
        if self.call_log.session_id:
            self._load_marks(self.call_log.session_id)

    def _index_in_background(self) -> None:
        """Index the entries not indexed yet, in a thread (one at a time: a later call while
        one runs is covered by the next piece or by finish_loading).

        Not while the log is read: the index thread would take the GIL from the reader and the
        painting (at 1M entries it took the load from ~3 s to ~9). A filter asked for meanwhile
        indexes what it needs itself."""
        if self.reading:
            return
        if any(w.group == "search-index" and w.is_running for w in self.workers):
            return
        if self.rows.indexed < len(self.rows.entries):
            # A file's bytes are held by its entries alone (stdin's by its source too).
            build = partial(self.rows.build_index, compress_input=self.source_kind == "file")
            self.run_worker(build, thread=True, group="search-index")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        indexed = event.worker.group == "search-index" and event.state is WorkerState.SUCCESS
        if indexed and len(self.rows.entries) >= FILTER_IN_THREAD_FROM and not self.reading:
            _freeze_long_lived()
            self._froze = True
            if len(self.rows.entries) >= CENSUS_FROM:
                self._census_in_thread()

    @work(thread=True, exclusive=True, group="search-census", exit_on_error=False)
    def _census_in_thread(self) -> None:
        """Once the index is built: read ahead the numbers of the data keys most entries hold,
        so that the first comparison on one (``revision_id>55000``) is as quick as the next
        (~0.4 s of this thread a key at 1M entries, 12 bytes a value)."""
        worker = get_current_worker()

        def cancelled() -> bool:
            # A filter in its thread goes first: the census waits (between its steps of
            # ~20 ms) until the filter is done, rather than halve its share of the GIL.
            while self.searching and not worker.is_cancelled:
                sleep(CENSUS_PAUSE)
            return worker.is_cancelled

        with suppress(SearchCancelled):
            take_census(self.rows.search_texts(), cancelled)

    def on_unmount(self) -> None:
        if self._froze:
            _thaw_long_lived()

    # ----- a log still loading ------------------------------------------------------------

    def add_entries(self, entries: Sequence[LogEntry]) -> None:
        """The next entries of a log being read (UI thread): appended to the rows; under a
        filter they show once a background filter has covered them."""
        event_list = self.event_list
        keep = event_list.current_entry_index
        self.rows.extend(entries)
        header = self.query_one(CallHeader)
        header.span = (self.rows.start, self.rows.end)
        event_list.rows_added(keep_entry=keep)
        header.set_counts(len(self.rows), len(self.rows.entries))
        if self.rows.stale and not self.searching:
            self._refilter()
        self._update_status()
        self._index_in_background()

    def finish_loading(self, log: CallLog) -> None:
        """The whole log is read: ``log`` holds the entries shown (and what only the end of
        the file told: metadata…); the count is final."""
        missing = log.entries[len(self.rows.entries) :]
        if missing:  # the reader's contract says none; never show less than was read
            self.add_entries(missing)
        # The rows keep the entries they were given (the same ones, in the same order). The
        # reader's store holds them too, a second copy of every column (~20 MB at 1M): the
        # log keeps the rows' one instead when the two hold the very same entries.
        same_as = getattr(self.rows.entries, "same_as", None)
        if same_as is not None and same_as(log.entries):
            self.rows.entries.adopt_plan(log.entries)  # type: ignore[attr-defined]
            log = log.model_copy(update={"entries": self.rows.entries})
        self.call_log = log
        header = self.query_one(CallHeader)
        header.call_log = log
        self.reading = False
        self._drop_marks_past_the_end()
        self._update_status()
        self._index_in_background()

    def load_failed(self, why: str) -> None:
        """Reading stopped: the rows read so far stay, and the header says why."""
        self.reading = False
        self.load_error = why
        self._update_status()
        self._index_in_background()

    def _update_status(self) -> None:
        parts = []
        read = len(self.rows.entries)
        if self.reading:
            parts.append(f"loading… {read:,} entries")
        elif self.load_error is not None:
            parts.append(f"could not read to the end ({read:,} entries read): {self.load_error}")
        if self.searching:
            parts.append("searching…")
        if self.rows.marks:
            parts.append(f"{len(self.rows.marks):,} marked")
        header = self.query_one(CallHeader)
        header.set_status(" · ".join(parts) or None, alert=self.load_error is not None)

    def on_resize(self, event: events.Resize) -> None:
        self.apply_detail_size()  # beside or below the list: width or height

    # ----- detail pane size ---------------------------------------------------------------

    @property
    def _config(self) -> UiConfig | None:
        config = getattr(self.app, "config", None)
        return config if config is not None and hasattr(config, "ui_prefs") else None

    @property
    def detail_size(self) -> int:
        """The detail pane's share in percent, from the config's [ui] table (checked)."""
        config = self._config
        value: Any = config.ui_prefs.get(DETAIL_PREF) if config is not None else None
        if isinstance(value, bool) or not isinstance(value, int):
            return DETAIL_DEFAULT  # absent, or a hand-edited "big": the default, silently
        return max(DETAIL_MIN, min(DETAIL_MAX, value))

    def apply_detail_size(self) -> None:
        detail = self.detail
        size = self.detail_size
        self.event_list.display = not self.detail_maximized
        if self.detail_maximized:
            detail.styles.width = "1fr"
            detail.styles.height = "1fr"
        elif self.app.size.width < NARROW_BELOW:
            detail.styles.width = "1fr"
            detail.styles.height = f"{size}%"
        else:
            detail.styles.width = f"{size}%"
            detail.styles.height = "1fr"

    def action_maximize_detail(self) -> None:
        self.detail_maximized = not self.detail_maximized
        self.apply_detail_size()
        if self.detail_maximized:
            self.screen.set_focus(self.detail)  # j/k, PgUp/PgDn scroll it at once
        else:
            self.focus_list()

    def action_resize_detail(self, step: int) -> None:
        config = self._config
        if config is None:
            return
        size = max(DETAIL_MIN, min(DETAIL_MAX, self.detail_size + step))
        if size == self.detail_size:
            self.notify(f"The detail pane is at its {'largest' if step > 0 else 'smallest'}")
            return
        config.ui_prefs[DETAIL_PREF] = size
        for view in self.screen.query(LogView):  # every tab keeps the same split
            view.apply_detail_size()
        if config.persist:
            self._save_detail_size(size)

    def _save_detail_size(self, size: int) -> None:
        from fuse_tui.core.settings import save_ui_prefs
        from fuse_tui.ui.errors import explain

        try:
            save_ui_prefs(ui={DETAIL_PREF: size})
        except Exception as exc:  # remembering a size must never break the app
            self.notify(f"Pane size not saved: {explain(exc)}", severity="warning", markup=False)

    @property
    def event_list(self) -> EventList:
        return self.query_one(EventList)

    @property
    def detail(self) -> EventDetail:
        return self.query_one(EventDetail)

    @property
    def current_entry(self) -> LogEntry | None:
        return self.event_list.current_entry

    def visible_entries(self) -> list[LogEntry]:
        return [self.rows.entries[i] for i in self.rows.visible]

    def focus_list(self) -> None:
        self.screen.set_focus(self.event_list)

    # ----- events from children -----------------------------------------------------------

    @on(EventList.Highlighted)
    def _show_detail(self, event: EventList.Highlighted) -> None:
        # A single move updates the pane at once; while a key repeats, the pane catches up
        # once the cursor rests, so the list itself never waits for the detail.
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        now = monotonic()
        if now - self._detail_shown_at > DETAIL_REPEAT_WINDOW:
            self._update_detail()
        else:
            self._detail_timer = self.set_timer(DETAIL_REPEAT_WINDOW, self._update_detail)
        self._detail_shown_at = now

    def _update_detail(self) -> None:
        self._detail_timer = None
        entry, detail = self.event_list.current_entry, self.detail
        if (
            entry is not None
            and entry is detail.entry
            and detail.highlight is self.rows.highlight
            and detail.call_start == self.rows.start
        ):
            # Drawn already (a filter that kept the cursor's event): drawing it again laid the
            # screen out once more (~10 ms at 1M entries, on a toggle that has 100).
            return
        detail.show(entry, self.rows.start, query=self.rows.highlight)

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        if self._pending is not None:
            self._pending.stop()
        self._pending = self.set_timer(FILTER_DEBOUNCE, lambda: self.apply_query(event.text))

    @on(FilterBar.Done)
    def _filter_done(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self.apply_query(self.query_one(FilterBar).value)
        self.focus_list()

    # ----- filtering ----------------------------------------------------------------------

    def apply_query(self, text: str) -> bool:
        """Parse and apply ``text``; an invalid query is reported and the old one kept.

        False when ``text`` is refused. On a big log the filter runs in a thread: True then
        means it started, and a query too slow for this log is reported when it gives up.
        """
        try:
            query = Query.parse(text)
        except QueryError as exc:
            self.query_error = str(exc)
            self._show_filter_state()
            self._read_fields_ahead(text)
            return False
        previous = self.rows.highlight
        self.query_error = None
        self.rows.highlight = query
        # Runs the query over every entry: a regex too slow for this log fails there, once.
        return self._refilter(previous, query=query if self.hide else Query())

    def _refilter(
        self,
        previous: Query | None = None,
        *,
        query: Query | None = None,
        hidden_classes: frozenset[str] | set[str] | None = None,
        module: object = KEEP,
    ) -> bool:
        """Show the rows of the filter with these changes; ``previous`` is the highlight to go
        back to when the query fails (too slow)."""
        wanted_query, wanted_hidden, wanted_module = self._wanted
        self._wanted = (
            wanted_query if query is None else query,
            wanted_hidden if hidden_classes is None else frozenset(hidden_classes),
            wanted_module if module is KEEP else module,  # type: ignore[assignment]
        )
        self._filter_generation += 1
        big = self.reading or len(self.rows.entries) >= FILTER_IN_THREAD_FROM
        if big and not self.rows.answers_at_once(*self._wanted):
            self.searching = True
            self._update_status()
            self._filter_in_thread(self._filter_generation, self._wanted, previous)
            return True
        if big and gc.isenabled():
            self._froze = True  # what the toggle froze is given back when the tab goes
        with _list_out_of_gc_passes(big):
            try:
                result = self.rows.filtered(*self._wanted)
            except QueryError as exc:
                self._filter_failed(self._filter_generation, exc, previous)
                return False
            self._filter_ready(self._filter_generation, result)
        return True

    def _read_fields_ahead(self, text: str) -> None:
        """On a big log, read the data fields an unfinished filter names (``revision_id>``)
        while the rest is typed: the first comparison on a key reads its values (~0.4 s at
        1M), the next ones only compare (~20 ms)."""
        if self.reading or len(self.rows.entries) < FILTER_IN_THREAD_FROM:
            return
        if field_names(text):
            self._read_ahead_in_thread(text)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _read_ahead_in_thread(self, text: str) -> None:
        """In the filter's group: the next filter cancels it, and reads on from where it
        stopped (what was read is kept)."""
        worker = get_current_worker()
        with suppress(SearchCancelled):
            read_fields_ahead(self.rows.search_texts(), text, lambda: worker.is_cancelled)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _filter_in_thread(
        self,
        generation: int,
        wanted: tuple[Query, frozenset[str], str | None],
        previous: Query | None,
    ) -> None:
        """A newer request cancels this one (exclusive): its result is then never shown."""
        worker = get_current_worker()
        try:
            result = self.rows.filtered(*wanted)
        except QueryError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._filter_failed, generation, exc, previous)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._filter_ready, generation, result)

    def _filter_ready(self, generation: int, result: Filtered) -> None:
        if generation != self._filter_generation or not self.is_attached:
            return  # a newer filter was asked for since
        keep = self.event_list.current_entry_index
        # The list of rows shown until now is freed once the new rows are painted, not before
        # (1M ints to let go of: ~4 ms of a class toggle).
        self.call_after_refresh(_let_go, self.rows.visible)
        self.rows.show(result)
        self.searching = False
        self.event_list.refresh_rows(keep_entry=keep)
        if self._cursor_to_first_match:
            self._cursor_to_first_match = False
            first = self.rows.find(-1, 1, "match")
            if first is not None:
                self.event_list.cursor = first
        self.query_one(CallHeader).set_counts(len(self.rows), len(self.rows.entries))
        if self.event_list.current_entry is self.detail.entry:
            self.detail.set_query(self.rows.highlight)  # what the filter matched, in the detail
        else:
            # The cursor's new event, in the same frame as the rows: when the Highlighted
            # message came round, the screen was laid out and painted a second time.
            self._update_detail()
        self._show_filter_state()
        self._update_status()
        if self.rows.stale:  # entries came in while it ran: the filter covers them next
            self._refilter()

    def _filter_failed(self, generation: int, exc: QueryError, previous: Query | None) -> None:
        if generation != self._filter_generation or not self.is_attached:
            return
        self._cursor_to_first_match = False
        # The rows shown are still those of the filter before: so are the highlight and the
        # filter asked for.
        if previous is not None:
            self.rows.highlight = previous
        self._wanted = (self.rows.query, self.rows.hidden_classes, self.rows.module)
        self.searching = False
        self.query_error = str(exc)
        self._show_filter_state()
        self._update_status()
        self.notify(str(exc), severity="warning", markup=False)

    def _show_filter_state(self) -> None:
        # In mark mode nothing is hidden, so the header cannot say how many rows match.
        marked = None if self.hide else self.rows.count_marked()
        self.query_one(FilterBar).show_state(
            self.rows.hidden_classes,
            self.rows.module,
            self.hide,
            self.query_error,
            marked,
            len(self.rows.visible),
        )

    # ----- actions ------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one(FilterBar).focus_input()

    def show_query(self, text: str) -> None:
        """Filter by ``text`` as if it had been typed after ``/`` (the filter bar shows it, Esc
        and editing work as usual), then put the cursor on the first event it matches.

        The archive screen opens a hit this way. Its search matches words in lines and data
        values only; this filter also matches class, module and variable names: for bare words
        it is a superset, so the archive's hit is always among the events matched here.
        """
        if not text.strip():
            return
        filter_input = self.query_one(FilterInput)
        with filter_input.prevent(Input.Changed):  # applied below, not again after a debounce
            filter_input.value = text
        filter_input.cursor_position = len(text)
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self._cursor_to_first_match = True
        if not self.apply_query(text):
            self._cursor_to_first_match = False
        self.focus_list()

    def action_toggle_class(self, name: str) -> None:
        if name == OTHER_KEY:
            name = OTHER_CLASSES
        hidden = set(self._wanted[1])
        hidden.symmetric_difference_update({name})
        self._refilter(hidden_classes=hidden)

    def action_toggle_module(self) -> None:
        if self._wanted[2] is not None:
            self._refilter(module=None)
            self.notify("Module filter cleared", timeout=2)
            return
        entry = self.current_entry
        module = entry.event.module_type if entry else None
        if module is None:
            self.notify("The selected event has no module type", severity="warning", timeout=3)
            return
        self._refilter(module=module)

    def action_toggle_hide(self) -> None:
        self.hide = not self.hide
        self._refilter(query=self.rows.highlight if self.hide else Query())
        self.notify(
            "Filter hides non-matching events" if self.hide else "Filter only marks matches",
            timeout=2,
        )

    def action_toggle_time(self) -> None:
        event_list = self.event_list
        event_list.time_mode = event_list.time_mode.next()
        self.notify(f"Time column: {event_list.time_mode.label}", timeout=2)

    def go_to(self, target: Goto) -> None:
        """Move the cursor to the first shown event at or after ``target`` (the last if none)."""
        rows, event_list = self.rows, self.event_list
        if not rows.visible:
            self.notify("No event is shown", timeout=2)
            return
        here = epoch_seconds(rows.entry(event_list.cursor).timestamp)
        if here is None:
            here = epoch_seconds(rows.start)
        if here is None:
            self.notify("This log has no times to go by", severity="warning", timeout=3)
            return
        wanted = target_seconds(target, here, utc=event_list.utc)
        for row in range(len(rows.visible)):
            moment = epoch_seconds(rows.entry(row).timestamp)
            if moment is not None and moment >= wanted:
                event_list.cursor = row
                return
        event_list.cursor = len(rows.visible) - 1
        self.notify("No event that late: at the last one", timeout=2)

    def action_toggle_utc(self) -> None:
        """The clock column in UTC or local time, in every tab (logs are compared across them)."""
        utc = not self.event_list.utc
        for view in self.screen.query(LogView):
            view.event_list.utc = utc
        self.notify(f"Clock column: {'UTC' if utc else 'local time'}", timeout=2)

    def _jump(self, kind: str, step: int) -> None:
        event_list = self.event_list
        try:
            row = self.rows.find(event_list.cursor, step, kind)
            if row is None and kind == "match":
                # n/N go round, as in less and lnav: from the other end, and say so.
                row = self.rows.find(-1 if step > 0 else len(self.rows.visible), step, kind)
                if row is not None:
                    end = "top" if step > 0 else "bottom"
                    self.notify(f"Search wrapped to the {end}", timeout=2)
        except QueryError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        if row is None:
            what = "error" if kind == "error" else "match"
            if kind == "match" and self.rows.highlight.is_empty:
                self.notify("No filter: press / to type one", timeout=3)
            elif kind == "error" and not self.rows.counts.get("error"):
                self.notify("No error in this call log", timeout=3)
            elif kind == "error" and "error" in self.rows.hidden_classes:
                self.notify("Errors are hidden: press 5 to show them", timeout=3)
            else:
                where = "below" if step > 0 else "above"
                self.notify(f"No {what} {where}", timeout=2)
            return
        event_list.cursor = row

    def action_next_match(self, step: int) -> None:
        self._jump("match", step)

    def action_next_error(self, step: int) -> None:
        self._jump("error", step)

    def action_cycle_detail(self) -> None:
        self.detail.action_cycle_view()

    def action_focus_detail(self) -> None:
        """Enter on an event: into its detail (j/k scroll it, tab goes back to the list)."""
        self.screen.set_focus(self.detail)

    def action_switch_pane(self) -> None:
        if self.event_list.has_focus:
            self.screen.set_focus(self.detail)
        else:
            self.focus_list()

    # ----- marks (x, u/U, X) --------------------------------------------------------------

    @property
    def marks(self) -> list[int]:
        """The marked entries' indices, ascending."""
        return self.rows.marks.indices()

    def marked_entries(self) -> list[LogEntry]:
        """The marked entries, in the log's order (the log itself is never changed)."""
        entries = self.rows.entries
        return [entries[i] for i in self.rows.marks if i < len(entries)]

    def action_toggle_mark(self) -> None:
        index = self.event_list.current_entry_index
        if index is None:
            self.notify("No event is shown to mark", timeout=2)
            return
        self.rows.marks.toggle(index)
        self._marks_changed()

    def action_clear_marks(self) -> None:
        cleared = self.rows.marks.clear()
        if not cleared:
            self.notify("No marks to clear in this call", timeout=2)
            return
        self._marks_changed()
        self.notify(f"Cleared {plural(cleared, 'mark')}", timeout=2)

    def action_next_mark(self, step: int) -> None:
        marks, visible = self.rows.marks, self.rows.visible
        if not marks:
            self.notify("No marks: x marks the selected event", timeout=3)
            return
        row = marks.next_row(visible, self.event_list.cursor, step)
        if row is None:
            # Round, as n/N go round the matches: from the other end, and say so.
            row = marks.next_row(visible, -1 if step > 0 else len(visible), step)
            if row is not None:
                self.notify(f"Marks wrapped to the {'top' if step > 0 else 'bottom'}", timeout=2)
        if row is None:
            self.notify("The marked events are all filtered out", timeout=3)
            return
        self.event_list.cursor = row

    def _marks_changed(self) -> None:
        self.event_list.refresh_marks()
        self._update_status()
        session_id = self.call_log.session_id
        if not session_id:
            self._say_once("Marks on this file are kept until you close it: it has no session ID")
            return
        self._marks_saved_generation += 1
        self._save_marks(session_id, self.marks, self._marks_saved_generation)

    def _say_once(self, sentence: str) -> None:
        if sentence not in self._marks_notices:
            self._marks_notices.add(sentence)
            self.notify(sentence, severity="warning", timeout=6, markup=False)

    def _drop_marks_past_the_end(self) -> None:
        """Marks the archive kept for more events than this copy of the call has."""
        if not self.reading:
            self.rows.marks.keep_below(len(self.rows.entries))

    @work(thread=True, group="marks-load", exit_on_error=False)
    def _load_marks(self, session_id: str) -> None:
        service = getattr(self.app, "service", None)
        if service is None:
            return
        saved = service.marks(session_id)
        if saved and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._marks_loaded, saved)

    def _marks_loaded(self, saved: list[int]) -> None:
        if not self.is_attached:
            return
        # Joined to any made while they loaded.
        self.rows.marks.add_all(saved)
        self._drop_marks_past_the_end()
        self.event_list.refresh_marks()
        self._update_status()

    @work(thread=True, exclusive=True, group="marks-save", exit_on_error=False)
    def _save_marks(self, session_id: str, marks: list[int], generation: int) -> None:
        """Off the UI thread (SQLite); under a lock and only if no newer save was asked for,
        so that an older thread finishing late never writes over the newer marks."""
        service = getattr(self.app, "service", None)
        if service is None:
            return
        with self._marks_lock:
            if generation != self._marks_saved_generation:
                return
            why = service.save_marks(session_id, marks)
        if why is not None:
            self.app.call_from_thread(self._say_once, why)


def _freeze_long_lived() -> None:
    """Leave what lives now (a big log's columns and index: lists of 1M items) out of the
    cyclic garbage collector's passes.

    Each full collection walked every item of those lists: ~0.1-0.3 s, landing on whichever
    key or filter allocated at the time. Reference counting still frees them; cycles among
    them wait for :func:`_thaw_long_lived`, called when a log view goes away.
    """
    gc.collect(1)  # the young garbage, not frozen with the rest
    gc.freeze()


def _let_go(_rows: object) -> None:
    """Nothing: ``_rows`` lived until this was called."""


@contextmanager
def _list_out_of_gc_passes(big: bool) -> Iterator[None]:
    """Keep the cyclic GC off the list of rows a filter shows on a big log (a class toggle:
    1M ints).

    The GC walked every item of a new list at its first young collection (~8 ms at 1M), again
    at the next (~9 ms) and at each full one: ~20 ms of a toggle's 100. So it pauses while the
    list is made and shown, then the list is frozen (reference counting frees it when the next
    filter replaces it). The young garbage is collected first, so only what lives is frozen.
    """
    if not big or not gc.isenabled():
        yield
        return
    gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _thaw_long_lived() -> None:
    """Give what was frozen back to the collector (a closed tab's cycles are collected)."""
    gc.unfreeze()
