"""Command-palette commands for the main actions (each runs an app action by name)."""

from __future__ import annotations

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
    ("copy_line", "Copy line", "Copy the selected event's line"),
    ("copy_log", "Copy whole log", "Copy the shown (filtered) log as JSON"),
    ("copy_session", "Copy session id", "Copy the session id of the shown log"),
    ("help", "Help", "Every key, grouped"),
)


class FuseCommands(Provider):
    """Offers the app's main actions; only the ones the app actually implements are listed."""

    def _available(self) -> list[tuple[str, str, str]]:
        return [c for c in COMMANDS if hasattr(self.app, f"action_{c[0]}")]

    def _key_hint(self, action: str) -> str:
        """The key bound to ``action`` on the app or the current screen, e.g. `` (ctrl+s)``."""
        wanted = {action, f"app.{action}"}
        for node in (self.screen, self.app):
            for _key, binding in node._bindings:
                if binding.action in wanted:
                    return f"  ({self.app.get_key_display(binding)})"
        return ""

    def _help(self, action: str, help_text: str) -> str:
        return help_text + self._key_hint(action)

    async def discover(self) -> Hits:
        for action, title, help_text in self._available():
            yield DiscoveryHit(
                title,
                partial(self.app.run_action, action),
                help=self._help(action, help_text),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, title, help_text in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    text=title,
                    help=self._help(action, help_text),
                )
