"""core.sync_summary: one wording of a finished sync for `archive sync` and the calls browser."""

from __future__ import annotations

from fuse_tui.core.sync import SyncFailure, SyncReport
from fuse_tui.core.sync_summary import first_failures, summarize, sync_counts


def _report(failed: int = 0) -> SyncReport:
    report = SyncReport(listed=18, fetched=[f"f{i}" for i in range(12)], already_archived=3)
    report.expired.append(SyncFailure("old", "expired", "gone"))
    report.failed.extend(
        SyncFailure(f"s{i}", "server", f"Fuse answered 500\n\x1b[31mx{i}") for i in range(failed)
    )
    return report


def test_the_summary_is_one_line_of_every_count() -> None:
    assert summarize(_report(2)) == "12 fetched, 3 already archived, 1 expired, 2 failed"
    assert sync_counts(_report(2)) == [
        ("fetched", 12),
        ("already archived", 3),
        ("expired", 1),
        ("failed", 2),
    ]


def test_an_empty_window_says_so() -> None:
    assert summarize(SyncReport()) == "no calls in this window"


def test_large_counts_have_thousands_separators() -> None:
    report = SyncReport(listed=2000, already_archived=1234)
    assert "1,234 already archived" in summarize(report)


def test_the_first_failures_are_quoted_safely_on_one_line() -> None:
    text = first_failures(_report(5), 3)
    assert text.startswith("s0: Fuse answered 500 \\x1b[31mx0; s1: ")
    assert "s2:" in text and "s3:" not in text
    assert text.endswith(" (and 2 more)")
    assert "\n" not in text and "\x1b" not in text


def test_no_failures_no_text_and_all_shown_no_more() -> None:
    assert first_failures(_report(0)) == ""
    assert "more" not in first_failures(_report(2), 3)
    assert first_failures(_report(2), 0) == "2 failed"
