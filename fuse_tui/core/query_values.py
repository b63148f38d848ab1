"""The values of one data field in every ASCII search text of a list, read once and kept, so that
field terms on it (``revision_id>55000``, ``status:200``) compare in C loops, not per text.

A common key is in 300k of 1M texts: finding its lines costs ~1 µs a text in Python, comparing
a kept value ~30 ns in C. The TUI asks again at each keystroke (``revision_id>5``, ``>55``, …).
The values are read as :meth:`fuse_tui.core.query_fields.FieldTerm.values` reads them: a data
line (from the fifth line on) whose path is the key or ends in ``.key``, cut at its first
``": "``.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

__all__ = ["KeyValues"]


@dataclass
class KeyValues:
    """One key's values in the ASCII texts ``0 .. covered`` of a list, in text order (a text
    with the key several times, e.g. in a list, has several)."""

    key: str
    covered: int = 0
    index: list[int] = field(default_factory=list)  # the text of each value
    raw: list[str] = field(default_factory=list)  # the value as in the text
    low: list[str] = field(default_factory=list)  # lowered
    # Values of 15 plain digits or fewer (most numbers), as the floats number_of reads them.
    number_index: list[int] = field(default_factory=list)
    number: list[float] = field(default_factory=list)
    # The other values, for a comparison: compared one by one.
    other_index: list[int] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def extend(
        self,
        texts: Sequence[str],
        lowered: Sequence[str],
        ascii_: Sequence[bool],
        stop: int,
        data_line: int,
    ) -> None:
        """Read the values of texts ``covered .. stop`` (ASCII ones: ``lowered`` has the same
        offsets)."""
        probe = self.key + ": "
        after = len(probe)
        start = self.covered
        holding = compress(
            range(start, stop), map(operator.contains, lowered[start:stop], repeat(probe))
        )
        for i in holding:
            if not ascii_[i]:
                continue
            low = lowered[i]
            find = low.find
            pos = find(probe)
            if pos == 0:  # the class line
                pos = find(probe, 1)
            while pos > 0:
                before = low[pos - 1]
                if before == "\n":
                    line_start = pos  # the key is the whole path: the probe is its first ": "
                elif before == ".":
                    # The key ends a dotted path; the probe must be that line's first ": ".
                    line_start = low.rfind("\n", 0, pos) + 1
                    if find(": ", line_start, pos) >= 0:
                        pos = find(probe, pos + 1)
                        continue
                else:
                    pos = find(probe, pos + 1)
                    continue
                if low.count("\n", 0, line_start) >= data_line:  # a data line
                    end = find("\n", pos)
                    end = end if end >= 0 else len(low)
                    self._add(i, texts[i][pos + after : end], low[pos + after : end])
                pos = find(probe, pos + 1)
        self.covered = stop

    def _add(self, i: int, raw: str, low: str) -> None:
        self.index.append(i)
        self.raw.append(raw)
        self.low.append(low)
        if len(raw) <= 15 and raw.isdigit():  # ASCII: digits are 0-9
            self.number_index.append(i)
            self.number.append(float(raw))
        else:
            self.other_index.append(i)
            self.other.append(raw)

    def holding(
        self,
        start: int,
        stop: int,
        op: str,
        needle: str,
        number: Any,
        holds: Callable[[str], bool],
        compare: Callable[[Any, Any], bool] | None,
    ) -> list[int]:
        """The texts in ``start .. stop`` with a value that ``holds``, in order, once each.

        ``compare``/``number``: a comparison with a float (the plain numbers are compared in
        C); ``needle``: an ASCII substring (op ":"), searched in the lowered values in C."""
        if op != ":" and compare is not None:
            first, last = _between(self.number_index, start, stop)
            hits = list(
                compress(
                    self.number_index[first:last],
                    map(compare, self.number[first:last], repeat(number)),
                )
            )
            first, last = _between(self.other_index, start, stop)
            others = [
                i
                for i, value in zip(
                    self.other_index[first:last], self.other[first:last], strict=True
                )
                if holds(value)
            ]
            if others:
                hits = sorted(set(hits).union(others))
            return list(dict.fromkeys(hits))
        first, last = _between(self.index, start, stop)
        if op == ":" and needle:
            found = map(operator.contains, self.low[first:last], repeat(needle))
            return list(dict.fromkeys(compress(self.index[first:last], found)))
        return list(
            dict.fromkeys(
                i
                for i, value in zip(self.index[first:last], self.raw[first:last], strict=True)
                if holds(value)
            )
        )


def _between(index: list[int], start: int, stop: int) -> tuple[int, int]:
    """Where the values of texts ``start .. stop`` are in a sorted ``index``."""
    return bisect_left(index, start), bisect_left(index, stop)
