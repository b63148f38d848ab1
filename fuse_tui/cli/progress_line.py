"""One line of progress on a stream, for the commands that take long (``archive sync``,
``archive import``): how often it is drawn, and drawn in place without wrapping."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from fuse_tui.cli.common import terminal_columns

BAR_WIDTH = 24


class ProgressLine:
    """A bar redrawn in place on a terminal (mode ``"bar"``), a plain line every few seconds
    (``"lines"``) or nothing (``"none"``); ``"auto"`` is a bar on a terminal, else
    :attr:`PIPED`, each command's own."""

    PIPED = "lines"

    def __init__(
        self,
        stream: TextIO,
        mode: str,
        clock: Callable[[], float] = time.monotonic,
        columns: int | None = None,
    ) -> None:
        if mode == "auto":
            mode = "bar" if stream.isatty() else self.PIPED
        self.stream = stream
        self.mode = mode
        self.clock = clock
        # A redrawn line must not wrap: "\r" goes back to the start of the last screen line only.
        self.columns = columns or terminal_columns(stream)
        self._last = -1e9
        self._drawn = False

    def due(self, final: bool) -> bool:
        """Whether to draw now: a final state always, else at most every 0.1 s (a bar) or 2 s
        (lines); never in mode "none"."""
        if self.mode == "none":
            return False
        now = self.clock()
        interval = 0.1 if self.mode == "bar" else 2.0
        if not final and now - self._last < interval:
            return False
        self._last = now
        return True

    def redraw(self, line: str) -> None:
        """Draw ``line`` over the one drawn before, cut to the terminal's width."""
        self.stream.write(f"\r{line[: max(1, self.columns - 1)]}\x1b[K")
        self.stream.flush()
        self._drawn = True
