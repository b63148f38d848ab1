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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, repeat
from typing import Any

__all__ = ["KeyValues", "values_in"]


@dataclass
class KeyValues:
    """One key's values in the ASCII texts ``0 .. covered`` of a list, in text order (a text
    with the key several times, e.g. in a list, has several)."""

    key: str
    covered: int = 0
    index: list[int] = field(default_factory=list)  # the text of each value
    raw: list[str] = field(default_factory=list)  # the value as in the text
    # Made from those when first needed (in C loops), again after the values grew.
    _derived: _Derived | None = None

    @property
    def derived(self) -> _Derived:
        derived = self._derived
        if derived is None:  # two threads may both make it: the same lists
            derived = self._derived = _Derived.of(self.index, self.raw)
        return derived

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
        start = self.covered
        holding = list(
            compress(range(start, stop), map(operator.contains, lowered[start:stop], repeat(probe)))
        )
        holding = list(compress(holding, map(ascii_.__getitem__, holding)))
        lows = list(map(lowered.__getitem__, holding))
        # The usual text holds the key once, as a whole path at a line's start: read in C
        # loops. The others (a dotted path, a list, a key also in a value) one by one.
        line_probe = "\n" + probe
        newline = list(map(str.find, lows, repeat(line_probe)))  # the "\n" before the line
        usual = list(
            map(
                operator.and_,
                map((0).__le__, newline),
                map((1).__eq__, map(str.count, lows, repeat(probe))),
            )
        )
        fast = list(compress(holding, usual))
        fast_newline = list(compress(newline, usual))
        fast_lows = list(compress(lows, usual))
        # Data lines only: the line after the "\n" at ``newline`` is line count("\n") + 1.
        data = list(
            map(
                (data_line - 1).__le__,
                map(str.count, fast_lows, repeat("\n"), repeat(0), fast_newline),
            )
        )
        fast = list(compress(fast, data))
        starts = [at + len(line_probe) for at in compress(fast_newline, data)]
        tails: Iterable[str] = map(
            operator.getitem, map(texts.__getitem__, fast), map(slice, starts, repeat(None))
        )
        values = list(map(operator.itemgetter(0), map(str.partition, tails, repeat("\n"))))
        other_index: list[int] = []
        other_raw: list[str] = []
        for i in compress(holding, map(operator.not_, usual)):
            for value in values_in(lowered[i], texts[i], probe, data_line):
                other_index.append(i)
                other_raw.append(value)
        if other_index:
            pairs = sorted(
                chain(zip(fast, values, strict=True), zip(other_index, other_raw, strict=True)),
                key=operator.itemgetter(0),
            )  # stable: a text's values keep their order
            fast = [i for i, _ in pairs]
            values = [value for _, value in pairs]
        self.index += fast
        self.raw += values
        self._derived = None
        self.covered = stop

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
            derived = self.derived
            first, last = _between(derived.number_index, start, stop)
            hits = list(
                compress(
                    derived.number_index[first:last],
                    map(compare, derived.number[first:last], repeat(number)),
                )
            )
            first, last = _between(derived.other_index, start, stop)
            others = [
                i
                for i, value in zip(
                    derived.other_index[first:last], derived.other[first:last], strict=True
                )
                if holds(value)
            ]
            if others:
                hits = sorted(set(hits).union(others))
            return list(dict.fromkeys(hits))
        first, last = _between(self.index, start, stop)
        if op == ":" and needle:
            found = map(operator.contains, self.derived.low[first:last], repeat(needle))
            return list(dict.fromkeys(compress(self.index[first:last], found)))
        return list(
            dict.fromkeys(
                i
                for i, value in zip(self.index[first:last], self.raw[first:last], strict=True)
                if holds(value)
            )
        )


@dataclass(frozen=True)
class _Derived:
    """What comparisons and substrings read of the values, made in C loops."""

    low: list[str]  # the values lowered (ASCII texts: the same as slices of the lowered text)
    # Values of 15 plain digits or fewer (most numbers), as the floats number_of reads them.
    number_index: list[int]
    number: list[float]
    # The other values, for a comparison: compared one by one.
    other_index: list[int]
    other: list[str]

    @classmethod
    def of(cls, index: list[int], raw: list[str]) -> _Derived:
        # ASCII texts: isdigit is 0-9 only.
        plain = list(map(operator.and_, map(str.isdigit, raw), map((15).__ge__, map(len, raw))))
        others = list(map(operator.not_, plain))
        return cls(
            low=list(map(str.lower, raw)),
            number_index=list(compress(index, plain)),
            number=list(map(float, compress(raw, plain))),
            other_index=list(compress(index, others)),
            other=list(compress(raw, others)),
        )


def values_in(low: str, text: str, probe: str, data_line: int) -> Iterator[str]:
    """The values of the data lines of ``text`` (``low``: lowered, the same offsets) whose path
    is the key of ``probe`` ("key: ") or ends in ".key", in order, as they are found."""
    after = len(probe)
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
        if low.count("\n", 0, line_start) >= data_line:  # a data line, not a fixed one
            end = find("\n", pos)
            yield text[pos + after : end if end >= 0 else len(low)]
        pos = find(probe, pos + 1)


def _between(index: list[int], start: int, stop: int) -> tuple[int, int]:
    """Where the values of texts ``start .. stop`` are in a sorted ``index``."""
    return bisect_left(index, start), bisect_left(index, stop)
