"""``fuse-tui archive stats`` output: aligned text for people, a versioned JSON document for
scripts (its keys are documented in README.md, "Archive statistics")."""

from __future__ import annotations

from typing import Any

from fuse_tui.cli.common import aligned_lines, cell
from fuse_tui.core.archive.stats import ArchiveStats, StatsFilter, rebucket
from fuse_tui.core.plural import plural
from fuse_tui.core.timestamps import format_timestamp

JSON_VERSION = 1
# The text histogram is at most this many rows (hours merged when the window is longer) and
# its bars at most this many characters.
TEXT_HISTOGRAM_ROWS = 24
BAR_WIDTH = 40


def _utc(epoch: float | None, fmt: str = "%Y-%m-%d %H:%M:%SZ") -> str:
    return format_timestamp(epoch, fmt, utc=True)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def stats_json(stats: ArchiveStats, filters: StatsFilter) -> dict[str, Any]:
    """The JSON document: an interface, so keys are only ever added (``version`` says so)."""
    return {
        "version": JSON_VERSION,
        "window": {
            "since": filters.since,
            "until": filters.until,
            "number": filters.number,
            "app": filters.app,
            "first_call": stats.first,
            "last_call": stats.last,
        },
        "calls": stats.calls,
        "error_calls": stats.error_calls,
        "error_rate": stats.error_rate,
        "error_groups": stats.error_groups,
        "top_errors": [
            {"pattern": group.pattern, "count": group.count, "example": group.example}
            for group in stats.top_errors
        ],
        "slowest_steps": [
            {
                "module": step.module,
                "variable": step.variable,
                "label": step.label,
                "steps": step.count,
                "median_seconds": step.median,
                "p95_seconds": step.p95,
            }
            for step in stats.slowest_steps
        ],
        "per_hour": [
            {
                "hour": bucket.start,
                "time": _utc(bucket.start),
                "calls": bucket.calls,
                "error_calls": bucket.errors,
            }
            for bucket in stats.per_hour
        ],
        "apps": [
            {"name": app.name, "version": app.version, "calls": app.calls} for app in stats.apps
        ],
    }


# An error line can be kilobytes long (a response body): in the table it would pad every other
# row to its width. The JSON output keeps it whole.
_CELL_CHARS = 80


def _short(value: str) -> str:
    text = cell(value)
    return text if len(text) <= _CELL_CHARS else text[: _CELL_CHARS - 1] + "…"


def stats_lines(stats: ArchiveStats) -> list[str]:
    """The text report, every piece of log content escaped (``cli.common.cell``)."""
    lines = [
        f"{plural(stats.calls, 'call')} from {_utc(stats.first)} to {_utc(stats.last)}",
        f"with errors: {stats.error_calls:,} ({stats.error_rate:.1%})",
    ]
    if stats.top_errors:
        shown = len(stats.top_errors)
        of = f", the {shown} most frequent" if shown < stats.error_groups else ""
        lines += ["", f"Error lines ({plural(stats.error_groups, 'group')}{of}):"]
        rows: list[tuple[str, ...]] = [
            (f"{group.count:,}", _short(group.pattern), f"e.g. {_short(group.example)}")
            if group.example != group.pattern
            else (f"{group.count:,}", _short(group.pattern), "")
            for group in stats.top_errors
        ]
        lines += ["  " + line.rstrip() for line in aligned_lines(rows)]
    if stats.slowest_steps:
        lines += ["", "Slowest steps (median, 95th percentile):"]
        rows = [
            (
                cell(step.label),
                _seconds(step.median),
                _seconds(step.p95),
                plural(step.count, "step"),
            )
            for step in stats.slowest_steps
        ]
        lines += ["  " + line for line in aligned_lines(rows)]
    if stats.per_hour:
        width, buckets = rebucket(stats.per_hour, TEXT_HISTOGRAM_ROWS)
        busiest = max(bucket.calls for bucket in buckets) or 1
        per = "hour" if width == 1 else f"{width} hours"
        lines += ["", f"Calls per {per} (UTC; ! marks calls with errors):"]
        rows = []  # (hour, calls, errors, bar)
        for bucket in buckets:
            bar = round(BAR_WIDTH * bucket.calls / busiest)
            failed = round(BAR_WIDTH * bucket.errors / busiest)
            if bucket.errors and not failed:
                failed = 1
            rows.append(
                (
                    _utc(bucket.start, "%Y-%m-%d %H:%MZ"),
                    f"{bucket.calls:,}",
                    f"{bucket.errors:,} with errors" if bucket.errors else "",
                    "!" * failed + "#" * max(0, bar - failed),
                )
            )
        lines += ["  " + line.rstrip() for line in aligned_lines(rows)]
    if stats.apps:
        lines += ["", "Applications:"]
        rows = [
            (cell(app.name), cell(app.version), plural(app.calls, "call")) for app in stats.apps
        ]
        lines += ["  " + line for line in aligned_lines(rows)]
    return lines
