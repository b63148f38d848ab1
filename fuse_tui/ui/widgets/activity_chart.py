"""Calls and errors over time: two Sparklines (errors in the error colour) and their range.

Fed the archive statistics' calls per hour (``core.archive.stats``); hours are merged so that
one column of the chart is one bucket, the same buckets for both lines, so a red spike sits
under the calls it belongs to. A Sparkline spans its data's lowest to highest value, so each
line's label gives that range: the lowest bar is "2 calls" when no hour had fewer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from fuse_tui.core.archive.stats import HOUR, HourBucket, rebucket

LABEL_WIDTH = 7  # "errors "
PEAK_WIDTH = 20  # "1,234-5,678 per 12h"


def _per(hours: int) -> str:
    if hours % 24 == 0:
        return "day" if hours == 24 else f"{hours // 24}d"
    return "hour" if hours == 1 else f"{hours}h"


class ActivityChart(Vertical):
    """``calls ▁▃█▅ 2-12 per hour`` / ``errors ▁▁▃▁ 0-3 per hour`` / the time range."""

    DEFAULT_CSS = """
    ActivityChart {
        height: auto;
        padding: 0 1;
    }
    ActivityChart > Horizontal {
        height: 1;
    }
    ActivityChart .chart-label {
        width: 7;
        color: $text-muted;
    }
    ActivityChart .chart-peak {
        width: 20;
        padding-left: 1;
        color: $text-muted;
    }
    ActivityChart Sparkline {
        width: 1fr;
        height: 1;
    }
    ActivityChart #chart-errors > .sparkline--max-color {
        color: $error;
    }
    ActivityChart #chart-errors > .sparkline--min-color {
        color: $error 30%;
    }
    ActivityChart #chart-range {
        height: 1;
        padding-left: 7;
        color: $text-muted;
    }
    """

    def __init__(self, when: Callable[[float], str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._when = when  # how the screen writes a moment (its table's dates)
        self.buckets: list[HourBucket] = []
        self.hours_per_bucket = 1
        self._hours: Sequence[HourBucket] = ()
        self._columns = 0  # the Sparkline's width the buckets were made for

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("calls", classes="chart-label")
            yield Sparkline([], id="chart-calls")
            yield Static("", id="chart-calls-peak", classes="chart-peak")
        with Horizontal():
            yield Static("errors", classes="chart-label")
            yield Sparkline([], id="chart-errors")
            yield Static("", id="chart-errors-peak", classes="chart-peak")
        yield Static("", id="chart-range")

    def show(self, hours: Sequence[HourBucket]) -> None:
        """Chart these consecutive hours (none: the chart hides)."""
        self.display = bool(hours)
        self._hours = hours
        if not hours:
            self.buckets = []
            return
        columns = self.query_one("#chart-calls", Sparkline).size.width
        self._columns = columns
        room = columns or max(10, self.size.width - LABEL_WIDTH - PEAK_WIDTH - 2)
        self.hours_per_bucket, self.buckets = rebucket(hours, room)
        per = _per(self.hours_per_bucket)
        calls = [float(bucket.calls) for bucket in self.buckets]
        errors = [float(bucket.errors) for bucket in self.buckets]
        self.query_one("#chart-calls", Sparkline).data = calls
        self.query_one("#chart-errors", Sparkline).data = errors
        for key, values in (("calls", calls), ("errors", errors)):
            scale = f"{min(values):,.0f}-{max(values):,.0f} per {per}"
            self.query_one(f"#chart-{key}-peak", Static).update(
                Text(scale, no_wrap=True, overflow="ellipsis")
            )
        end = hours[-1].start + HOUR
        self.query_one("#chart-range", Static).update(
            Text(f"{self._when(hours[0].start)} → {self._when(end)}", no_wrap=True)
        )

    def on_resize(self) -> None:
        # The buckets were made for the width the chart had (or a guess before layout): one
        # bucket per column again once the Sparkline has its new width, so the label's
        # "per 2h" is what a column shows.
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        columns = self.query_one("#chart-calls", Sparkline).size.width
        if self._hours and columns and columns != self._columns:
            self.show(self._hours)
