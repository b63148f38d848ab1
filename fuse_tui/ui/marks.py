"""Marks a person puts on events of one call (lnav's bookmarks): which entries, and the next one.

Pure Python (no Textual). A mark is an entry's index in the log (its position, as the archive
keeps it: ``FuseService.marks``), never a row of the list, so marks survive any filter: a marked
entry that is filtered out is still marked and shows again with the filter gone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence


class Marks:
    """The marked entries of one log, by index, in order."""

    def __init__(self, indices: Iterable[int] = ()) -> None:
        self._sorted: list[int] = sorted({i for i in indices if i >= 0})

    def __len__(self) -> int:
        return len(self._sorted)

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int):
            return False
        pos = bisect_left(self._sorted, index)
        return pos < len(self._sorted) and self._sorted[pos] == index

    def __iter__(self) -> Iterator[int]:
        return iter(self._sorted)

    def indices(self) -> list[int]:
        """The marked indices, ascending (a copy: safe to hand to a thread)."""
        return list(self._sorted)

    def toggle(self, index: int) -> bool:
        """Mark ``index``, or unmark it if it was marked; True when it is marked now."""
        pos = bisect_left(self._sorted, index)
        if pos < len(self._sorted) and self._sorted[pos] == index:
            del self._sorted[pos]
            return False
        self._sorted.insert(pos, index)
        return True

    def add_all(self, indices: Iterable[int]) -> None:
        """Mark these too (marks loaded from the archive joined to those made meanwhile)."""
        self._sorted = sorted(set(self._sorted).union(i for i in indices if i >= 0))

    def clear(self) -> int:
        """Unmark everything; how many marks there were."""
        count = len(self._sorted)
        self._sorted = []
        return count

    def keep_below(self, count: int) -> None:
        """Drop marks past the log's end (the call changed since they were made)."""
        self._sorted = self._sorted[: bisect_left(self._sorted, count)]

    def next_row(self, visible: Sequence[int], start_row: int, step: int) -> int | None:
        """The visible row of the next marked entry after row ``start_row`` (``step`` ±1), or
        None. ``visible`` holds entry indices in ascending order (EventRows.visible); a row
        index of -1 or ``len(visible)`` starts from an end. Marks, not rows, are walked: a
        million-row list with three marks costs three binary searches."""
        if not self._sorted or not visible:
            return None
        marks = self._sorted
        if step > 0:
            after = visible[start_row] if 0 <= start_row < len(visible) else -1
            if start_row >= len(visible):
                return None
            candidates: Iterable[int] = marks[bisect_right(marks, after) :]
        else:
            if start_row <= 0:
                return None
            before = visible[start_row] if start_row < len(visible) else visible[-1] + 1
            candidates = reversed(marks[: bisect_left(marks, before)])
        for index in candidates:
            row = bisect_left(visible, index)
            if row < len(visible) and visible[row] == index:
                return row
        return None
