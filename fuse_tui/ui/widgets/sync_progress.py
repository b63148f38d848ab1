"""A one-line progress bar for an archive sync: bar, done/total, rate, ETA, how to stop.

The sync calls :meth:`SyncProgressBar.post` after every call it handles — hundreds of times a
second on a fast server. ``post`` only keeps the latest snapshot; a timer paints it a few times a
second, so progress never floods the screen or slows the sync down.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from fuse_tui.core.sync import SyncProgress

# How often the bar is repainted while a sync runs (seconds).
PAINT_INTERVAL = 0.2


def format_eta(seconds: float | None) -> str:
    """``75`` → ``1:15``, ``3725`` → ``1:02:05``; ``—`` while unknown."""
    if seconds is None:
        return "—"
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def progress_text(progress: SyncProgress, stop_keys: str) -> Text:
    """``12/40 calls · 3.4/s · ETA 0:08 · S/Esc stops`` (plain text, never markup)."""
    text = Text()
    text.append(f"{progress.done:,}/{progress.total:,}", style="bold")
    text.append(" calls")
    if progress.rate > 0:
        text.append(f" · {progress.rate:.1f}/s")
    text.append(f" · ETA {format_eta(progress.eta)}")
    if progress.waiting_for_rate_limit:
        text.append(" · rate limited, waiting", style="bold")
    text.append(f" · {stop_keys} stops", style="dim")
    return text


class SyncProgressBar(Horizontal):
    """Hidden until :meth:`begin`; :meth:`post` from the sync, :meth:`end` when it is over."""

    DEFAULT_CSS = """
    SyncProgressBar {
        height: 1;
        padding: 0 1;
        display: none;
    }
    SyncProgressBar.-running {
        display: block;
    }
    SyncProgressBar #sync-title {
        width: auto;
        padding-right: 1;
        text-style: bold;
    }
    SyncProgressBar ProgressBar {
        width: auto;
    }
    SyncProgressBar ProgressBar Bar {
        width: 20;
    }
    SyncProgressBar #sync-label {
        width: 1fr;
        padding-left: 1;
    }
    """

    def __init__(self, stop_keys: str = "Esc", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stop_keys = stop_keys
        # The newest snapshot the sync posted, and whether it is painted yet.
        self.latest: SyncProgress | None = None
        self._dirty = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Sync", id="sync-title")
        yield ProgressBar(total=None, show_eta=False, id="sync-bar")
        yield Static(id="sync-label")

    @property
    def running(self) -> bool:
        return self.has_class("-running")

    def begin(self, what: str) -> None:
        """Show the bar, indeterminate while the window's calls are listed."""
        self.latest = None
        self._dirty = False
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.query_one("#sync-label", Static).update(
            Text.assemble(f"listing the calls of {what}…", (f" · {self.stop_keys} stops", "dim"))
        )
        self.add_class("-running")
        if self._timer is None:
            self._timer = self.set_interval(PAINT_INTERVAL, self.paint)
        else:
            self._timer.resume()

    def post(self, progress: SyncProgress) -> None:
        """The sync's progress callback: cheap, called often; painting happens on the timer."""
        # A copy: the sync keeps mutating its own object after this returns.
        self.latest = dataclasses.replace(progress)
        self._dirty = True

    def paint(self) -> None:
        if not self._dirty or self.latest is None:
            return
        self._dirty = False
        progress = self.latest
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        self.query_one("#sync-label", Static).update(progress_text(progress, self.stop_keys))

    def end(self) -> None:
        self.paint()
        if self._timer is not None:
            self._timer.pause()
        self.remove_class("-running")
