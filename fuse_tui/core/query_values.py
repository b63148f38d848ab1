"""The values of one data field in every ASCII search text of a list, read once and kept, so that
field terms on it (``revision_id>55000``, ``status:200``) compare in C loops, not per text.

A common key is in 300k of 1M texts: finding its lines costs ~1 µs a text in Python, comparing
a kept value ~30 ns in C. The TUI asks again at each keystroke (``revision_id>5``, ``>55``, …).
The values are read as :meth:`fuse_tui.core.query_fields.FieldTerm.values` reads them: a data
line (from the fifth line on) whose path is the key or ends in ``.key``, cut at its first
``": "``.

For a big log the TUI reads ahead, once its search index is built, only the numbers of the keys
most texts hold (:class:`KeyNumbers`, a census: 12 bytes a value in arrays, where the values
themselves take ~100), so that the first comparison on one costs what the next do. A
comparison on another key reads its numbers only, skipping the texts where no number follows
the key (:class:`KeyNumbers` with ``skip_words``): a key of words held by every text
(``module_type>5``) is read ~5x faster than its values; the census keeps those of the common
keys of words too.

They are read from the lowered copy of the texts (a search index's own texts: an ASCII one
lowered), so they are lowered, and never shown: for an ASCII text that changes no answer (a
number reads the same with "e" or "E"; a substring is looked for in the lowered value; a
case-blind pattern lowers each ASCII character it compares).
"""

from __future__ import annotations

import operator
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, islice, repeat
from typing import Any, cast

from fuse_tui.core.query_syntax import NUMBER, SearchCancelled

__all__ = [
    "AsciiFlags",
    "KeyNumbers",
    "KeyValues",
    "all_ascii",
    "common_number_keys",
    "common_word_keys",
    "values_in",
]

# Whether each text of a list is ASCII (truthy) or not, by index: a bytearray of 1 and 0, bools,
# or a dict for some of them; None when every text is.
AsciiFlags = Mapping[int, bool] | Sequence[int] | None


def all_ascii(ascii_: AsciiFlags, part: Sequence[int]) -> bool:
    """Whether every text of ``part`` is ASCII (in C for a step of all the texts: it spares a
    pass that picks the others)."""
    if ascii_ is None:
        return True
    if isinstance(part, range) and part.step == 1 and not isinstance(ascii_, Mapping):
        return 0 not in ascii_[part.start : part.stop]  # False == 0 too
    return all(map(ascii_.__getitem__, part))


# A match's group, called in C loops (mypy cannot pick among its overloads there).
_GROUP = cast("Callable[[Any, int], str]", re.Match.group)
_START = cast("Callable[[re.Match[str]], int]", re.Match.start)
# Plain digits up to this many read as a float as number_of reads them (exact enough to compare).
_FLOAT_DIGITS = 15


@dataclass
class KeyValues:
    """One key's values in the ASCII texts ``0 .. covered`` of a list, in text order (a text
    with the key several times, e.g. in a list, has several)."""

    key: str
    covered: int = 0
    index: list[int] = field(default_factory=list)  # the text of each value
    values: list[str] = field(default_factory=list)  # the value, lowered
    repeated: bool = False  # whether a text has several values (index then repeats)
    # Made from those when a comparison first needs them (in C loops), again after they grew.
    _numbers: _Numbers | None = None

    @property
    def numbers(self) -> _Numbers:
        numbers = self._numbers
        if numbers is None:  # two threads may both make it: the same lists
            numbers = self._numbers = _Numbers.of(self.index, self.values)
        return numbers

    def extend(
        self,
        lowered: list[str],
        ascii_: Sequence[int] | None,
        data_line: int,
        step: int,
        cancelled: Callable[[], bool] | None = None,
        stop: int | None = None,
    ) -> None:
        """Read the values of the ASCII texts from ``covered`` on (to ``stop``, default all),
        from their lowered copy (``ascii_``: :data:`AsciiFlags` of them, covering ``stop``), a
        ``step`` of texts at a time; between steps, raises :class:`SearchCancelled` once
        ``cancelled()`` is true (what was read is kept).

        One C pass over the texts finds those that hold the key's ``"key: "`` (``in``: no
        method call to make); the values of a run of them are read from them joined, with a
        few C calls (:class:`_Joined`), when each holds it once, at the start of a data line.
        A run with another (a dotted path, a list, the key also in a value or in the fixed
        lines) is read by :meth:`_read`: the usual ones in C loops per text, the others one by
        one by :func:`values_in`. No pass but the first touches every text (each touch of 1M
        texts costs ~20 ms in cache misses)."""
        probe = self.key + ": "
        index: list[int] = []
        values: list[str] = []
        end = len(lowered) if stop is None else min(stop, len(lowered))
        try:
            for start in range(self.covered, end, step):
                if cancelled is not None and cancelled():
                    raise SearchCancelled
                part_end = min(end, start + step)
                part = lowered[start:part_end]
                # "in" is a C slot: ~half the cost of str.count's call over the many that do
                # not hold the key. Compressed as it goes: no list of a bool per text (1M
                # texts: ~125 -> ~110 ms).
                holding = list(
                    compress(range(start, part_end), map(operator.contains, part, repeat(probe)))
                )
                del part
                if holding and ascii_ is not None and 0 in ascii_[start:part_end]:
                    holding = list(compress(holding, map(ascii_.__getitem__, holding)))
                # (Picked by index: ~3x quicker than compressing the step's texts again.)
                held = _pick(lowered, holding) if holding else []
                if holding:
                    read_index, read_values = self._read_joined(holding, held, probe, data_line)
                    index += read_index
                    values += read_values
                self.covered = part_end
        finally:
            if index:  # new lists: a reader keeps whole ones
                self.index = self.index + index
                self.values = self.values + values
                self._numbers = None

    def _read_joined(
        self, holding: list[int], held: list[str], probe: str, data_line: int
    ) -> tuple[list[int], list[str]]:
        """The values of the texts ``holding`` (lowered: ``held``, each holding ``probe``),
        and the text of each: :class:`_Joined` a run of texts at a time, :meth:`_read`
        for a run it cannot read."""
        joined = _Joined.of(probe, data_line)
        if joined is None:
            counts = list(map(str.count, held, repeat(probe)))
            return self._read(holding, held, counts, probe, data_line)
        index: list[int] = []
        values: list[str] = []
        for first in range(0, len(held), JOINED_TEXTS):
            texts = held[first : first + JOINED_TEXTS]
            run = holding[first : first + JOINED_TEXTS]
            found = joined.values(texts)
            if found is None:
                counts = list(map(str.count, texts, repeat(probe)))
                once = counts.count(1) == len(counts)
                run, found = self._read(run, texts, None if once else counts, probe, data_line)
            index += run
            values += found
        return index, values

    def _read(
        self,
        holding: list[int],
        held: list[str],
        times: list[int] | None,
        probe: str,
        data_line: int,
    ) -> tuple[list[int], list[str]]:
        """The values of the texts ``holding`` (lowered: ``held``; ``times``: how often each
        holds ``probe``, None when once each), and the text of each."""
        if ": " in self.key:  # the probe may overlap itself: count() misses some
            return self._read_slowly(holding, held, probe, data_line)
        line_probe = "\n" + probe
        at = list(map(str.find, held, repeat(line_probe)))  # the "\n" before the key's line
        # Usual: the probe once, at a line's start.
        if times is None and -1 not in at:
            usual: list[bool] | None = None
            fast, fast_held, fast_at = holding, held, at
        else:
            once = map((-1).__ne__, at)
            usual = list(
                once if times is None else map(operator.and_, map((1).__eq__, times), once)
            )
            fast = list(compress(holding, usual))
            fast_held = list(compress(held, usual))
            fast_at = list(compress(at, usual))
        # ... on a data line: data_line - 1 newlines or more before that "\n".
        lines = list(map(str.count, fast_held, repeat("\n"), repeat(0), fast_at))
        line_value = re.compile(re.escape(line_probe) + "([^\n]*)").match
        if min(lines, default=data_line) >= data_line - 1:
            values = list(map(_GROUP, map(line_value, fast_held, fast_at), repeat(1)))
            if usual is None:
                return fast, values
        else:
            data = list(map(operator.le, repeat(data_line - 1), lines))
            fast = list(compress(fast, data))
            matched = map(line_value, compress(fast_held, data), compress(fast_at, data))
            values = list(map(_GROUP, matched, repeat(1)))
        # The others: those holding the probe once (after a dot, at a fixed line's start, in a
        # value) in C loops too, the rest (a list, the key also in a value) one by one.
        done = set(fast)
        once_each = repeat(True) if times is None else map((1).__eq__, times)
        single: list[tuple[int, str]] = []
        several: list[tuple[int, str]] = []
        for i, low, one in zip(holding, held, once_each, strict=False):  # once_each may repeat
            if i not in done:
                (single if one else several).append((i, low))
        dotted = _read_dotted([i for i, _ in single], [low for _, low in single], probe, data_line)
        slowly = self._read_slowly(
            [i for i, _ in several], [low for _, low in several], probe, data_line
        )
        return _merged((fast, values), dotted, slowly)

    def _read_slowly(
        self, holding: list[int], held: list[str], probe: str, data_line: int
    ) -> tuple[list[int], list[str]]:
        """:meth:`_read` text by text."""
        index: list[int] = []
        values: list[str] = []
        for i, low in zip(holding, held, strict=True):
            before = len(values)
            values.extend(values_in(low, low, probe, data_line))
            index.extend(repeat(i, len(values) - before))
            self.repeated |= len(values) - before > 1
        return index, values

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
            return _compared(self.numbers, self.repeated, start, stop, number, holds, compare)
        index, values = _part(self.index, self.values, start, stop)
        found: Iterable[int]
        if op == ":" and needle:
            found = compress(index, map(operator.contains, values, repeat(needle)))
        else:
            found = (i for i, value in zip(index, values, strict=True) if holds(value))
        return list(dict.fromkeys(found)) if self.repeated else list(found)


# Texts read by one :meth:`_Joined.values` (a few MB joined): a run that holds an odd text is
# read again text by text, so a rare odd text costs a short run, not a whole step.
JOINED_TEXTS = 4096
# Between the texts joined for a search of them all (_holding_match): the "\n" ends the last
# line of a text (a value stops there), the "\x00" keeps the next text's first line from
# reading as the start of a line.
_SEPARATOR = "\n\x00"
# Before each text :class:`_Joined` reads: the "\n" as above, and a character no ASCII text
# holds, so that a text starts where it is and nowhere else (a "\x00" may be in a text).
_TEXT_START = "\n\x80"


@dataclass(frozen=True)
class _Joined:
    """Reads the values of ASCII texts that each hold a key's probe ("key: ") with a few C
    calls over the texts joined, instead of a few per text (each C call on 1M texts costs
    ~50-100 ms): a count and a regex's findall.

    It reads the usual texts only: the probe once in the text, at the start of a data line.
    That is checked for the whole run: the probe is in the joined texts once per text (each
    holds it at least once: the count is no more than the texts), and the findall, which
    reads from each text's start (:data:`_TEXT_START`) past its fixed lines to the first
    data line that starts with the probe, finds as many values. A text whose one probe is
    elsewhere (a fixed line, after a dot, inside a line) has no such line: its find runs on
    into the next text and takes that one's value, so one value is missing. Then each
    text's one value is the one :func:`values_in` reads."""

    probe: str
    # Each text's first data line that starts with the probe: the rest of that line.
    first_values: Callable[[str], list[str]]

    @classmethod
    def of(cls, probe: str, data_line: int) -> _Joined | None:
        """None for a key that may overlap itself (": " in it) or that no ASCII text holds
        (then the texts are read one by one)."""
        key = probe[: -len(": ")]
        if ": " in key or "\n" in key or not key.isascii():
            return None
        # From a text's start: its line 0, its other fixed lines, then data lines up to the
        # first that starts with the probe. Each line is taken whole (possessive): no
        # backtracking into a line.
        fixed = r"\n[^\n]*+" * max(0, data_line - 1)
        pattern = (
            re.escape(_TEXT_START)
            + r"[^\n]*+"
            + fixed
            + r"(?:\n[^\n]*+)*?\n"
            + re.escape(probe)
            + r"([^\n]*+)"
        )
        return cls(probe, re.compile(pattern).findall)

    def values(self, texts: list[str]) -> list[str] | None:
        """The value of each of ``texts`` (ASCII, lowered, each holding the probe), or None
        when one of them is not a usual text."""
        joined = _TEXT_START.join(["", *texts])  # a text start before each text
        if joined.count(self.probe) != len(texts):
            return None
        found = self.first_values(joined)
        return found if len(found) == len(texts) else None


@dataclass(frozen=True)
class _Numbers:
    """What comparisons read of the values, made in C loops."""

    # Values of 15 plain digits or fewer (most numbers), as the floats number_of reads them
    # (lists, or compact arrays in a census: KeyNumbers).
    number_index: Sequence[int]
    number: Sequence[float]
    # The other values that may be numbers (:data:`_A_NUMBER`), compared one by one.
    other_index: list[int]
    other: list[str]
    # Of those, the ones number_of reads as a float (15 characters or fewer once stripped:
    # "12.50", "1e3"), read so in C and taken out of ``other``.
    parsed_index: Sequence[int] = ()
    parsed: Sequence[float] = ()

    @property
    def count(self) -> int:
        """How many values are numbers (or may be: ``other``)."""
        return len(self.number_index) + len(self.parsed_index) + len(self.other_index)

    @classmethod
    def of(cls, index: list[int], values: list[str]) -> _Numbers:
        # ASCII texts: isdigit is 0-9 only. Most often every value is plain: one match of
        # them joined (a value of a line holds no "\n"); the lists are never changed in
        # place: shared.
        lines = "\n".join(values)
        if _PLAIN_LINES.fullmatch(lines):
            return cls(index, _plain_floats(values), [], [])
        if _NUMBER_LINE.search(lines) is None:  # words: none compares true
            return cls([], [], [], [])
        del lines
        plain = list(
            map(
                operator.and_,
                map(str.isdigit, values),
                map(_FLOAT_DIGITS.__ge__, map(len, values)),
            )
        )
        others = list(map(operator.not_, plain))
        other_index = list(compress(index, others))
        other = list(compress(values, others))
        # A value that is no number never compares true (number_of: None): not kept. Most
        # often none of them is one (words: "prompt"), found by one search of them joined.
        if other and _NUMBER_LINE.search("\n".join(other)) is None:
            other_index, other = [], []
        elif other:
            numeric = list(map(bool, map(_A_NUMBER.fullmatch, other)))
            other_index = list(compress(other_index, numeric))
            other = list(compress(other, numeric))
        stripped = list(map(str.strip, other))
        short = list(map(_FLOAT_DIGITS.__ge__, map(len, stripped)))
        long = list(map(operator.not_, short))
        return cls(
            number_index=list(compress(index, plain)),
            number=_plain_floats(compress(values, plain)),
            other_index=list(compress(other_index, long)),
            other=list(compress(other, long)),
            parsed_index=list(compress(other_index, short)),
            # As number_of reads them; 8 bytes a value, as the strings' list took.
            parsed=array("d", map(float, compress(stripped, short))),
        )


def _plain_floats(values: Iterable[str]) -> list[float]:
    """The floats of plain values (up to :data:`_FLOAT_DIGITS` digits: exact as floats), as
    ``float`` reads them, read as integers first: ~2x quicker than ``float`` of a text."""
    return list(map(float, map(int, values)))


# Values joined by "\n" (a value of a data line holds none), each of 1 to _FLOAT_DIGITS digits.
_PLAIN_LINES = re.compile(rf"[0-9]{{1,{_FLOAT_DIGITS}}}+(?:\n[0-9]{{1,{_FLOAT_DIGITS}}}+)*+")
# What number_of reads as a number: NUMBER after str.strip() (which takes off what \s matches);
# of values joined by "\n", one that is a number is a line that _NUMBER_LINE finds.
_A_NUMBER = re.compile(rf"\s*(?:{NUMBER.pattern})\s*")
_NUMBER_LINE = re.compile(rf"^[^\S\n]*(?:{NUMBER.pattern})[^\S\n]*$", re.MULTILINE)


def _read_dotted(
    holding: list[int], held: list[str], probe: str, data_line: int
) -> tuple[list[int], list[str]]:
    """:func:`values_in` of texts that hold ``probe`` once, not at a line's start, in C loops:
    the one value is there when the probe ends a dotted path (after a ".", with no ": "
    before it on its line) on a data line."""
    dot = list(map(str.find, held, repeat("." + probe)))
    dotted = list(map((-1).__ne__, dot))
    holding = list(compress(holding, dotted))
    held = list(compress(held, dotted))
    at = list(map((1).__add__, compress(dot, dotted)))  # the probe
    line_start = list(map((1).__add__, map(str.rfind, held, repeat("\n"), repeat(0), at)))
    path_only = map((-1).__eq__, map(str.find, held, repeat(": "), line_start, at))
    data = map(
        operator.le, repeat(data_line), map(str.count, held, repeat("\n"), repeat(0), line_start)
    )
    found = list(map(operator.and_, path_only, data))
    value = re.compile(re.escape(probe) + "([^\n]*)").match
    values = list(map(_GROUP, map(value, compress(held, found), compress(at, found)), repeat(1)))
    return list(compress(holding, found)), values


def _merged(*parts: tuple[list[int], list[str]]) -> tuple[list[int], list[str]]:
    """Values of different texts, each part in text order, merged in text order."""
    full = [part for part in parts if part[0]]
    if len(full) <= 1:
        return full[0] if full else ([], [])
    pairs = sorted(
        chain.from_iterable(zip(*part, strict=True) for part in full), key=operator.itemgetter(0)
    )  # stable: a text's values keep their order
    return [i for i, _ in pairs], [value for _, value in pairs]


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


def _compared(
    numbers: _Numbers,
    repeated: bool,
    start: int,
    stop: int,
    number: Any,
    holds: Callable[[str], bool],
    compare: Callable[[Any, Any], bool],
) -> list[int]:
    """The texts in ``start .. stop`` with a value that ``holds``, in order, once each, for a
    comparison with the float ``number``: the numbers read as floats compared in C."""
    number_index, number_values = _part(numbers.number_index, numbers.number, start, stop)
    hits = list(compress(number_index, map(compare, number_values, repeat(number))))
    parsed_index, parsed_values = _part(numbers.parsed_index, numbers.parsed, start, stop)
    parsed = list(compress(parsed_index, map(compare, parsed_values, repeat(number))))
    first, last = _between(numbers.other_index, start, stop)
    others = [
        i
        for i, value in zip(numbers.other_index[first:last], numbers.other[first:last], strict=True)
        if holds(value)
    ]
    if others or parsed:
        hits = sorted(set(hits).union(parsed, others))
    return list(dict.fromkeys(hits)) if repeated else hits


@dataclass
class KeyNumbers:
    """What a comparison reads of one key's values in the ASCII texts ``0 .. covered`` of a
    list, and nothing else: its plain numbers (in a census, compact arrays: 12 bytes a value,
    where :class:`KeyValues` keeps ~100), the few other values that are numbers as they are.
    Read ahead for the keys most texts hold (:func:`common_number_keys`), so that the first
    comparison on one costs what the next do, and by a comparison on another key; the values
    are read as :class:`KeyValues` reads them, a step at a time.

    Read with ``skip_words`` (for a comparison, and for the common keys whose values are
    words), a step where many texts hold the key with no number is followed by steps that
    read only the texts where the key is followed by what may start a number
    (:func:`_number_starts`, one regex search of the step's texts joined): a text where it
    is not holds no value that is a number, which no comparison keeps. ``repeated`` then only
    tells of the texts read."""

    key: str
    covered: int = 0
    numbers: _Numbers = field(default_factory=lambda: _Numbers([], [], [], []))
    repeated: bool = False
    # Arrays (12 bytes a value), or lists: ~40 bytes a value, ~20% quicker to compare (no
    # float made of each array item), for the keys compared (a few, as KeyValues were).
    compact: bool = True

    @classmethod
    def read(
        cls,
        key: str,
        lowered: list[str],
        ascii_: Sequence[int] | None,
        covered: int,
        data_line: int,
        step: int,
        cancelled: Callable[[], bool] | None = None,
        skip_words: bool = False,
    ) -> KeyNumbers:
        """The numbers of ``key`` in ``lowered[:covered]``; between steps, raises
        :class:`SearchCancelled` once ``cancelled()`` is true. Only one step's values are
        held as strings at a time."""
        kept = cls(key)
        kept.extend(lowered, ascii_, data_line, step, cancelled, covered, skip_words)
        return kept

    def extend(
        self,
        lowered: list[str],
        ascii_: Sequence[int] | None,
        data_line: int,
        step: int,
        cancelled: Callable[[], bool] | None = None,
        stop: int | None = None,
        skip_words: bool = False,
    ) -> None:
        """Read the numbers of the ASCII texts from ``covered`` on (to ``stop``, default all),
        as :meth:`KeyValues.extend` reads the values (what was read is kept when cancelled);
        ``skip_words``: see the class."""
        end = len(lowered) if stop is None else min(stop, len(lowered))
        number_index: list[int] = []
        number: list[float] = []
        parsed_index: list[int] = []
        parsed: list[float] = []
        other_index: list[int] = []
        other: list[str] = []
        repeated = False
        covered = self.covered
        probe = self.key + ": "
        number_starts = _number_starts(probe) if skip_words and "\n" not in probe else None
        sparse = False  # reading only the texts where a number may follow the key
        try:
            for start, part_end in _steps(self.covered, end, step, number_starts is not None):
                if cancelled is not None and cancelled():
                    raise SearchCancelled
                part = KeyValues(self.key, covered=start)
                if sparse and number_starts is not None:
                    holding = _holding_match(lowered, start, part_end, number_starts, ascii_)
                    index, values = (
                        part._read_joined(holding, _pick(lowered, holding), probe, data_line)
                        if holding
                        else ([], [])
                    )
                else:
                    part.extend(lowered, ascii_, data_line, step, stop=part_end)
                    index, values = part.index, part.values
                numbers = _Numbers.of(index, values) if index else None
                if numbers is not None:
                    number_index.extend(numbers.number_index)
                    number.extend(numbers.number)
                    parsed_index.extend(numbers.parsed_index)
                    parsed.extend(numbers.parsed)
                    other_index += numbers.other_index
                    other += numbers.other
                repeated |= part.repeated
                covered = part_end
                # Sparse while it pays: many values that are no number in the step (read
                # each, they cost ~1 µs; the search ~0.3 µs a text), few that may be one.
                found = 0 if numbers is None else numbers.count
                if sparse:
                    sparse = len(index) * _SPARSE_UNTIL <= part_end - start
                elif number_starts is not None:
                    sparse = (len(index) - found) * _SPARSE_FROM > part_end - start
        finally:
            if covered > self.covered:  # new arrays and lists: a reader keeps whole ones
                old = self.numbers
                ints, floats = ("I", "d") if self.compact else (None, None)
                self.numbers = _Numbers(
                    _grown(old.number_index, number_index, ints),
                    _grown(old.number, number, floats),
                    old.other_index + other_index,
                    old.other + other,
                    _grown(old.parsed_index, parsed_index, ints),
                    _grown(old.parsed, parsed, floats),
                )
                self.repeated |= repeated
                self.covered = covered  # last: a reader that sees it sees the numbers too

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
        """As :meth:`KeyValues.holding`, for a comparison with a float only."""
        if op == ":" or compare is None:  # pragma: no cover - query_fields asks for neither
            raise ValueError("a census of numbers answers comparisons with a float only")
        return _compared(self.numbers, self.repeated, start, stop, number, holds, compare)


# KeyNumbers with skip_words: a step goes sparse when over a quarter of its texts hold values
# that are no number, and back when over an eighth hold one that may be (of 1M bench texts,
# module_type is in all, with no number: 1.3 s read, 0.27 s sparse; revision_id is a number
# in 30%: 0.72 s read, 1.36 s sparse).
_SPARSE_FROM = 4
_SPARSE_UNTIL = 8
# The first step of a read that may go sparse: enough texts to tell (read whole, a key of words
# costs ~1.3 µs a text).
_FIRST_STEP = 4096


def _steps(start: int, stop: int, step: int, probe_first: bool) -> Iterator[tuple[int, int]]:
    """The steps of ``start .. stop``; with ``probe_first``, a first one of at most
    :data:`_FIRST_STEP` texts, which tells whether the next go sparse."""
    if probe_first and start < stop:
        first = min(stop, start + min(step, _FIRST_STEP))
        yield start, first
        start = first
    for part in range(start, stop, step):
        yield part, min(stop, part + step)


def _grown(old: Sequence[Any], new: list[Any], typecode: str | None) -> Sequence[Any]:
    """``old`` and then ``new`` in a new list, or a new array of ``typecode``."""
    if typecode is None:
        return [*old, *new]
    return (old if isinstance(old, array) else array(typecode, old)) + array(typecode, new)


def _number_starts(probe: str) -> Callable[[str], Iterator[re.Match[str]]]:
    """Finds ``probe`` followed by what starts a value number_of reads as a number (spaces,
    then a sign, a digit or a "."), in texts joined: a value that is a number starts there."""
    return re.compile(re.escape(probe) + r"[^\S\n]*+[-+.0-9]").finditer


def _holding_match(
    lowered: list[str],
    start: int,
    stop: int,
    finditer: Callable[[str], Iterator[re.Match[str]]],
    ascii_: Sequence[int] | None,
) -> list[int]:
    """The ASCII texts in ``start .. stop`` where ``finditer`` finds something (that does not
    span a "\\n"), in order: one search of them joined, and a bisection for each find. (A
    find that starts in a separator, after its "\\n", counts for the text before it: read
    for nothing.)"""
    part = lowered[start:stop]
    starts = list(map(_START, finditer(_SEPARATOR.join(part))))
    if not starts:
        return []
    # Where each text's separator ends (the next text's start): text k holds the finds from
    # ends[k - 1] up to ends[k] - len(_SEPARATOR).
    ends = list(accumulate(map(len(_SEPARATOR).__add__, map(len, part))))
    holding = list(map(start.__add__, dict.fromkeys(map(bisect_right, repeat(ends), starts))))
    if ascii_ is not None and 0 in ascii_[start:stop]:
        holding = list(compress(holding, map(ascii_.__getitem__, holding)))
    return holding


# A key is read ahead (KeyNumbers) when this share of the sampled texts hold it, most of them
# as a plain number; the sample: about this many texts, spread over all of them.
COMMON_SHARE = 0.1
SAMPLE_TEXTS = 5_000
# A key a filter can name (query_syntax's field names, lowered, the part after the last dot).
_TYPED_KEY = re.compile(r"[^\W\d][\w\-]*")


def common_number_keys(lowered: Sequence[str], covered: int, data_line: int) -> list[str]:
    """The keys (a data path's last part, lowered) that many of ``lowered[:covered]`` hold,
    mostly as plain numbers, most held first: the ones a census reads ahead. From a sample:
    it only chooses what to read, never what a comparison answers."""
    sampled, held, numeric = _sampled_keys(lowered, covered, data_line)
    return [
        key
        for key, count in held.most_common()
        if count >= sampled * COMMON_SHARE and numeric[key] * 2 > count
    ]


def common_word_keys(lowered: Sequence[str], covered: int, data_line: int) -> list[str]:
    """The keys that most of ``lowered[:covered]`` hold (:data:`COMMON_WORDS_SHARE`), seldom
    as plain numbers (fewer than one in :data:`WORDS_SHARE`: ``module_type: prompt``), most
    held first: those whose few numbers a census reads (:class:`KeyNumbers` with
    ``skip_words``, ~5x faster than their values). From a sample, as
    :func:`common_number_keys`."""
    sampled, held, numeric = _sampled_keys(lowered, covered, data_line)
    return [
        key
        for key, count in held.most_common()
        if count >= sampled * COMMON_WORDS_SHARE and numeric[key] * WORDS_SHARE < count
    ]


# A key of words is read by a census when this share of the sampled texts hold it (~0.3 s a
# key at 1M texts on a slow machine, all of it skipped but a step: the keys of every entry,
# not those of one kind), fewer than one in WORDS_SHARE of them as a plain number.
COMMON_WORDS_SHARE = 0.5
WORDS_SHARE = 8


def _sampled_keys(
    lowered: Sequence[str], covered: int, data_line: int
) -> tuple[int, Counter[str], Counter[str]]:
    """Of about :data:`SAMPLE_TEXTS` of ``lowered[:covered]``, spread over them: how many were
    sampled, and for each key a filter can name, how many hold it and how many as a plain
    number."""
    stride = max(1, covered // SAMPLE_TEXTS)
    held: Counter[str] = Counter()
    numeric: Counter[str] = Counter()
    sampled = 0
    for text in islice(lowered, 0, covered, stride):
        sampled += 1
        keys: dict[str, bool] = {}
        for line in text.split("\n")[data_line:]:
            path, sep, value = line.partition(": ")
            if sep:
                key = path.rpartition(".")[2].lower()  # a text not ASCII is as it is
                keys[key] = keys.get(key, False) or (value.isdigit() and value.isascii())
        held.update(keys.keys())  # (a dict would add its values: how many as numbers)
        numeric.update(key for key, digits in keys.items() if digits)
    for key in [key for key in held if not (_TYPED_KEY.fullmatch(key) and key.isascii())]:
        del held[key]
    return sampled, held, numeric


def _between(index: Sequence[int], start: int, stop: int) -> tuple[int, int]:
    """Where the values of texts ``start .. stop`` are in a sorted ``index``."""
    return bisect_left(index, start), bisect_left(index, stop)


def _part(
    index: Sequence[int], values: Sequence[Any], start: int, stop: int
) -> tuple[Sequence[int], Sequence[Any]]:
    """The values of texts ``start .. stop`` and their texts (the lists themselves when that is
    all of them: no copies)."""
    first, last = _between(index, start, stop)
    if first == 0 and last == len(index):
        return index, values
    return index[first:last], values[first:last]


def _pick(items: list[str], at: list[int]) -> list[str]:
    """``[items[i] for i in at]`` in one C call (a map of ``__getitem__`` costs ~3x more)."""
    if len(at) == 1:
        return [items[at[0]]]
    return list(operator.itemgetter(*at)(items))
