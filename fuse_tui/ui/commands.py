"""Command-palette commands for the main actions (each runs an app action by name), plus the
actions of the screen the palette was opened from (e.g. the calls browser's archive sync)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (action name on the App, title shown in the palette, help line)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("fetch", "Fetch session", "Fetch a call log from the API by session id"),
    ("open_file", "Open file", "Open a JSON, XML or NDJSON dump"),
    ("calls_browser", "Calls browser", "List recent calls and open one's log"),
    ("export", "Export", "Write the shown (filtered) log to JSON, XML, NDJSON or CSV"),
    ("toggle_time", "Toggle time format", "Wall clock ↔ offset from call start ↔ delta"),
    ("copy_event", "Copy event", "Copy the selected event as JSON"),
    ("copy_line", "Copy line", "Copy the selected event's line, control codes escaped"),
    (
        "copy_raw_line",
        "Copy line raw",
        "Copy the selected event's line exactly, escape sequences and all",
    ),
    ("copy_log", "Copy whole log", "Copy the shown (filtered) log as JSON"),
    ("copy_session", "Copy session id", "Copy the session id of the shown log"),
    (
        "copy_event_redacted",
        "Copy event redacted",
        "Copy the selected event as JSON, caller inputs, numbers and e-mails masked",
    ),
    (
        "copy_log_redacted",
        "Copy whole log redacted",
        "Copy the shown (filtered) log as JSON, caller inputs, numbers and e-mails masked",
    ),
    (
        "copy_marked",
        "Copy marked events",
        "Copy only the events marked with x, as a JSON dump of the call",
    ),
    ("messages", "Messages", "The last 50 notifications, with time and severity"),
    ("help", "Help", "Every key, grouped"),
)

# (action name on the current screen, title, help line): offered only on a screen that has it.
SCREEN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "compare",
        "Compare with…",
        "The current call beside another open one: where their paths part, step by step",
    ),
    (
        "story",
        "Call story",
        "What the caller heard and entered, back-end calls, waits and how the call ended",
    ),
    (
        "sync_archive",
        "Sync shown calls to the archive",
        "Archive every call log of the calls browser's window (run again to stop)",
    ),
)


class FuseCommands(Provider):
    """Offers the app's main actions; only the ones the app actually implements are listed."""

    def _available(self) -> list[tuple[str, str, str]]:
        return [c for c in COMMANDS if hasattr(self.app, f"action_{c[0]}")]

    def _commands(self) -> list[tuple[str, str, str, Callable[[], Awaitable[object]]]]:
        """(action, title, help, run) for the app's commands and the current screen's."""
        found: list[tuple[str, str, str, Callable[[], Awaitable[object]]]] = [
            (a, t, h, partial(self._run_app_action, a)) for a, t, h in self._available()
        ]
        screen = self.screen
        for action, title, help_text in SCREEN_COMMANDS:
            if hasattr(screen, f"action_{action}"):
                # Run on that screen, not on the palette (the screen on top while it is open).
                run = partial(self.app.run_action, action, screen)
                found.append((action, title, help_text, run))
        return found

    async def _run_app_action(self, action: str) -> None:
        """The action itself, past ``check_action``: that only hides keys from the footer (e.g.
        Export while no log is open), and a command chosen here must answer, not do nothing."""
        result = getattr(self.app, f"action_{action}")()
        if inspect.isawaitable(result):
            await result

    def _key_hint(self, action: str) -> str:
        """The key bound to ``action`` on the app or the current screen, e.g. `` (ctrl+s)``."""
        wanted = {action, f"app.{action}"}
        # Textual's public view of the keys in effect there (keymap applied, keys an input
        # would swallow left out): the hint names a key that works on that screen now.
        for active in self.screen.active_bindings.values():
            if active.binding.action in wanted:
                return f"  ({self.app.get_key_display(active.binding)})"
        return ""

    def _help(self, action: str, help_text: str) -> str:
        return help_text + self._key_hint(action)

    async def discover(self) -> Hits:
        for action, title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=self._help(action, help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    run,
                    text=title,
                    help=self._help(action, help_text),
                )
