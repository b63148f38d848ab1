"""What the event list shows: which entries pass the filter, and how their time reads.

Pure Python (no Textual), so it is fast to test and to benchmark. The list keeps indices into
the log's entries, never copies of them; search texts are computed once, on the first filter.
Classes, timestamps and module types are read once into columns (from compact entries without
building a model: ``core.entries``), so counting, the class toggle and time spans stay fast at
1M entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from enum import Enum
from itertools import compress

from fuse_tui.core.kind_column import KindColumn
from fuse_tui.core.model import (
    KNOWN_CLASSES,
    LogEntry,
    entry_kinds,
    entry_module_types,
)
from fuse_tui.core.query import Query, search_text
from fuse_tui.core.stamp_column import StampColumn, stamp_column
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import (
    epoch_seconds,
    format_timestamp,
    raw_text,
    same_unit_span,
    seconds_between,
)
from fuse_tui.ui.marks import Marks


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

    def __init__(self, entries: Sequence[LogEntry]) -> None:
        # Any sequence (compact entries from a reader, a list…), only read as one.
        self.entries: Sequence[LogEntry] = entries
        # Entry indices in ascending order; every entry (a range: no list of 1M ints, ~40 MB)
        # while nothing is filtered.
        self.visible: Sequence[int] = range(len(entries))
        self._search: list[str] | None = None
        self._clock_cache: dict[int, str] = {}
        self._utc_cache: dict[int, str] = {}
        # Columns of what filtering and the time column read, so that neither builds 1M models
        # (compact entries hand them over without building any: core.entries).
        kinds = entry_kinds(entries)
        self._kinds = KindColumn(kinds)  # a byte an entry, not a list's 8
        # 8 bytes an entry, not a list's ~40; compact entries' own column, when they grow with
        # these rows (extend), not a copy of it.
        shared = getattr(entries, "stamp_column", None) is not None
        self._stamps_shared = shared and hasattr(entries, "extend")
        self._stamps = (
            entries.stamp_column(shared=True)  # type: ignore[attr-defined]
            if self._stamps_shared
            else stamp_column(entries)
        )
        self._modules: list[str | None] | None = None  # on the first module filter
        self._kind_codes: _KindCodes | None = None  # on the first class toggle
        self.counts: Counter[str] = Counter(kinds)
        # The raw timestamps of the earliest and latest entry (as read by core.timestamps), and
        # the cells for a timestamp that is no time (shown as its raw number), when there is one.
        self._bounds = self._stamps.bounds()
        self.start, self.end, self.raw_width = _time_span(self._stamps)
        self.query = Query()
        # What is highlighted and what n/N jump to; the same as ``query`` when the filter hides.
        self.highlight = Query()
        self.hidden_classes: frozenset[str] = frozenset()
        self.module: str | None = None
        # Entries a person marked (x), by index: a filter never drops them (ui.marks).
        self.marks = Marks()

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
        new = entries if isinstance(entries, Sequence) else list(entries)
        if not new:
            return
        grow = getattr(self.entries, "extend", None)
        if grow is not None:
            grow(new)
        else:  # a sequence that cannot grow (a tuple): hold a list from now on
            self.entries = [*self.entries, *new]
        kinds = entry_kinds(new)
        self._kinds.extend(kinds)
        new_stamps = stamp_column(new)
        if not self._stamps_shared:  # (a shared column grew with the entries)
            self._stamps.append_all(new_stamps)
        if self._modules is not None:
            self._modules += entry_module_types(new)
        self._kind_codes = None
        self.counts.update(kinds)
        self._search = None
        self._clock_cache.clear()
        self._utc_cache.clear()
        self._bounds = _joined_bounds(self._bounds, new_stamps.bounds())
        low, high = self._bounds or (None, None)
        if low is not None and high is not None and same_unit_span(low, high):
            # What _time_span gives for such a log, without a pass over every entry so far
            # (once per piece of a loading log, that pass made loading quadratic).
            self.start, self.end, self.raw_width = low, high, 0
        else:
            self.start, self.end, self.raw_width = _time_span(self._stamps)
        if not self.filter_active:
            self.visible = range(len(self.entries))
        else:
            self.apply()

    def entry(self, row: int) -> LogEntry:
        return self.entries[self.visible[row]]

    def kind(self, index: int) -> str:
        """The ``kind`` of entry ``index`` (from the column: no model is built)."""
        return self._kinds[index]

    def timestamp(self, index: int) -> int | None:
        """The ``timestamp`` of entry ``index`` (from the column: no model is built)."""
        return self._stamps[index]

    def search_texts(self) -> Sequence[str]:
        if self._search is None:
            from_columns = getattr(self.entries, "search_texts", None)  # core.entries
            if from_columns is not None:
                self._search = list(from_columns())
            else:
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
        hidden = self.hidden_classes
        wanted_module = self.module
        indices: Iterable[int] = range(len(self.entries))
        if hidden:
            indices = self._without_classes(hidden)
        if wanted_module is not None:
            if self._modules is None:
                self._modules = entry_module_types(self.entries)
            modules = self._modules
            indices = [i for i in indices if modules[i] == wanted_module]
        if not self.query.is_empty:
            everything = not hidden and wanted_module is None
            indices = self.query.select(self.search_texts(), None if everything else indices)
        self.visible = indices if isinstance(indices, range) else list(indices)

    def _without_classes(self, hidden: frozenset[str]) -> list[int]:
        """The indices of entries whose class is not hidden (1M entries: a few ms)."""
        if self._kind_codes is None:
            self._kind_codes = _KindCodes.of(self._kinds)
        codes = self._kind_codes
        if codes is None:  # more than 256 classes (hostile input): one by one
            known = KNOWN_CLASSES
            others = OTHER_CLASSES in hidden
            return [
                i
                for i, kind in enumerate(self._kinds)
                if kind not in hidden and not (others and kind not in known)
            ]
        return codes.indices_without(hidden)

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
        ids, error = self._kinds.ids_of("error")
        if predicate == "error" and error is None:
            return None
        while 0 <= row < total:
            entry_index = self.visible[row]
            if predicate == "error":
                if ids[entry_index] == error:
                    return row
            elif texts is not None and query.matches_at(texts, entry_index):
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
        stamp = self._stamps[self.visible[row]]
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
            previous = self._stamps[self.visible[back]]
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


def _joined_bounds(
    old: tuple[int, int] | None, new: tuple[int, int] | None
) -> tuple[int, int] | None:
    if old is None or new is None:
        return old or new
    return min(old[0], new[0]), max(old[1], new[1])


def _time_span(stamps: StampColumn) -> tuple[int | None, int | None, int]:
    """The raw timestamps of the earliest and latest entries that are times, in any unit, and
    the widest cell of those that are not."""
    bounds = stamps.bounds()
    if bounds is None:
        return None, None, 0
    low, high = bounds
    if same_unit_span(low, high):  # the usual log: no per-entry pass
        return low, high, 0
    # Other units or no-time values: compare as times (a slower pass, only for them).
    first: tuple[int, int] | None = None
    last: tuple[int, int] | None = None
    raw_width = 0
    for stamp in stamps.present():
        seconds = epoch_seconds(stamp)
        if seconds is None:
            raw_width = max(raw_width, len(_raw_cell(stamp)))
            continue
        if first is None or seconds < first[0]:
            first = (seconds, stamp)
        if last is None or seconds > last[0]:
            last = (seconds, stamp)
    return (first[1] if first else None), (last[1] if last else None), raw_width


class _KindCodes:
    """Each entry's class as one byte (an index into ``names``), to filter 1M entries in C."""

    def __init__(self, names: list[str], codes: bytes) -> None:
        self.names = names
        self.codes = codes

    @classmethod
    def of(cls, kinds: Sequence[str]) -> _KindCodes | None:
        if isinstance(kinds, KindColumn):
            coded = kinds.codes()
            return None if coded is None else cls(*coded)
        table: dict[str, int] = {}
        for kind in set(kinds):
            table[kind] = len(table)
        if len(table) > 256:
            return None
        return cls(list(table), bytes(map(table.__getitem__, kinds)))

    def indices_without(self, hidden: frozenset[str]) -> list[int]:
        others = OTHER_CLASSES in hidden
        keep = bytes(
            0 if name in hidden or (others and name not in KNOWN_CLASSES) else 1
            for name in self.names
        ).ljust(256, b"\0")
        return list(compress(range(len(self.codes)), self.codes.translate(keep)))
