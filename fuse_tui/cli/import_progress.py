"""``archive import``'s progress on stderr: a big dump takes seconds (~30 at 1M events), which
a silent terminal leaves unexplained. A bar redrawn in place on a terminal, a line every few
seconds when asked for in a pipe (``--progress lines``), nothing by default in a pipe (the
summary line, as before)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from fuse_tui.cli.common import terminal_columns
from fuse_tui.core.archive import ImportProgress

MODES = ("auto", "bar", "lines", "none")
_BAR_WIDTH = 24


class ImportProgressPrinter:
    """Draws the :class:`ImportProgress` of one file after another (see the module)."""

    def __init__(
        self,
        stream: TextIO,
        mode: str,
        clock: Callable[[], float] = time.monotonic,
        columns: int | None = None,
    ) -> None:
        if mode == "auto":
            mode = "bar" if stream.isatty() else "none"
        self.stream = stream
        self.mode = mode
        self.clock = clock
        # A redrawn line must not wrap: "\r" goes back to the start of the last screen line only.
        self.columns = columns or terminal_columns(stream)
        self.name = ""
        self._last = -1e9
        self._drawn = False

    def start(self, name: str) -> None:
        """The next progress is that of the file called ``name`` (shown as is: a caller's
        file name made safe to print)."""
        self.close()
        self.name = name
        self._last = -1e9
        if self.mode == "bar":  # reading a big dump takes seconds before its first batch
            self._draw(f"reading {name}…")

    def _draw(self, line: str) -> None:
        self.stream.write(f"\r{line[: max(1, self.columns - 1)]}\x1b[K")
        self.stream.flush()
        self._drawn = True

    def __call__(self, state: ImportProgress) -> None:
        if self.mode == "none":
            return
        now = self.clock()
        interval = 0.1 if self.mode == "bar" else 2.0
        if not state.finishing and now - self._last < interval:
            return
        self._last = now
        if state.finishing:
            counts = f"{state.total:,} events written, indexing…"
        else:
            counts = f"{state.done:,}/{state.total:,} events"
        if self.mode == "lines":
            self.stream.write(f"import {self.name}: {counts}\n")
            self.stream.flush()
            return
        filled = _BAR_WIDTH * state.done // state.total if state.total else _BAR_WIDTH
        self._draw(f"[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {counts}  {self.name}")

    def close(self) -> None:
        """Take the bar off the screen, for the lines written after it."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
