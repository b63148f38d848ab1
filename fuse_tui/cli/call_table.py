"""The call table of `fuse-tui calls` and of `fuse-tui show` on a saved /api/calls answer.

One layout for both, so a listing reads the same fetched or saved: start, duration, from, to,
type, whether Fuse still has the detailed log, and the session ID last (its width varies).
"""

from __future__ import annotations

from collections.abc import Sequence

from fuse_tui.cli.common import aligned_lines
from fuse_tui.core.model import CallSummary
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp

HEADER = ("START", "DURATION", "FROM", "TO", "TYPE", "LOG", "SESSION ID")


def format_time(epoch: int | None, utc: bool) -> str:
    """``YYYY-MM-DD HH:MM:SS``, local or UTC; ``-`` when unknown, the number when out of range."""
    return format_timestamp(epoch, utc=utc)


def _text(value: object) -> str:
    return "-" if value is None or value == "" else escape_control(str(value))


def call_table_lines(calls: Sequence[CallSummary], *, utc: bool = False) -> list[str]:
    """The header and one aligned line per call (server text escaped like any log content)."""
    rows = [
        (
            format_time(call.start, utc),
            format_duration(call.duration, missing="-"),
            _text(call.src),
            _text(call.dest),
            _text(call.type),
            {True: "yes", False: "no", None: "-"}[call.log],
            _text(call.session_id),
        )
        for call in calls
    ]
    return aligned_lines([HEADER, *rows])
