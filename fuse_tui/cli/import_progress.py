"""``archive import``'s progress on stderr: a big dump takes seconds (~30 at 1M events), which
a silent terminal leaves unexplained. A bar redrawn in place on a terminal, a line every few
seconds when asked for in a pipe (``--progress lines``), nothing by default in a pipe (the
summary line, as before)."""

from __future__ import annotations

from fuse_tui.cli.progress_line import BAR_WIDTH, ProgressLine
from fuse_tui.core.archive import ImportProgress

MODES = ("auto", "bar", "lines", "none")


class ImportProgressPrinter(ProgressLine):
    """Draws the :class:`ImportProgress` of one file after another (see the module)."""

    PIPED = "none"
    name = ""  # the file's, as shown

    def start(self, name: str) -> None:
        """The next progress is that of the file called ``name`` (shown as is: a caller's
        file name made safe to print)."""
        self.close()
        self.name = name
        self._last = -1e9
        if self.mode == "bar":  # reading a big dump takes seconds before its first batch
            self.redraw(f"reading {name}…")

    def __call__(self, state: ImportProgress) -> None:
        if not self.due(state.finishing):
            return
        if state.finishing:
            counts = f"{state.total:,} events written, indexing…"
        else:
            counts = f"{state.done:,}/{state.total:,} events"
        if self.mode == "lines":
            self.stream.write(f"import {self.name}: {counts}\n")
            self.stream.flush()
            return
        filled = BAR_WIDTH * state.done // state.total if state.total else BAR_WIDTH
        self.redraw(f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts}  {self.name}")

    def close(self) -> None:
        """Take the bar off the screen, for the lines written after it."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
