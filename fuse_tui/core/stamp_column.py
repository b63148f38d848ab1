"""Every entry's raw timestamp held as a column: 8 bytes an entry.

A list of a million timestamps costs ~40 MB (a pointer and an int object each); an ``array``
of int64 costs 8. A timestamp that is no int64 (None, a 5,000-digit number from a hostile
file) is kept apart, by index, its slot in the array holding a mark.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

# The array's mark for "look in the odd ones" (None, numbers beyond int64).
ODD_MARK = -(1 << 63)
_INT64_MIN = ODD_MARK + 1
_INT64_MAX = (1 << 63) - 1


class StampColumn(Sequence[int | None]):
    """Raw timestamps in entry order (``column[i]`` is entry i's, None when it has none)."""

    def __init__(
        self, values: array[int] | None = None, odd: dict[int, int | None] | None = None
    ) -> None:
        # ``values`` and ``odd`` are taken over, not copied: a reader hands over its own copy.
        self._values = values if values is not None else array("q")
        self._odd: dict[int, int | None] = odd if odd is not None else {}

    @classmethod
    def of(cls, stamps: Iterable[int | None]) -> StampColumn:
        column = cls()
        column.append_all(stamps)
        return column

    def append_all(self, stamps: Iterable[int | None]) -> None:
        if isinstance(stamps, StampColumn):
            offset = len(self._values)
            self._values += stamps._values
            for index, stamp in stamps._odd.items():
                self._odd[offset + index] = stamp
            return
        values, odd = self._values, self._odd
        for stamp in stamps:
            if stamp is not None and _INT64_MIN <= stamp <= _INT64_MAX:
                values.append(stamp)
            else:
                odd[len(values)] = stamp
                values.append(ODD_MARK)

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> int | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[int | None]: ...
    def __getitem__(self, index: int | slice) -> int | list[int | None] | None:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        stamp = self._values[index]
        if stamp == ODD_MARK:
            return self._odd[index if index >= 0 else index + len(self._values)]
        return stamp

    def __iter__(self) -> Iterator[int | None]:
        if not self._odd:
            return iter(self._values)
        return (self[i] for i in range(len(self._values)))

    def present(self) -> Iterator[int]:
        """Every timestamp there is (not None), in entry order."""
        for stamp in self:
            if stamp is not None:
                yield stamp

    def bounds(self) -> tuple[int, int] | None:
        """The least and greatest timestamps (None: no entry has one); in C loops when every
        timestamp is an int64 (a few ms at 1M)."""
        values = self._values
        if not self._odd:
            return (min(values), max(values)) if values else None
        present = [stamp for stamp in self._odd.values() if stamp is not None]
        if len(self._odd) < len(values):
            kept = list(filter(ODD_MARK.__ne__, values))
            present += (min(kept), max(kept))
        return (min(present), max(present)) if present else None


def stamp_column(entries: Sequence[object]) -> StampColumn:
    """Every entry's ``timestamp`` as a column (from compact entries' own, without a pass)."""
    own = getattr(entries, "stamp_column", None)  # core.entries.CompactEntries
    if own is not None:
        column: StampColumn = own()
        return column
    return StampColumn.of(getattr(entry, "timestamp", None) for entry in entries)
