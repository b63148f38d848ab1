"""`archive sync`'s report: the headline in core.sync_summary's words, counts for scripts."""

from __future__ import annotations

import io

from fuse_tui.cli.archive_cmd import _print_sync_report
from fuse_tui.core.sync import SyncFailure, SyncReport
from fuse_tui.core.sync_summary import summarize

START, END = 1_750_000_000, 1_750_086_400


def _printed(report: SyncReport, *, verbose: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = _print_sync_report(out, report, START, END, verbose=verbose)
    return status, out.getvalue().splitlines()


def test_the_headline_says_what_the_calls_browser_says() -> None:
    report = SyncReport(listed=1, fetched=["a"], elapsed=1.25)
    status, lines = _printed(report)
    assert status == 0
    assert lines[0].endswith(f" in 1.2s: 1 call listed; {summarize(report)}")
    assert lines[1:5] == [
        "  fetched:          1",
        "  already archived: 0",
        "  expired:          0",
        "  failed:           0",
    ]
    assert not any("(s)" in line for line in lines)


def test_an_empty_window_is_said_once() -> None:
    status, lines = _printed(SyncReport())
    assert status == 0 and lines[0].endswith(": no calls in this window")


def test_failures_are_listed_and_exit_1() -> None:
    report = SyncReport(listed=2, fetched=["a"])
    report.failed.append(SyncFailure("b\x1b[2J", "server", "Fuse answered 500"))
    status, lines = _printed(report)
    assert status == 1
    assert "2 calls listed; 1 fetched, 0 already archived, 0 expired, 1 failed" in lines[0]
    assert "  failed b\\x1b[2J (server): Fuse answered 500" in lines
    assert lines[-1].startswith("Re-run `fuse-tui archive sync`")
