"""The sync bar is redrawn with a carriage return: a line wider than the terminal wraps, and
every redraw then leaves the wrapped part behind. It is cut to the terminal's width."""

from __future__ import annotations

import io

from fuse_tui.cli.archive_cmd import ProgressPrinter
from fuse_tui.core.sync import SyncProgress


class NarrowTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_fits_a_narrow_terminal() -> None:
    tty = NarrowTty()
    ticks = iter(range(0, 1000, 5))
    bar = ProgressPrinter(tty, "bar", clock=lambda: float(next(ticks)), columns=40)
    state = SyncProgress(total=500, started=0.0)
    for done in (1, 250, 500):
        state.fetched = done
        state.now = float(done)
        state.waiting_for_rate_limit = done == 250
        bar(state)
    drawn = [part.replace("\x1b[K", "").rstrip("\n") for part in tty.getvalue().split("\r")]
    drawn = [line for line in drawn if line]
    assert len(drawn) == 3
    assert all(len(line) <= 39 for line in drawn), drawn
    assert drawn[-1].startswith("[########################] 500/500")
