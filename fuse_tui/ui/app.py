"""The Textual app: wiring only. Screens do the work; this connects them to config and core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from fuse_tui import __version__
from fuse_tui.core.keymap import check_keymap
from fuse_tui.core.model import CallLog, CallSummary
from fuse_tui.core.plural import plural
from fuse_tui.core.service import FuseService
from fuse_tui.core.textsafe import escape_control
from fuse_tui.ui import services
from fuse_tui.ui.commands import FuseCommands
from fuse_tui.ui.config import UiConfig
from fuse_tui.ui.errors import explain
from fuse_tui.ui.history import History
from fuse_tui.ui.message_log import MessageLog
from fuse_tui.ui.osc52 import terminal_writer
from fuse_tui.ui.payloads import entry_json, export_bytes, shown_log
from fuse_tui.ui.screens.main import MainScreen, Source
from fuse_tui.ui.widgets.log_view import LogView


class FuseApp(App[None]):
    TITLE = "fuse-tui"
    SUB_TITLE = f"v{__version__}"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {FuseCommands}
    HELP_TITLE = "General"

    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("M", "messages", "Messages", show=False, id="app.messages"),
    ]

    def __init__(
        self,
        config: UiConfig | None = None,
        sources: Iterable[Source] = (),
        *,
        service: FuseService | None = None,
        pyperclip_module: Any = None,
        osc52_writer: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self.config = config or UiConfig()
        # The one path to Fuse and the archive (settings, client, fetch fallback, sync). Without
        # one (a benchmark, a script): no credentials and no archive, dump files only.
        self.service = service or _offline_service()
        self.sources = list(sources)
        self.history = History(
            self.config.data_dir / "history.json" if self.config.data_dir else None
        )
        # Seams for tests: a fake pyperclip and a recorder of OSC 52 sequences.
        self.pyperclip_module = pyperclip_module
        self.osc52_writer = osc52_writer or terminal_writer(self)  # type: ignore[arg-type]
        self.main = MainScreen(self.service, self.history, self.sources)
        # Every notification, so a toast that vanished can be read again (M).
        self.message_log = MessageLog()
        # A keymap entry with an unknown id or a key another action of its screen has is left
        # out (else e or / would stop working unexplained); on_mount says which and why.
        keymap = check_keymap(self.config.keymap)
        self.keymap_problems = keymap.problems
        if keymap.usable:
            self.set_keymap(keymap.usable)

    def on_mount(self) -> None:
        if self.config.theme and self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(self.main)
        if self.keymap_problems:
            self.notify(
                "\n".join(self.keymap_problems),
                title="Keymap entries not applied",
                severity="warning",
                timeout=15,
                markup=False,
            )

    async def on_unmount(self) -> None:
        await self.service.aclose()

    # ----- an unexpected exception: no traceback with locals on screen ----------------------
    crashed: BaseException | None = None  # the first one; cli/tui.py writes its crash report

    def _handle_exception(self, error: Exception) -> None:
        """Exit non-zero, keeping the error for a private crash report.

        Textual's own handler prints a traceback showing every frame's locals, the developer
        key among them. The bookkeeping below is Textual's (8.x): the return code, and the
        first exception, which ``run_test`` re-raises so that tests still fail on a crash.
        """
        from textual.worker import WorkerFailed

        if self.crashed is None:  # a worker's failure is reported with the worker's traceback
            self.crashed = error.error if isinstance(error, WorkerFailed) else error
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def on_main_screen_ready(self, _message: MainScreen.Ready) -> None:
        self.main_ready()

    def main_ready(self) -> None:
        """The main screen is up (and opening its sources): open the calls browser if asked."""
        if self.config.open_browser:
            self.action_calls_browser()

    def on_main_screen_credentials_wanted(self, message: MainScreen.CredentialsWanted) -> None:
        self.ask_credentials(then=message.then)

    def _theme_changed(self, theme: Any) -> None:
        if not self.config.persist:
            return
        try:
            from fuse_tui.core.settings import save_ui_prefs

            save_ui_prefs(theme=theme.name)
        except Exception as exc:  # remembering a theme must never break the app
            self.notify(f"Theme not saved: {explain(exc)}", severity="warning", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast, also kept in the message log (screens' ``notify`` comes here too)."""
        self.message_log.add(message, severity=severity, title=title, markup=markup)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ----- services for screens ------------------------------------------------------------

    def ask_credentials(self, then: Callable[[], None] | None = None) -> None:
        from fuse_tui.core.settings import config_path
        from fuse_tui.ui.screens.credentials import CredentialsScreen

        def done(result: Any) -> None:
            if result is None:
                # Cancelled. With credentials already in place nothing changed, so say nothing
                # (the screen below stays as it was); without them, say what is missing.
                if not self.service.has_credentials:
                    self.notify("No credentials: fetching needs your Fuse e-mail and developer key")
                return
            from pydantic import SecretStr

            key = result.developer_key
            secret = key if isinstance(key, SecretStr) else SecretStr(key)
            self.service.set_credentials(result.email, secret)
            if result.save and self.config.persist:
                self._save_credentials(result.email, secret)
            if then is not None:
                then()

        where = str(config_path()) if self.config.persist else None
        self.push_screen(CredentialsScreen(self.service.settings.email, where), done)

    def _save_credentials(self, email: str, key: Any) -> None:
        try:
            from fuse_tui.core.settings import config_path, save_credentials

            save_credentials(email, key)
            self.notify(f"Credentials saved to {config_path()}", markup=False)
        except Exception as exc:
            self.notify(f"Credentials not saved: {explain(exc)}", severity="error", markup=False)

    # ----- actions (also called by the command palette) -------------------------------------

    NEEDS_A_LOG = frozenset(
        {
            "copy_event",
            "copy_line",
            "copy_raw_line",
            "copy_log",
            "copy_session",
            "copy_event_redacted",
            "copy_log_redacted",
            "copy_marked",
            "export",
            "toggle_time",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a log are left out of the footer while no log is open."""
        return not (action in self.NEEDS_A_LOG and self.main.is_mounted and self.view is None)

    @property
    def view(self) -> LogView | None:
        return self.main.active_view

    def action_fetch(self) -> None:
        self.main.action_fetch()

    def action_messages(self) -> None:
        from fuse_tui.ui.screens.messages import MessagesScreen

        if isinstance(self.screen, MessagesScreen):
            return
        self.push_screen(MessagesScreen(self.message_log.items()))

    def action_help(self) -> None:
        from fuse_tui.ui.screens.help import HelpScreen, bindings_help

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(bindings_help(self)))  # type: ignore[arg-type]

    def action_calls_browser(self) -> None:
        from fuse_tui.ui.screens.calls_browser import CallsBrowserScreen

        service = self.service
        if not service.has_credentials:
            self.ask_credentials(then=self.action_calls_browser)
            return

        def chosen(session_id: str | None) -> None:
            if session_id:
                listed = {c.session_id: c for c in screen.calls if c.session_id == session_id}
                self.main.request_fetch([session_id], listed)

        def list_calls(start: int, end: int, number: str | None) -> AsyncIterator[CallSummary]:
            return service.list_calls(start, end, number)

        # No archive (--no-archive): no Arch column, and S says archiving is off.
        archive_on = service.archive_path is not None
        screen = CallsBrowserScreen(
            list_calls,
            services.ArchivedIds(service) if archive_on else None,
            sync=(
                lambda start, end, number, progress: service.sync(
                    start, end, number=number, progress=progress
                )
            )
            if archive_on
            else None,
            ask_credentials=lambda then: self.ask_credentials(then=then),
        )
        self.push_screen(screen, chosen)

    def action_archive(self) -> None:
        path = self.service.archive_path
        if path is None:
            self.notify("The archive is off (--no-archive)", severity="warning")
            return
        from fuse_tui.core.archive import Archive
        from fuse_tui.ui.screens.archive import ArchiveChoice, ArchiveScreen

        try:
            archive = Archive.open(path)
        except Exception as exc:
            self.notify(f"Cannot open the archive: {explain(exc)}", severity="error", markup=False)
            return

        def chosen(choice: ArchiveChoice | None) -> None:
            archive.close()
            if choice is not None and choice.session_id:
                self.main.open_archived(choice.session_id, choice.query)

        self.push_screen(ArchiveScreen(archive), chosen)

    def action_open_file(self) -> None:
        from fuse_tui.ui.screens.open_file import OpenFileScreen

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.main.load_source(Source("file", str(path)))

        self.push_screen(OpenFileScreen(Path.cwd()), chosen)

    def action_toggle_time(self) -> None:
        if self.view is not None:
            self.view.action_toggle_time()
        else:  # from the palette: the key is not offered without a log
            self.notify("No call log open: open or fetch one first", timeout=3)

    def _copy(self, text: str | None, what: str, *, note: str = "") -> None:
        """Copy ``text`` and say in one toast where it went and how much (``note`` appended)."""
        from fuse_tui.core.clipboard import copy_text

        if not text:
            self.notify(f"Nothing to copy: no {what}", severity="warning", timeout=3)
            return
        result = copy_text(
            text,
            osc52_writer=self.osc52_writer,
            pyperclip_module=self.pyperclip_module,
            what=f"the {what}",
        )
        ok = result.system or result.osc52
        self.notify(
            result.message + note,
            severity="information" if ok else "error",
            markup=False,
        )

    def action_copy_event(self) -> None:
        # JSON escapes every control and format character (core json_text): a pasted event can
        # never act on a terminal, and nothing is lost, so there is no raw variant.
        entry = self.view.current_entry if self.view else None
        self._copy(entry_json(entry) if entry else None, "event")

    def action_copy_line(self) -> None:
        """The line as the screen shows it: escape sequences as visible ``\\x1b`` text.

        Pasted into a shell or an editor a raw ESC would replay colours, move the cursor or
        rewrite the title; the raw bytes are one explicit key away (``copy_raw_line``).
        """
        entry = self.view.current_entry if self.view else None
        if entry is None:
            self._copy(None, "line")
            return
        line = entry.event.line
        shown = escape_control(line, one_line=False)
        if shown == line:
            self._copy(line, "line")
            return
        self._copy(shown, "escaped line", note=f" — {self._key_for('copy_raw_line')} copies it raw")

    def _key_for(self, action: str) -> str:
        """The key bound to an action as the footer shows it (a keymap may have moved it)."""
        wanted = {action, f"app.{action}"}
        for active in self.active_bindings.values():
            if active.binding.action in wanted:
                return self.get_key_display(active.binding)
        return action

    def action_copy_raw_line(self) -> None:
        """The line's exact text, control characters and all (for a bug report, a replay)."""
        entry = self.view.current_entry if self.view else None
        self._copy(entry.event.line if entry else None, "raw line")

    def action_copy_log(self) -> None:
        view = self.view
        if view is None:
            self._copy(None, "log")
            return
        if self._still_reading(view, "copy"):
            return
        self._copy_log(shown_log(view.call_log, view.visible_entries()))

    def action_copy_marked(self) -> None:
        """The marked events (x) as a JSON dump of the call holding only them."""
        view = self.view
        if view is None:
            self._copy(None, "marked events")
            return
        marked = view.marked_entries()
        if not marked:
            self.notify("No marked event: x marks the selected one", severity="warning", timeout=3)
            return
        self._copy_log(shown_log(view.call_log, marked), plural(len(marked), "marked event"))

    def _still_reading(self, view: LogView, verb: str) -> bool:
        """Refuse to copy or export a log still being read: the part read so far would pass
        for the whole log."""
        if not view.reading:
            return False
        read = len(view.rows.entries)
        self.notify(
            f"Still reading: {read:,} entries so far — {verb} when it is read",
            severity="warning",
            timeout=4,
        )
        return True

    @work(thread=True, group="copy", exclusive=True, exit_on_error=False)
    def _copy_log(self, log: CallLog, what: str = "log") -> None:
        """A whole log can be megabytes of JSON: build and hand it over off the UI thread."""
        text = export_bytes(log, "json").decode("utf-8")
        self.call_from_thread(self._copy, text, what)

    def action_copy_event_redacted(self) -> None:
        """The selected event as JSON, redacted with the tokens the whole log gives it."""
        view = self.view
        index = view.event_list.current_entry_index if view else None
        if view is None or index is None:
            self._copy(None, "event")
            return
        self._copy_redacted(view.call_log, [index], "redacted event")

    def action_copy_log_redacted(self) -> None:
        """The shown (filtered) log as JSON, redacted."""
        view = self.view
        if view is None:
            self._copy(None, "log")
            return
        if self._still_reading(view, "copy"):
            return
        self._copy_redacted(view.call_log, list(view.rows.visible), "redacted log")

    @work(thread=True, group="copy", exclusive=True, exit_on_error=False)
    def _copy_redacted(self, log: CallLog, indices: list[int], what: str) -> None:
        """Redaction reads the whole log (its inputs are masked wherever they recur): off the
        UI thread. A rule that cannot be used copies nothing: never an unredacted copy."""
        try:
            redacted = self._redacted(log, indices)
        except ValueError as exc:
            self.call_from_thread(self._not_redacted, exc)
            return
        if what == "redacted event":
            text = entry_json(redacted.entries[0]) if redacted.entries else None
        else:
            text = export_bytes(redacted, "json").decode("utf-8")
        self.call_from_thread(self._copy, text, what)

    def _redacted(self, log: CallLog, indices: Sequence[int]) -> CallLog:
        """The entries of ``log`` at ``indices`` redacted by the default rules plus the
        config's [redact], with the tokens the whole log gives them; RedactConfigError (a
        ValueError, one sentence) when that table cannot be used. Picked by position: a
        compact log builds a new entry object on each access."""
        from fuse_tui.core.redact import RedactRules, redact_selection

        rules = RedactRules.from_config(self.service.settings.redact)
        return redact_selection(log, indices, rules)

    def _not_redacted(self, exc: Exception) -> None:
        self.notify(f"Nothing was copied or written: {exc}", severity="error", markup=False)

    def action_copy_session(self) -> None:
        self._copy(self.view.call_log.session_id if self.view else None, "session id")

    def action_export(self) -> None:
        view = self.view
        if view is None:
            self.notify("Nothing to export: open a call log first", severity="warning")
            return
        if self._still_reading(view, "export"):
            return
        from fuse_tui.ui.screens.export import ExportScreen

        log = shown_log(view.call_log, view.visible_entries())
        marked = view.marked_entries()
        # Positions in the whole log of what is exported (redaction picks by them).
        shown_rows, marked_rows = list(view.rows.visible), view.marks
        full = view.call_log

        def chosen(request: Any) -> None:
            if request is not None:
                self._remember_export_format(str(request.format))
                redact = bool(getattr(request, "redact", False))
                self._remember_export_redact(redact)
                # A new log of just the marked events (same session ID and meta): the log
                # shown is never changed.
                only_marked = bool(getattr(request, "only_marked", False))
                out = shown_log(full, marked) if only_marked else log
                rows = marked_rows if only_marked else shown_rows
                self._export(
                    out, Path(request.path), str(request.format), full if redact else None, rows
                )

        screen = ExportScreen(
            Path.cwd(),
            view.call_log.session_id,
            count=len(log.entries),
            marked=len(marked),
            source_file=view.call_log.source if view.source_kind == "file" else None,
            initial_format=str(self.config.ui_prefs.get("export_format", "json")),
            initial_redact=self.config.ui_prefs.get("export_redact") is True,
        )
        self.push_screen(screen, chosen)

    def _remember_export_format(self, fmt: str) -> None:
        """The next export offers this format first (``export_format``)."""
        self._remember_ui_pref("export_format", fmt, "Export format", missing=None)

    def _remember_export_redact(self, redact: bool) -> None:
        """The next export offers redaction as it was last chosen (``export_redact``)."""
        self._remember_ui_pref("export_redact", redact, "Redact choice", missing=False)

    def _remember_ui_pref(self, key: str, value: Any, what: str, *, missing: Any) -> None:
        """Keep a choice of the export dialog for this run, and in the config's [ui] table
        when the config is ours to write (``missing``: what an unset preference reads as)."""
        if self.config.ui_prefs.get(key, missing) == value:
            return
        self.config.ui_prefs[key] = value
        if not self.config.persist:
            return
        try:
            from fuse_tui.core.settings import save_ui_prefs

            save_ui_prefs(ui={key: value})
        except Exception as exc:  # a preference must never stop the export itself
            self.notify(f"{what} not remembered: {explain(exc)}", severity="warning", markup=False)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(
        self,
        log: CallLog,
        path: Path,
        fmt: str,
        redact_from: CallLog | None = None,
        rows: Sequence[int] = (),
    ) -> None:
        """Write ``log``; with ``redact_from`` (the whole log ``log`` holds the entries
        ``rows`` of), redacted with the whole log's tokens."""
        from fuse_tui.core.formats import atomic_write

        if redact_from is not None:
            try:
                log = self._redacted(redact_from, rows)
            except ValueError as exc:
                self.call_from_thread(self._not_redacted, exc)
                return
        try:
            atomic_write(path, export_bytes(log, fmt))
        except Exception as exc:
            self.call_from_thread(
                self.notify, f"Export failed: {explain(exc)}", severity="error", markup=False
            )
            return
        self.call_from_thread(
            self.notify,
            f"Exported {plural(len(log.entries), 'event')} as {fmt.upper()}"
            + (" (redacted)" if redact_from is not None else "")
            + f" to {path}",
            markup=False,
        )


def _offline_service() -> FuseService:
    """A service with no credentials and no archive: the app without settings (a benchmark)."""
    from fuse_tui.core.settings import Settings

    return FuseService(Settings(archive_enabled=False))
