"""What the event list shows: which entries pass the filter, and how their time reads.

Pure Python (no Textual), so it is fast to test and to benchmark. The list keeps indices into
the log's entries, never copies of them; search texts are computed once, on the first filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import Enum

from fuse_tui.core.model import KNOWN_CLASSES, LogEntry
from fuse_tui.core.query import Query, search_text
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import (
    epoch_seconds,
    format_timestamp,
    raw_text,
    same_unit_span,
    seconds_between,
)


class TimeMode(Enum):
    CLOCK = "clock"
    OFFSET = "offset"
    DELTA = "delta"

    def next(self) -> TimeMode:
        order = list(TimeMode)
        return order[(order.index(self) + 1) % len(order)]

    @property
    def label(self) -> str:
        return {"clock": "local time", "offset": "offset from call start", "delta": "delta"}[
            self.value
        ]


TIME_WIDTH = 8  # "20:46:40", "+9:59:59": wider only for a log that spans ten hours or more


# In ``hidden_classes``: every class but the five known ones ("warning", "transfer"…), toggled
# as one (key 6). A NUL cannot start a class name a user would have to toggle on its own.
OTHER_CLASSES = "\x00other"


class _Keep(Enum):
    """Sentinel: "leave this filter as it is" (None is a real value: no module filter)."""

    KEEP = "keep"


KEEP = _Keep.KEEP


class EventRows:
    """Entries of one call log plus the filtered view over them."""

    def __init__(self, entries: list[LogEntry]) -> None:
        self.entries = entries
        self.visible: list[int] = list(range(len(entries)))
        self._search: list[str] | None = None
        self._clock_cache: dict[int, str] = {}
        self._utc_cache: dict[int, str] = {}
        # One pass for what the header and the time column need (1M entries: one loop, not 3).
        counts: Counter[str] = Counter()
        start: int | None = None
        end: int | None = None
        for entry in entries:
            counts[entry.kind] += 1
            stamp = entry.timestamp
            if stamp is not None:
                if start is None or stamp < start:
                    start = stamp
                if end is None or stamp > end:
                    end = stamp
        # Cells for a timestamp that is no time (shown as its raw number), when there is one.
        self.raw_width = 0
        if start is not None and end is not None and not same_unit_span(start, end):
            # Other units or no-time values: compare as times (a slower pass, only for them).
            start, end, self.raw_width = _time_span(entries)
        self.counts = counts
        # The raw timestamps of the earliest and latest entry (as read by core.timestamps).
        self.start = start
        self.end = end
        self.query = Query()
        # What is highlighted and what n/N jump to; the same as ``query`` when the filter hides.
        self.highlight = Query()
        self.hidden_classes: frozenset[str] = frozenset()
        self.module: str | None = None

    def __len__(self) -> int:
        return len(self.visible)

    @property
    def is_filtered(self) -> bool:
        return len(self.visible) != len(self.entries)

    @property
    def filter_active(self) -> bool:
        return not self.query.is_empty or bool(self.hidden_classes) or self.module is not None

    def extend(self, entries: Iterable[LogEntry]) -> None:
        """Add entries read after the first ones (a dump read progressively).

        Counts, time span and the visible rows follow; the filter applies to the new entries.
        """
        new = list(entries)
        if not new:
            return
        first_new = len(self.entries)
        self.entries.extend(new)
        self._search = None
        self._clock_cache.clear()
        self._utc_cache.clear()
        fresh = EventRows(new)
        self.counts.update(fresh.counts)
        for stamp in (fresh.start, fresh.end):
            if stamp is None:
                continue
            if self.start is None or stamp < self.start:
                self.start = stamp
            if self.end is None or stamp > self.end:
                self.end = stamp
        if (
            self.start is not None
            and self.end is not None
            and not same_unit_span(self.start, self.end)
        ):
            self.start, self.end, self.raw_width = _time_span(self.entries)
        if not self.filter_active:
            self.visible.extend(range(first_new, len(self.entries)))
        else:
            self.apply()

    def entry(self, row: int) -> LogEntry:
        return self.entries[self.visible[row]]

    def search_texts(self) -> list[str]:
        if self._search is None:
            self._search = [search_text(e) for e in self.entries]
        return self._search

    def apply(
        self,
        query: Query | None = None,
        hidden_classes: Iterable[str] | None = None,
        module: str | _Keep | None = KEEP,
    ) -> None:
        """Recompute which entries are visible; unchanged arguments keep their current value."""
        if query is not None:
            self.query = query
        if hidden_classes is not None:
            self.hidden_classes = frozenset(hidden_classes)
        if not isinstance(module, _Keep):
            self.module = module
        entries = self.entries
        hidden = self.hidden_classes
        wanted_module = self.module
        indices: Iterable[int] = range(len(entries))
        if hidden and OTHER_CLASSES in hidden:  # inlined: one pass over up to 1M entries
            known = KNOWN_CLASSES
            indices = [i for i in indices if (k := entries[i].kind) in known and k not in hidden]
        elif hidden:
            indices = [i for i in indices if entries[i].kind not in hidden]
        if wanted_module is not None:
            indices = [i for i in indices if entries[i].event.module_type == wanted_module]
        if not self.query.is_empty:
            everything = not hidden and wanted_module is None
            indices = self.query.select(self.search_texts(), None if everything else indices)
        self.visible = list(indices)

    def count_marked(self) -> int | None:
        """How many visible rows the highlight query marks (None without a query)."""
        query = self.highlight
        if query.is_empty:
            return None
        return len(query.select(self.search_texts(), self.visible))

    def row_of_entry(self, index: int) -> int | None:
        """The visible row showing entry ``index``, or the nearest row after it (None if none)."""
        from bisect import bisect_left

        pos = bisect_left(self.visible, index)
        return pos if pos < len(self.visible) else (len(self.visible) - 1 if self.visible else None)

    def find(self, start_row: int, step: int, predicate: str = "match") -> int | None:
        """The next visible row after ``start_row`` (``step`` ±1) that is a match or an error."""
        row = start_row + step
        total = len(self.visible)
        query = self.highlight
        if predicate == "match" and query.is_empty:
            return None
        texts = self.search_texts() if predicate == "match" else None
        while 0 <= row < total:
            entry_index = self.visible[row]
            if predicate == "error":
                if self.entries[entry_index].is_error:
                    return row
            elif texts is not None and query.matches_text(texts[entry_index]):
                return row
            row += step
        return None

    def time_width(self, mode: TimeMode) -> int:
        """Cells for the time column in ``mode``: room for the longest offset or delta.

        No offset or delta exceeds the log's span (a backwards delta is at most that long too,
        plus its ``-``), so a log of ten hours or more gets "+10:00:00" and beyond without
        shifting the other columns.
        """
        span = None if mode is TimeMode.CLOCK else seconds_between(self.start, self.end)
        spanned = 0 if span is None else len(format_duration(span, sign="+"))
        return max(TIME_WIDTH, spanned, self.raw_width)

    def time_text(self, row: int, mode: TimeMode, *, utc: bool = False) -> str:
        """The time column for visible ``row`` in ``mode``; a value that is no time shows as
        its raw number (core.timestamps decides), a clock going backwards as ``-0:10``."""
        stamp = self.entry(row).timestamp
        if stamp is None:
            return "—"
        if mode is TimeMode.CLOCK:
            cache = self._utc_cache if utc else self._clock_cache
            cached = cache.get(stamp)
            if cached is None:
                seconds = epoch_seconds(stamp)
                cached = (
                    _raw_cell(stamp)
                    if seconds is None
                    else format_timestamp(stamp, "%H:%M:%S", utc=utc)
                )
                cache[stamp] = cached
            return cached
        if epoch_seconds(stamp) is None:
            return _raw_cell(stamp)
        if mode is TimeMode.OFFSET:
            return format_duration(seconds_between(self.start, stamp) or 0, sign="+")
        previous = None
        for back in range(row - 1, max(-1, row - 50), -1):
            previous = self.entry(back).timestamp
            if epoch_seconds(previous) is not None:
                break
            previous = None
        if previous is None:
            return format_duration(0, sign="+")
        return format_duration(seconds_between(previous, stamp) or 0, sign="+")


# A timestamp that is no time shows as its number, cut to this many cells (a 5,000-digit one
# would push the rest of its row off screen).
RAW_WIDTH = 22


def _raw_cell(stamp: int) -> str:
    text = raw_text(stamp)
    return text if len(text) <= RAW_WIDTH else text[: RAW_WIDTH - 1] + "…"


def _time_span(entries: list[LogEntry]) -> tuple[int | None, int | None, int]:
    """The raw timestamps of the earliest and latest entries that are times, in any unit, and
    the widest cell of those that are not."""
    first: tuple[int, int] | None = None
    last: tuple[int, int] | None = None
    raw_width = 0
    for entry in entries:
        stamp = entry.timestamp
        if stamp is None:
            continue
        seconds = epoch_seconds(stamp)
        if seconds is None:
            raw_width = max(raw_width, len(_raw_cell(stamp)))
            continue
        if first is None or seconds < first[0]:
            first = (seconds, stamp)
        if last is None or seconds > last[0]:
            last = (seconds, stamp)
    return (first[1] if first else None), (last[1] if last else None), raw_width
