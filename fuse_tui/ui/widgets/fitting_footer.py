"""A footer that leaves out its least needed keys rather than cut the last ones in half.

Textual's footer lays every shown key on one line and cuts what does not fit: at 80 columns
that was "q Quit" (the key a newcomer looks for last). This one measures the line first and
drops keys in ``DROP_ORDER`` until it fits; help and quit are never dropped, and every dropped
key is still listed by ? Help and the command palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # private, not exported: textual <9 pinned for it

# Actions as the footer knows them (the binding's action, as written), least needed first.
DROP_ORDER = (
    "toggle_time",
    "app.open_file",
    "app.copy_event",
    "next_error(1)",
    "app.export",
    "app.calls_browser",
    "focus_filter",
)
NEVER_DROPPED = frozenset({"help", "app.help", "quit", "app.quit"})
# What the command palette key takes on the right of a roomy footer (" ^p palette", a border).
PALETTE_CELLS = 14


class FittingFooter(Footer):
    """``Footer`` whose keys always fit in its width, each one whole."""

    # The width the keys were last chosen for: another one on a resize chooses again.
    _composed_width = 0

    def _key_cells(self, key: FooterKey) -> int:
        """Cells one key takes: "k Text" plus a space (compact), " k Text " (roomy)."""
        text = cell_len(key.key_display) + 1 + cell_len(key.description)
        return text + (1 if self.compact else 2)

    def _fitting(self, keys: list[FooterKey], width: int) -> list[FooterKey]:
        if self.show_command_palette:
            width -= PALETTE_CELLS
        kept = list(keys)
        droppable = [*DROP_ORDER, *(k.action for k in reversed(keys))]
        for action in droppable:
            if sum(self._key_cells(k) for k in kept) <= width:
                break
            if action not in NEVER_DROPPED:
                kept = [k for k in kept if k.action != action]
        return kept

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._composed_width = width
        keys = [
            w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")
        ]
        every_key = {id(k) for k in keys}
        kept = {id(k) for k in self._fitting(keys, width)}
        self.styles.grid_size_columns = max(1, len(kept))
        yield from (w for w in widgets if id(w) not in every_key or id(w) in kept)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)

    # The width of each key depends on these two, which the main screen sets on a resize.
    def watch_compact(self) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)

    def watch_show_command_palette(self) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)
