"""The main screen: session bar, inline message, one tab per loaded log, footer.

It owns the workers: fetching (async, exclusive — a new fetch cancels the old, Esc cancels)
and file parsing (a thread). Every failure becomes an inline message plus a notification.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from fuse_tui.core.formats import Document, LogsDocument
from fuse_tui.core.formats.progressive import FirstEntries, MoreEntries, read_progressively
from fuse_tui.core.goto import Goto
from fuse_tui.core.model import CallLog, CallSummary, LogEntry
from fuse_tui.core.plural import plural
from fuse_tui.core.service import FetchResult, FuseService
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui.errors import explain
from fuse_tui.ui.history import History
from fuse_tui.ui.widgets.fitting_footer import FittingFooter
from fuse_tui.ui.widgets.log_view import NARROW_BELOW, LogView
from fuse_tui.ui.widgets.session_bar import SessionBar

if TYPE_CHECKING:
    from fuse_tui.core.diff import CallDiff

WELCOME = """\
No call log open.

  Type a session ID above and press Enter to fetch it from Fuse.
  Or press Esc to leave the input, then b to browse recent calls,
  o to open a JSON/XML dump file, ? for every key (: comes back here).
  ctrl+p opens the command palette from anywhere."""


@dataclass(frozen=True)
class Source:
    """Something to open: a dump file, bytes read from stdin, or a session ID to fetch."""

    kind: str  # "file" | "stdin" | "session"
    value: str
    data: bytes | None = None


COMPACT_FOOTER_BELOW = 110


def _host(base_url: str) -> str:
    """``https://fuse.plumvoice.com/api`` → ``fuse.plumvoice.com`` (the port when not default)."""
    rest = base_url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1) :]


class MainScreen(Screen[None]):
    HELP_TITLE = "Main"
    # No focus on return from another screen when none was there before (Esc left the
    # session input): Textual's default would put it back in the input, where b, o, r, K
    # become letters typed over the session ID. on_mount focuses the input for a start.
    # "" switches it off (None would mean the app's default, "*").
    AUTO_FOCUS = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", show=False, id="main.cancel"),
        Binding("colon", "focus_session", "Session ID", show=False, id="main.session"),
        Binding("b", "app.calls_browser", "Calls", id="main.calls_browser"),
        Binding("o", "app.open_file", "Open", id="main.open_file"),
        Binding("a", "app.archive", "Archive", show=False, id="main.archive"),
        Binding("K", "credentials", "Enter credentials", show=False, id="main.credentials"),
        Binding("r", "retry", "Reload or retry", show=False, id="main.retry"),
        Binding("at", "goto", "Go to a time or offset", show=False, id="main.goto"),
        Binding("D", "compare", "Compare with another call", show=False, id="main.compare"),
        Binding("i", "story", "Call story", show=False, id="main.story"),
        Binding("c", "app.copy_event", "Copy event", id="main.copy_event"),
        Binding("y", "app.copy_line", "Copy line", show=False, id="main.copy_line"),
        Binding(
            "Y",
            "app.copy_raw_line",
            "Copy line raw (control codes kept)",
            show=False,
            id="main.copy_raw_line",
        ),
        Binding("C", "app.copy_log", "Copy log", show=False, id="main.copy_log"),
        Binding(
            "R",
            "app.copy_event_redacted",
            "Copy event redacted (for a ticket)",
            show=False,
            id="main.copy_event_redacted",
        ),
        Binding("s", "app.copy_session", "Copy session id", show=False, id="main.copy_session"),
        Binding("ctrl+s", "app.export", "Export", id="main.export"),
        Binding("ctrl+w", "close_tab", "Close tab", show=False, id="main.close_tab"),
        Binding(
            "right_square_bracket", "switch_tab(1)", "Next tab", show=False, id="main.next_tab"
        ),
        Binding(
            "left_square_bracket", "switch_tab(-1)", "Prev tab", show=False, id="main.prev_tab"
        ),
    ]

    class Ready(Message):
        """Posted once the screen is mounted (and opening the sources it was given)."""

    class CredentialsWanted(Message):
        """Fetching needs credentials: ask for them, then call ``then`` (the app owns dialogs)."""

        def __init__(self, then: Callable[[], None] | None) -> None:
            super().__init__()
            self.then = then

    def __init__(
        self, service: FuseService, history: History, sources: Iterable[Source] = ()
    ) -> None:
        super().__init__()
        self._service = service
        self._history = history
        self._sources = list(sources)
        self._tab_ids = itertools.count(1)
        self._session_tabs: dict[str, str] = {}
        self.last_error: str | None = None
        # The tab that was active when the inline message was shown (see _tab_activated).
        self._message_pane: str | None = None
        self.pending_session: str | None = None
        # What the calls browser listed of the calls being fetched (stored with them).
        self._listed: dict[str, CallSummary] = {}

    def compose(self) -> ComposeResult:
        yield SessionBar(self._history.items, id="session-bar")
        yield Static("", id="message")
        yield Static(Text(WELCOME), id="welcome")
        yield TabbedContent(id="tabs")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#message").display = False
        self.query_one(SessionBar).set_loading(False)
        self.query_one(TabbedContent).display = False
        self.query_one("#session-input").focus()
        if self._sources:
            self.open_sources(self._sources)
        self.post_message(self.Ready())

    def on_resize(self, event: events.Resize) -> None:
        # Under ~110 columns the roomy footer drops its last keys, "? Help" among them: the
        # compact one, without the palette key (ctrl+p still works, help names it), keeps it.
        footer = self.query_one(Footer)
        footer.compact = narrow = event.size.width < COMPACT_FOOTER_BELOW
        footer.show_command_palette = not narrow

    # ----- tabs ---------------------------------------------------------------------------

    @property
    def active_view(self) -> LogView | None:
        tabs = self.query_one(TabbedContent)
        pane = tabs.active_pane
        if pane is None:
            return None
        views = pane.query(LogView)
        return views.first() if views else None

    def views(self) -> list[LogView]:
        return list(self.query(LogView))

    async def open_log(
        self, log: CallLog, kind: str, detail: str, *, reading: bool = False
    ) -> LogView:
        """Show ``log`` in a tab (the tab of the same session is reused) and select it;
        ``reading``: more of its entries are coming (LogView.add_entries)."""
        tabs = self.query_one(TabbedContent)
        label = log.session_id or Path(detail).name or detail
        # A call keeps its tab: by session ID, or for a file's log without one, by its path (so
        # `r` reloads a file in place and opening the same file again does not add a tab).
        tab_key = log.session_id or (f"file:{log.source}" if kind == "file" and log.source else "")
        pane_id = self._session_tabs.get(tab_key) if tab_key else None
        reused = pane_id is not None and bool(tabs.query(f"#{pane_id}"))
        # Reloading the call in its tab keeps its marks (a file's too, which has no archive).
        before = tabs.get_pane(pane_id).query(LogView) if reused and pane_id else None
        marks = before.first().marks if before else []
        view = LogView(log, kind, detail, reading=reading, marks=marks)
        if reused and pane_id is not None:
            pane = tabs.get_pane(pane_id)
            await pane.remove_children()
            await pane.mount(view)
        else:
            pane_id = f"log-{next(self._tab_ids)}"
            if tab_key:
                self._session_tabs[tab_key] = pane_id
            await tabs.add_pane(TabPane(Content(escape_control(_short(label))), view, id=pane_id))
        tabs.active = pane_id
        self._tabs_changed()
        view.focus_list()
        self._show_session_of(view)
        self.clear_message()
        return view

    def _tabs_changed(self) -> None:
        self.refresh_bindings()  # copy/export keys appear with the first log
        tabs = self.query_one(TabbedContent)
        count = tabs.tab_count
        tabs.display = count > 0
        tabs.set_class(count <= 1, "-single")
        self.query_one("#welcome").display = count == 0

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        view = self.active_view
        if view is not None:
            self._show_session_of(view)
        # A message is about the tab it was shown over (a failed open, a fetch that fell back
        # to the archive): on another tab it would read as that tab's.
        if self.query_one("#message").display and self._message_pane != self._active_pane():
            self.clear_message()

    def _active_pane(self) -> str | None:
        tabs = self.query_one(TabbedContent)
        return tabs.active or None

    def _show_session_of(self, view: LogView | None) -> None:
        """The session bar tells where the shown log came from; its box holds its session ID.

        Not while a fetch is under way (the box shows what is being fetched) or while the user
        is typing in it.
        """
        bar = self.query_one(SessionBar)
        if view is None:
            bar.set_source("", "")
        else:
            bar.set_source(view.source_kind, view.source_detail)
        typing = self.focused is self.query_one("#session-input")
        fetching = any(w.group == "fetch" and w.is_running for w in self.workers)
        if not fetching and not typing:
            bar.set_value(view.call_log.session_id or "" if view is not None else "")

    def action_switch_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if len(panes) < 2 or tabs.active not in panes:
            return
        tabs.active = panes[(panes.index(tabs.active) + step) % len(panes)]
        view = self.active_view
        if view is not None:
            view.focus_list()
        else:
            # A failed file's tab has nothing to focus; left on the hidden list, focus would
            # move to the next widget of another tab and take the tabs back there.
            self.set_focus(None)

    async def action_close_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active:
            closing = tabs.active
            self._session_tabs = {k: v for k, v in self._session_tabs.items() if v != closing}
            await tabs.remove_pane(closing)
            self._tabs_changed()
            if not tabs.tab_count:  # nothing shown: nothing to name in the session bar
                self._show_session_of(None)
                self.clear_message()

    # ----- messages -----------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Inline message under the session bar plus a notification."""
        self.last_error = message
        self._message_pane = self._active_pane()
        box = self.query_one("#message", Static)
        box.update(Text(escape_control(message, one_line=False)))
        box.display = True
        box.add_class("-error")
        box.remove_class("-info")
        self.notify(escape_control(message), severity="error", timeout=8, markup=False)

    def show_progress(self, message: str) -> None:
        """What is going on and how to stop it, where the error would be (never over one)."""
        if self.last_error is not None:
            return
        box = self.query_one("#message", Static)
        box.update(Text(escape_control(message)))
        box.display = True
        box.remove_class("-error")
        box.add_class("-info")

    def clear_message(self) -> None:
        self.last_error = None
        box = self.query_one("#message", Static)
        box.display = False

    # ----- fetching -----------------------------------------------------------------------

    def action_focus_session(self) -> None:
        self.set_focus(self.query_one("#session-input"))

    def action_fetch(self) -> None:
        """Fetch what the session bar holds (the palette's "Fetch session")."""
        self.request_fetch([self.query_one(SessionBar).value])

    def action_credentials(self) -> None:
        """K: new credentials, then the fetch that needed them again (if one failed)."""
        self.post_message(self.CredentialsWanted(then=self._retry_pending))

    def _retry_pending(self) -> None:
        if self.pending_session:
            self.request_fetch([self.pending_session])

    def _remember_session(self, session_id: str) -> None:
        self._history.add(session_id)
        self.query_one(SessionBar).set_history(self._history.items)

    @on(SessionBar.FetchRequested)
    def _fetch_requested(self, event: SessionBar.FetchRequested) -> None:
        self.request_fetch([event.session_id] if event.session_id else [])

    def request_fetch(
        self, session_ids: list[str], known: Mapping[str, CallSummary] | None = None
    ) -> None:
        """Fetch these sessions (asking for credentials first when there are none).

        ``known``: what the calls browser listed of them (from, to, start…), kept in the archive
        beside the log, as a sync would.
        """
        self._listed = dict(known or {})
        ids = [s.strip() for s in session_ids if s.strip()]
        if not ids:
            self.notify("Type a session ID first (or press b to browse calls)", timeout=4)
            self.action_focus_session()
            return
        if not self._service.has_credentials:
            self.post_message(self.CredentialsWanted(then=lambda: self.request_fetch(ids)))
            return
        self.fetch_sessions(ids)

    @work(exclusive=True, group="fetch", exit_on_error=False)
    async def fetch_sessions(self, session_ids: list[str]) -> None:
        """Fetch each session through the service: a fresh log is archived; when Fuse cannot
        give it, the service's one fallback policy decides between the archived copy and the
        error (after wrong credentials the error, as in the CLI)."""
        service = self._service
        host = _host(service.settings.base_url)
        bar = self.query_one(SessionBar)
        bar.set_loading(True)
        try:
            for session_id in session_ids:
                self.pending_session = session_id
                bar.set_value(session_id)
                # The welcome text stays below: say that something is under way.
                self.show_progress(f"Fetching {session_id} from {host}… Esc cancels.")
                try:
                    result = await service.fetch(session_id, listed=self._listed.get(session_id))
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    self._fetch_failed(session_id, exc)
                    continue
                await self._fetched(session_id, result, host)
        except asyncio.CancelledError:
            again = " — r retries" if self.pending_session else ""
            self.notify(f"Fetch cancelled{again}", timeout=4, markup=False)
            raise
        except Exception as exc:  # anything unexpected: never a traceback
            self._leave_session_input()
            self.show_error(explain(exc))
        finally:
            bar.set_loading(False)

    async def _fetched(self, session_id: str, result: FetchResult, host: str) -> None:
        log = result.fetched.log
        if not log.session_id:
            log.session_id = session_id
        if result.from_archive:
            # Fuse could not give it (expired, unreachable…): the archived copy, and why.
            self._leave_session_input()
            await self.open_log(log, "archive", f"{session_id} (archived copy)")
            self.show_error(f"Showing the archived copy: {result.note}")
            return
        log.source = log.source or "api"
        self._remember_session(session_id)
        self.pending_session = None
        await self.open_log(log, "API", host)
        if result.warning:
            self.notify(escape_control(result.warning), severity="warning", markup=False)

    def action_goto(self) -> None:
        """``@``: a time of the call's day or an offset from the cursor (core.goto)."""
        view = self.active_view
        if view is None:
            self.notify("Open a log first: there is no time to go to", timeout=3)
            return

        from fuse_tui.ui.screens.goto import GotoScreen  # on first use: not before the first paint

        def go(target: Goto | None) -> None:
            if target is not None and view.is_attached:
                view.go_to(target)

        self.app.push_screen(GotoScreen(), go)

    def action_compare(self) -> None:
        """``D``: the current call beside another open one (core.diff); with several, which."""
        current = self.active_view
        others = [view for view in self.views() if view is not current]
        if current is None or not others:
            self.notify(
                "Open two calls to compare them (o opens a file, : fetches a session)", timeout=4
            )
            return
        if len(others) == 1:
            self._compare(current, others[0])
            return

        from fuse_tui.ui.screens.compare import PickCallScreen  # on first use

        def chosen(position: int | None) -> None:
            if position is not None and current.is_attached and others[position].is_attached:
                self._compare(current, others[position])

        self.app.push_screen(PickCallScreen([_call_name(view) for view in others]), chosen)

    def _compare(self, current: LogView, other: LogView) -> None:
        # Said only when it takes a while (two long calls): a quick one just opens.
        self._compare_notice = self.set_timer(
            0.5, lambda: self.notify("Comparing the two calls…", timeout=3)
        )
        self._compare_calls(current, other)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _compare_calls(self, current: LogView, other: LogView) -> None:
        """Off the UI thread: two long calls that differ a lot take seconds to align."""
        from fuse_tui.core.diff import compare_calls  # on first use: not before the first paint

        try:
            diff = compare_calls(current.call_log, other.call_log)
        except Exception as exc:  # never a traceback on screen
            self.app.call_from_thread(self._compare_notice.stop)
            self.app.call_from_thread(self.show_error, explain(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_comparison, current, other, diff)

    def _show_comparison(self, current: LogView, other: LogView, diff: CallDiff) -> None:
        self._compare_notice.stop()
        if not (current.is_attached and other.is_attached):
            return  # a tab closed meanwhile

        def go(entry: int | None) -> None:
            # Enter on a step: to its first event in the current call's list.
            if entry is None or not current.is_attached:
                return
            self._select(current)
            row = current.rows.row_of_entry(entry)
            if row is not None:
                current.event_list.cursor = row

        from fuse_tui.ui.screens.compare import CompareScreen

        screen = CompareScreen(diff, _call_name(current), _call_name(other))
        self.app.push_screen(screen, go)

    def action_story(self) -> None:
        """``i``: the story of the call shown; Enter there puts the cursor on a step's start."""
        view = self.active_view
        if view is None:
            self.notify("Open a log first: there is no call to tell", timeout=3)
            return
        from fuse_tui.ui.screens.story import StoryScreen, story_gap

        def go(entry: int | None) -> None:
            if entry is None or not view.is_attached:
                return
            row = view.rows.row_of_entry(entry)
            if row is None:
                self.notify(
                    "The filter hides every event: clear it (/ then ctrl+u) to see that step",
                    severity="warning",
                    timeout=5,
                )
                return
            view.event_list.cursor = row
            view.focus_list()
            if view.rows.visible[row] != entry:  # never a silent landing somewhere else
                self.notify(
                    "That step's first event is hidden by the filter: "
                    "the cursor is on the nearest event shown",
                    severity="warning",
                    timeout=5,
                )

        self.app.push_screen(StoryScreen(view.call_log, story_gap(self.app)), go)

    def action_retry(self) -> None:
        """`r`: retry a failed fetch; else reload the tab shown — a file is read again, a call
        from Fuse (or the archive) is fetched again."""
        if self.pending_session:
            self.request_fetch([self.pending_session])
            return
        view = self.active_view
        if view is None:
            self.notify("Nothing to reload: open a file (o) or fetch a session (:)", timeout=3)
            return
        log = view.call_log
        if view.source_kind == "file" and log.source:
            self.notify(f"Reloading {Path(log.source).name}", timeout=2)
            self.load_source(Source("file", log.source))
        elif view.source_kind in ("API", "archive") and log.session_id:
            self.request_fetch([log.session_id])
        else:
            self.notify("This tab came from stdin: there is nothing to read again", timeout=3)

    def _leave_session_input(self) -> None:
        """After a failed fetch the keys the message names (K, b, r) must work at once."""
        if self.focused is self.query_one("#session-input"):
            view = self.active_view
            self.set_focus(view.event_list if view is not None else None)

    def _fetch_failed(self, session_id: str, exc: BaseException) -> None:
        self._leave_session_input()
        self.show_error(explain(exc, session_id=session_id))

    @work(group="archive", exit_on_error=False)
    async def open_archived(self, session_id: str, query: str = "") -> None:
        """Open the archived copy of ``session_id`` (chosen in the archive screen), filtered
        by ``query`` (the archive search that found it) with the cursor on its first match.
        A call already open in a tab is shown there, with the query applied to it."""
        view = next((v for v in self.views() if v.call_log.session_id == session_id), None)
        if view is not None:
            self._select(view)
        else:
            found = await asyncio.to_thread(self._service.open_archived, session_id)
            if found is None:
                self.show_error(f"{session_id} is not in the archive any more.")
                return
            log = found.log
            if not log.session_id:
                log.session_id = session_id
            view = await self.open_log(log, "archive", session_id)
        view.show_query(query)

    def action_cancel(self) -> None:
        running = [w for w in self.workers if w.group == "fetch" and w.is_running]
        if running:
            for worker in running:
                worker.cancel()
            self.query_one(SessionBar).set_loading(False)
            if self.last_error is None:
                self.clear_message()  # the "Fetching…" line
            # r (retry), b, o must be keys now, not letters typed over the session ID.
            self._leave_session_input()
            return
        if self.query_one("#message").display:
            self.clear_message()
            return
        view = self.active_view
        if view is not None:
            view.focus_list()
        else:
            # Leave the session input so that the single-letter keys (b, o, ?) work.
            self.set_focus(None)

    # ----- files --------------------------------------------------------------------------

    def open_sources(self, sources: Iterable[Source]) -> None:
        sessions: list[str] = []
        files: list[Source] = []
        for source in sources:
            if source.kind == "session":
                sessions.append(source.value)
            else:
                files.append(source)
        if files:
            self.load_sources(files)
        if sessions:
            self.request_fetch(sessions)

    def load_source(self, source: Source) -> None:
        """Parse a dump off the UI thread, then open one tab per call."""
        self.load_sources([source])

    @work(thread=True, group="files", exit_on_error=False)
    def load_sources(self, sources: list[Source]) -> None:
        """One after the other, so the tabs come in the order given, whatever each costs."""
        for source in sources:
            # Among several, a file that fails keeps a tab saying why: a toast vanishes, and
            # the next file's tab would hide the inline message at once.
            self._load_one(source, keep_failure=len(sources) > 1)

    def _load_one(self, source: Source, *, keep_failure: bool = False) -> None:
        worker = get_current_worker()

        def failed(message: str) -> None:
            if worker.is_cancelled:
                return
            if keep_failure:
                self.app.call_from_thread(self._add_failed_tab, source, message)  # type: ignore[arg-type]
            self.app.call_from_thread(self.show_error, message)

        # One call: its first entries open a tab at once, the rest follow as they are read.
        # Anything else (a many-call dump, a call list) comes whole, in Finished.
        view: LogView | None = None
        provisional = False
        document: Document | None = None
        try:
            pieces = read_progressively(source.value, source.data)
            try:
                for piece in pieces:
                    if worker.is_cancelled:
                        return
                    if isinstance(piece, FirstEntries):
                        provisional = piece.provisional
                        view = self.app.call_from_thread(self._open_first, piece, source)  # type: ignore[arg-type]
                        if view is None:
                            return
                    elif isinstance(piece, MoreEntries):
                        # Each piece as it comes (the reader makes them ~50k entries): held
                        # back, a slow source's rows would wait for its next piece. The call
                        # waits for the UI thread, so a busy UI slows the reader, not memory.
                        if view is not None and not self.app.call_from_thread(
                            self._add_entries, view, piece.entries
                        ):
                            return  # its tab was closed: stop reading
                    else:
                        document = piece.document
            finally:
                close = getattr(pieces, "close", None)
                if close is not None:
                    close()  # a reader stopped early closes its file now
        except Exception as exc:  # ReadError, OSError, anything: a sentence, never a traceback
            if view is None:
                failed(explain(exc))
            elif not worker.is_cancelled:
                # What was read stays on screen, and the tab says it is not the whole file.
                self.app.call_from_thread(self._reading_stopped, view, explain(exc))
            return
        if worker.is_cancelled or document is None:
            return
        if view is not None and provisional and not _one_call(document):
            # Its head looked like one call, the whole file is not: the rows shown make way for
            # what the whole file is (a tab for each call, or a sentence).
            if not self.app.call_from_thread(self._drop_first_rows, view):  # type: ignore[arg-type]
                return  # its tab was closed meanwhile
            view = None
        if view is not None:
            self.app.call_from_thread(self._finish_reading, view, document, source)
            return
        if not isinstance(document, LogsDocument):
            failed(
                f"{source.value}: this is a call list, not a call log — press b to browse calls."
            )
            return
        if not document.logs:
            why = document.problems[0].message if document.problems else "no call in this file"
            failed(f"{source.value}: {why}.")
            return
        self.app.call_from_thread(self._open_document, document, source)  # type: ignore[arg-type]

    async def _open_first(self, piece: FirstEntries, source: Source) -> LogView | None:
        """A tab for the first entries of a call still being read (None if it failed)."""
        # The piece's entries as they are: a compact sequence stays compact in the rows.
        log = CallLog(session_id=piece.session_id, entries=piece.entries)
        try:
            return await self.open_log(log, *self._tab_naming(log, source), reading=True)
        except Exception as exc:  # never a traceback on screen
            self.show_error(explain(exc))
            return None

    def _add_entries(self, view: LogView, entries: Sequence[LogEntry]) -> bool:
        """The next entries of ``view``'s log; False when its tab is gone (reading stops)."""
        if not view.is_attached:
            return False
        view.add_entries(entries)
        return True

    def _finish_reading(self, view: LogView, document: Document, source: Source) -> None:
        if not view.is_attached:
            return
        if not (isinstance(document, LogsDocument) and len(document.logs) == 1):
            # Not what the first entries promised (the reader's contract): never a silent mix.
            self._reading_stopped(view, "the rest of the file is not the same one call")
            return
        log = document.logs[0]
        if not log.source:
            log.source = source.value
        view.finish_loading(log)
        if view is self.active_view:
            self._show_session_of(view)

    async def _drop_first_rows(self, view: LogView) -> bool:
        """Close the tab of the first rows of a file that is not one call after all (see
        ``FirstEntries.provisional``); False when it was closed already."""
        pane = next((a for a in view.ancestors if isinstance(a, TabPane)), None)
        if pane is None or pane.id is None or not view.is_attached:
            return False
        await self.query_one(TabbedContent).remove_pane(pane.id)
        self._tabs_changed()
        return True

    def _reading_stopped(self, view: LogView, why: str) -> None:
        """Reading failed after some entries were shown: they stay, and both the tab's header
        and a message say the file could not be read to the end, and why."""
        if not view.is_attached:
            return
        view.load_failed(why)
        read = len(view.rows.entries)
        name = Path(view.call_log.source or view.source_detail).name or view.source_detail
        message = (
            f"{name or 'stdin'} could not be read to the end ({read:,} entries read, shown): {why}"
        )
        if view is self.active_view:
            self.show_error(message)
        else:
            self.notify(escape_control(message), severity="error", timeout=8, markup=False)

    def _tab_naming(self, log: CallLog, source: Source) -> tuple[str, str]:
        """``(kind, detail)`` of the tab of a log read from ``source`` (its source set)."""
        kind = "stdin" if source.kind == "stdin" else "file"
        if not log.source:
            log.source = source.value
        detail = "" if kind == "stdin" else Path(source.value).name or source.value
        return kind, detail

    async def _add_failed_tab(self, source: Source, message: str) -> None:
        """A tab for a file that could not be opened, saying why (ctrl+w closes it)."""
        tabs = self.query_one(TabbedContent)
        name = "stdin" if source.kind == "stdin" else Path(source.value).name or source.value
        body = Static(Text(escape_control(message, one_line=False)), classes="failed-open")
        label = Content(escape_control(f"✗ {_short(name)}"))
        await tabs.add_pane(TabPane(label, body, id=f"log-{next(self._tab_ids)}"))
        self._tabs_changed()

    async def _open_document(self, document: LogsDocument, source: Source) -> None:
        try:
            await self._open_logs(document, source)
        except Exception as exc:  # never a traceback on screen
            self.show_error(explain(exc))

    async def _open_logs(self, document: LogsDocument, source: Source) -> None:
        views: list[LogView] = []
        for log in document.logs:
            kind, detail = self._tab_naming(log, source)
            if document.kind == "all_logs" and log.session_id:
                detail = f"{detail} · {log.session_id}"
            views.append(await self.open_log(log, kind, detail))
        if len(views) > 1:
            self._select(views[0])  # a dump opens on its first call, as it reads
            self.notify(f"{len(views)} calls opened as tabs", timeout=4)
        if document.problems:
            # Plain text (markup=False): the sentence quotes the dump's own values.
            text = unreadable_calls_text(source.value, document)
            self.notify(text.plain, severity="warning", timeout=10, markup=False)

    def _select(self, view: LogView) -> None:
        """Show the tab holding ``view``."""
        pane = next((a for a in view.ancestors if isinstance(a, TabPane)), None)
        if pane is None or pane.id is None:
            return
        self.query_one(TabbedContent).active = pane.id
        view.focus_list()
        self._show_session_of(view)


def _one_call(document: Document) -> bool:
    return isinstance(document, LogsDocument) and len(document.logs) == 1


def _call_name(view: LogView) -> str:
    """How the compare screen names a tab's call: its session ID, else where it came from."""
    return view.call_log.session_id or view.source_detail or view.source_kind


def unreadable_calls_text(where: str, document: LogsDocument) -> Text:
    """``all.json: 2 calls could not be read (first: call 3 (…): …); the other 5 are open.``

    A ``Text``, never markup: the messages quote session IDs and the dump's own values.
    """
    problems = document.problems
    first = escape_control(problems[0].message)
    return Text(
        f"{escape_control(where)}: {plural(len(problems), 'call')} could not be read "
        f"(first: {first}); the other {len(document.logs)} opened."
    )
