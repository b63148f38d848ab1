"""What a finished sync did, in words: the one wording for ``archive sync`` and the calls browser.

Both front ends used to count a :class:`~fuse_tui.core.sync.SyncReport` themselves and had begun
to say it differently. They now take the counts, the one-line summary and the quoted failures
from here, so the same sync reads the same in a terminal and in the TUI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fuse_tui.core.textsafe import escape_control

if TYPE_CHECKING:
    from fuse_tui.core.sync import SyncReport

NOTHING_LISTED = "no calls in this window"


def sync_counts(report: SyncReport) -> list[tuple[str, int]]:
    """``[("fetched", 12), ("already archived", 3), ("expired", 1), ("failed", 2)]``."""
    return [
        ("fetched", len(report.fetched)),
        ("already archived", report.already_archived),
        ("expired", len(report.expired)),
        ("failed", len(report.failed)),
    ]


def summarize(report: SyncReport) -> str:
    """``12 fetched, 3 already archived, 1 expired, 2 failed`` (one line, no full stop), or
    ``no calls in this window`` when the listing was empty."""
    if report.listed == 0:
        return NOTHING_LISTED
    return ", ".join(f"{count:,} {label}" for label, count in sync_counts(report))


def first_failures(report: SyncReport, n: int = 3) -> str:
    """The first ``n`` failures as ``ID: reason; ID: reason (and 4 more)`` on one line.

    Reasons quote server answers: control characters are escaped and line breaks folded into
    spaces, so the line stays one line of plain text wherever it is shown. Empty when nothing
    failed.
    """
    shown = report.failed[: max(n, 0)]
    parts = [f"{_one_line(f.session_id)}: {_one_line(f.reason)}" for f in shown]
    text = "; ".join(parts)
    more = len(report.failed) - len(shown)
    if more:
        text += f" (and {more:,} more)" if text else f"{more:,} failed"
    return text


def _one_line(text: str) -> str:
    return escape_control(" ".join(text.split()))
