"""Field terms of the filter language (``status:500``, ``elapsed_ms>2000``, ``url:re:v\\d``),
and the lowered copy of search texts that every substring term of a query shares.

A field term reads the fields of a ``search_text``: lines 0-3 are class, module, result variable
and line; each further line is one data leaf, ``path: value``, cut at its first ``": "`` (a
path never holds a newline; a key that itself holds ``": "`` is cut there too, so such a key is
reached by a bare word, not by ``field:``). A field names a data path when it equals the path or
is a dotted suffix of it (``status`` and ``response.status`` both name ``response.status``),
case-insensitively; ``class``, ``module``, ``var`` and ``line`` name the entry's own fields, and
``data.line`` reaches a data key called ``line``.
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import compress, filterfalse, repeat
from typing import Any, cast

import regex

from fuse_tui.core.query_regex import case_matters
from fuse_tui.core.query_syntax import NUMBER, QueryError, SearchCancelled
from fuse_tui.core.query_values import (
    AsciiFlags,
    KeyNumbers,
    KeyValues,
    all_ascii,
    common_number_keys,
    common_word_keys,
    values_in,
)
from fuse_tui.core.search_index import SearchIndex
from fuse_tui.core.textsafe import escape_control

BUILTIN_FIELDS = {"class": 0, "module": 1, "var": 2, "line": 3}
# Data leaves start after the four fixed lines.
DATA_LINE = len(BUILTIN_FIELDS)
DATA_PREFIX = "data."

# The same budget as a whole-entry regex (query.REGEX_TIMEOUT); repeated to keep this module
# free of query.py (which imports it).
FIELD_REGEX_TIMEOUT = 0.25

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
}


# A regex is compiled with its counted repeats written out: ``a{99999999}`` alone took 6 GB and
# over a minute before it could search anything, (a{1000}){1000} 250 MB. What a filter needs is
# far below this (a{100000} compiles in 0.15 s and 25 MB).
MAX_REGEX_SIZE = 100_000
_COUNTED_REPEAT = re.compile(r"\{(\d+)(?:,\d*)?\}")


def _check_size(size: int, column: int) -> None:
    if size > MAX_REGEX_SIZE:
        raise QueryError(
            "the regular expression repeats too much: written out it would be longer than "
            f"{MAX_REGEX_SIZE:,} characters; use smaller counts in its {{n}} repeats",
            column,
        )


def _refuse_huge_repeats(body: str, column: int) -> None:
    """QueryError when ``body`` written out (counted repeats expanded) is over MAX_REGEX_SIZE.

    Every atom counts 1, a group the sum of what it holds, ``{n}``/``{n,}``/``{n,m}`` multiplies
    what it repeats by n (an upper bound costs nothing to compile). Over-counts a little
    (``(?:`` counts as atoms), never under-counts; a pattern the regex module will refuse anyway
    (an unbalanced group) is left to it."""
    sums = [0]  # the size of each open group so far, the whole pattern first
    last = 0  # the size of the item a repeat would apply to
    index, length = 0, len(body)
    while index < length:
        char = body[index]
        if char == "\\":
            index += 2
            last = 1
        elif char == "[":
            end = index + 1
            end += body.startswith("^", end)
            end += body.startswith("]", end)  # a "]" first in a set is a member
            while end < length and body[end] != "]":
                end += 2 if body[end] == "\\" else 1
            index = end + 1
            last = 1
        elif char == "(":
            sums.append(0)
            index += 1
            last = 0
            continue
        elif char == ")" and len(sums) > 1:
            last = max(sums.pop(), 1)
            sums[-1] += last
            _check_size(sums[-1], column + index)
            index += 1
            continue
        elif char == "{" and (counted := _COUNTED_REPEAT.match(body, index)):
            times = int(counted.group(1))
            sums[-1] += last * (times - 1) if times else 0
            last *= times
            _check_size(sums[-1], column + index)
            index = counted.end()
            continue
        else:
            index += 1
            last = 1
        sums[-1] += 1


def compile_user_regex(body: str, column: int) -> Any:
    """A ``re:`` term's regular expression as every query compiles it: case-insensitive,
    multi-line, V0 (the standard library's syntax); QueryError pointing at the column of the
    mistake (``column``: where the term's value starts)."""
    _refuse_huge_repeats(body, column)
    flags = regex.IGNORECASE | regex.MULTILINE | regex.V0
    try:
        return regex.compile(body, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        offset = getattr(exc, "pos", None) or 0
        raise QueryError(
            f"invalid regular expression: {getattr(exc, 'msg', None) or exc}", column + offset
        ) from exc


def number_of(value: str) -> float | Decimal | None:
    """``value`` as a number when all of it is one (XML data values are text: "503" is 503).

    A float when that is exact enough to compare (15 significant digits or fewer map to
    distinct floats in the same order), else a Decimal: 2**64 and 2**64+1 stay apart.
    """
    stripped = value.strip()
    if not NUMBER.fullmatch(stripped):
        return None
    if len(stripped) <= 15:
        return float(stripped)
    try:
        return Decimal(stripped)
    except InvalidOperation:  # pragma: no cover - NUMBER only lets numbers through
        return None


def _compare(op: str, value: str, number: str, parsed: float | Decimal) -> bool:
    """``value <op> number`` (``parsed``: ``number_of(number)``); False if ``value`` is no
    number."""
    left = number_of(value)
    if left is None:
        return False
    right = parsed
    if type(left) is not type(right):  # one of them is long: compare both exactly
        left, right = Decimal(value.strip()), Decimal(number.strip())
    return _COMPARE[op](left, right)


def data_start(text: str) -> int:
    """Where the data lines of a search text begin (its length when it has none)."""
    pos = 0
    for _ in range(DATA_LINE):
        found = text.find("\n", pos)
        if found < 0:
            return len(text)
        pos = found + 1
    return pos


def nth_line(text: str, index: int) -> str:
    pos = 0
    for _ in range(index):
        found = text.find("\n", pos)
        if found < 0:
            return ""
        pos = found + 1
    end = text.find("\n", pos)
    return text[pos:] if end < 0 else text[pos:end]


def split_leaf(line: str) -> tuple[str, str] | None:
    """A data line's path and value (cut at the first ``": "``); None for a bare ``{}``."""
    path, sep, value = line.partition(": ")
    return (path, value) if sep else None


def field_key(name: str) -> str:
    """A typed field name as it is compared with paths: escaped like keys, lowered, and the
    ``data.`` prefix taken off."""
    key = escape_control(name).lower()
    if key.startswith(DATA_PREFIX) and len(key) > len(DATA_PREFIX):
        key = key[len(DATA_PREFIX) :]
    return key


def names_path(key: str, path: str) -> bool:
    """Whether the field ``key`` (from :func:`field_key`) names the data ``path``."""
    lowered = path.lower()
    return lowered == key or lowered.endswith("." + key)


@dataclass(frozen=True)
class FieldTerm:
    """One ``field:value`` / ``field:re:…`` / ``field<op>number`` term."""

    text: str  # as typed, for messages
    key: str  # from field_key
    builtin: int | None  # the line of class/module/var/line, None for data
    op: str = ":"
    negated: bool = False
    is_regex: bool = False
    needle: str = ""  # lowered substring, op ":" without a regex
    pattern: Any = None  # re (escaped needle) or regex (field:re:)
    number: str = ""  # the comparison's number as typed
    _number: float | Decimal = field(default=0.0, repr=False)
    _leaf: Any = field(default=None, repr=False)  # data lines whose path this field names
    # A field:re: whose regex may answer otherwise on a lowered text (query_regex.case_matters).
    case_matters: bool = False

    @classmethod
    def build(
        cls, text: str, name: str, op: str, value: str, negated: bool, is_regex: bool, column: int
    ) -> FieldTerm:
        lowered_name = name.lower()
        builtin = BUILTIN_FIELDS.get(lowered_name)
        key = lowered_name if builtin is not None else field_key(name)
        leaf = None
        if builtin is None:
            # ^ MULTILINE: a data line whose path (no ": " in it) ends in the key; group 1 is
            # its value. Searched from data_start, so the line text can never pass for data.
            leaf = re.compile(
                r"^(?:(?:[^\n:]|:(?! ))*\.)?" + re.escape(key) + r": ([^\n]*)$",
                re.IGNORECASE | re.MULTILINE,
            )
        if op != ":":
            parsed = number_of(value)
            if parsed is None:  # pragma: no cover - the grammar lets only numbers through
                raise QueryError(f"{text!r} needs a number")
            return cls(text, key, builtin, op, negated, number=value, _number=parsed, _leaf=leaf)
        if is_regex:
            pattern = compile_user_regex(value, column)
            return cls(
                text,
                key,
                builtin,
                op,
                negated,
                True,
                pattern=pattern,
                _leaf=leaf,
                case_matters=case_matters(value),
            )
        shown = escape_control(value)
        return cls(
            text,
            key,
            builtin,
            op,
            negated,
            needle=shown.lower(),
            pattern=re.compile(re.escape(shown), re.IGNORECASE),
            _leaf=leaf,
        )

    # ----- which fields ------------------------------------------------------------------------

    def names(self, field_name: str) -> bool:
        """Whether this term applies to ``field_name`` (a builtin name or a data path)."""
        if self.builtin is not None:
            return field_name.lower() == self.key
        return field_name.lower() not in BUILTIN_FIELDS and names_path(self.key, field_name)

    def values(self, text: str) -> Iterator[str]:
        """This field's values in a search text (several for a key inside a list)."""
        if self.builtin is not None:
            yield nth_line(text, self.builtin)
            return
        for match in self._leaf.finditer(text, data_start(text)):
            yield match.group(1)

    def _ascii_hits(
        self,
        texts: Mapping[int, str] | Sequence[str],
        lowered: Mapping[int, str] | Sequence[str],
        candidates: Iterable[int],
    ) -> list[int]:
        """Those of ``candidates`` (ASCII texts) where a value of this data field holds, in
        order (``lowered[i]``: the lowered text, same offsets): :meth:`values` by plain finds
        instead of a case-blind regex.

        (The values of a key asked for again are kept instead: query_values.KeyValues, whose
        reading of a text's values this shares.) A value of plain digits is compared without
        holds()'s calls.
        """
        probe = self.key + ": "
        holds = self.holds
        # A comparison with a float, on a value of plain digits: holds() without its calls
        # (number_of reads 15 digits or fewer as a float).
        compare = _COMPARE.get(self.op) if type(self._number) is float else None
        number = self._number
        hits: list[int] = []
        for i in candidates:
            for value in values_in(lowered[i], texts[i], probe, DATA_LINE):
                if compare is not None and len(value) <= 15 and value.isdigit():
                    if compare(float(value), number):  # ASCII text: digits are 0-9
                        hits.append(i)
                        break
                elif holds(value):
                    hits.append(i)
                    break
        return hits

    # ----- matching ----------------------------------------------------------------------------

    def holds(self, value: str) -> bool:
        """Whether one value satisfies the term (before negation)."""
        if self.op != ":":
            # Most values are plain digits: as number_of reads them (15 digits or fewer are
            # a float), without its regex.
            plain = len(value) <= 15 and value.isdigit() and value.isascii()
            if plain and type(self._number) is float:
                return bool(_COMPARE[self.op](float(value), self._number))
            return _compare(self.op, value, self.number, self._number)
        if self.is_regex:
            try:
                return self.pattern.search(value, timeout=FIELD_REGEX_TIMEOUT) is not None
            except TimeoutError as exc:
                raise QueryError(
                    f"the regular expression in {self.text!r} takes too long on this log "
                    "(it backtracks catastrophically); simplify it, e.g. avoid nested repeats"
                ) from exc
        if self.needle.isascii() and value.isascii():
            return self.needle in value.lower()
        return self.pattern.search(value) is not None

    def _holds_in(self, text: str) -> bool:
        """Whether a value of this field in ``text`` holds (before negation)."""
        return any(self.holds(value) for value in self.values(text))

    def matches_text(self, text: str) -> bool:
        return self._holds_in(text) != self.negated

    def kept_values(
        self,
        texts: Sequence[str],
        lowered: Mapping[int, str] | Sequence[str],
        chosen: Sequence[int],
        cancelled: Callable[[], bool] | None = None,
    ) -> KeyValues | KeyNumbers | None:
        """This data field's values in every ASCII text, kept with the lowered copy of
        ``texts`` (``lowered`` must be it), for a comparison or a substring term over most of
        them (for a comparison with a float, its numbers: read by a census,
        :func:`take_census`, or else by :func:`compared_numbers`); None otherwise (then
        :meth:`select` finds them itself)."""
        if self.builtin is not None or self.is_regex or not self.key.isascii():
            return None
        if self.op != ":" and type(self._number) is float:
            census = key_numbers(texts, lowered, self.key)
            if census is not None:
                return census
            numbers = compared_numbers(texts, lowered, self.key, len(chosen), cancelled)
            if numbers is not None:
                return numbers
        return key_values(texts, lowered, self.key, len(chosen), cancelled)

    def select(
        self,
        texts: Mapping[int, str] | Sequence[str],
        chosen: Sequence[int],
        lowered: Mapping[int, str] | Sequence[str],
        ascii_: AsciiFlags,
        values: KeyValues | KeyNumbers | None = None,
    ) -> list[int]:
        """Which of ``chosen`` pass; ``lowered[i]`` is ``texts[i].lower()`` where ``ascii_[i]``
        says ``texts[i]`` is ASCII (:func:`lowered_texts`); ``values``: from
        :meth:`kept_values`. ``texts[i]``: the text as it is, or lowered too when ASCII unless
        the term's ``case_matters``."""
        if values is not None:
            return self._select_kept(texts, chosen, ascii_, values)
        # Quick, sure refusals on the lowered text of an ASCII entry first: a data field whose
        # key is not in it, a substring that is nowhere in it. (Not for other text: case-blind
        # matching finds "s" in the long s U+017F, which lowering does not.)
        key = self.key if self.builtin is None and self.key.isascii() else ""
        needle = self.needle if self.needle.isascii() else ""
        probes = [probe for probe in (needle, key and key + ": ") if probe]
        candidates = _holding(probes, chosen, lowered, ascii_) if probes else chosen
        if key:
            plain = (
                candidates
                if ascii_ is None or all_ascii(ascii_, candidates)
                else list(compress(candidates, map(ascii_.__getitem__, candidates)))
            )
            hits = self._ascii_hits(texts, lowered, plain)
            if len(plain) < len(candidates):  # and the others, searched as they are
                found = set(hits).union(
                    i for i in set(candidates).difference(plain) if self._holds_in(texts[i])
                )
                hits = [i for i in candidates if i in found]
        else:
            hits = [i for i in candidates if self._holds_in(texts[i])]
        if not self.negated:
            return hits
        found = set(hits)
        return [i for i in chosen if i not in found]

    def _select_kept(
        self,
        texts: Mapping[int, str] | Sequence[str],
        chosen: Sequence[int],
        ascii_: AsciiFlags,
        values: KeyValues | KeyNumbers,
    ) -> list[int]:
        """:meth:`select` from the kept values of the ASCII texts (the others one by one)."""
        if not chosen:
            return []
        whole = isinstance(chosen, range) and chosen.step == 1
        if isinstance(chosen, range) and chosen.step == 1:
            start, stop = chosen.start, chosen.stop
        else:
            start, stop = min(chosen), max(chosen) + 1
        compare = _COMPARE.get(self.op) if type(self._number) is float else None
        needle = self.needle if self.needle.isascii() else ""
        hits = values.holding(start, stop, self.op, needle, self._number, self.holds, compare)
        if not whole:
            hit = set(hits)
            hits = list(filter(hit.__contains__, chosen))
        if ascii_ is not None and not all_ascii(ascii_, chosen):
            others = list(compress(chosen, map(operator.not_, map(ascii_.__getitem__, chosen))))
            found = {i for i in others if self._holds_in(texts[i])}
            if found:
                found.update(hits)
                hits = list(filter(found.__contains__, chosen))
        if not self.negated:
            return hits
        return list(filterfalse(set(hits).__contains__, chosen))

    def spans(self, value: str) -> list[tuple[int, int]]:
        """Where to highlight in one value of a field this term names."""
        if self.negated:
            return []
        if self.op != ":":
            return [(0, len(value))] if value and self.holds(value) else []
        try:
            if self.is_regex:
                found = self.pattern.finditer(value, timeout=FIELD_REGEX_TIMEOUT)
            else:
                found = self.pattern.finditer(value)
            return [m.span() for m in found if m.end() > m.start()]
        except TimeoutError:  # drawing must not fail: no highlight rather than a frozen row
            return []

    @property
    def cost(self) -> int:
        """Rough order to run terms in: sure refusals on lowered text first, regexes last."""
        if self.is_regex:
            return 4
        return 1 if self.needle.isascii() and self.needle else 2


def _holding(
    probes: list[str],
    chosen: Sequence[int],
    lowered: Mapping[int, str] | Sequence[str],
    ascii_: AsciiFlags,
) -> Sequence[int]:
    """Those of ``chosen`` that are not ASCII or whose lowered text holds every probe, in
    order: the loops run in C (map, compress), ~3x faster than a Python loop over 1M."""
    kept: Sequence[int] = chosen
    for probe in probes:
        lows: Iterable[str]
        if isinstance(lowered, list) and isinstance(kept, range) and kept.step == 1:
            lows = lowered[kept.start : kept.stop]  # a step of all the texts: no lookups
        else:
            lows = map(lowered.__getitem__, kept)
        kept = list(compress(kept, map(operator.contains, lows, repeat(probe))))
    if ascii_ is None or all_ascii(ascii_, chosen):
        return kept
    others = list(compress(chosen, map(operator.not_, map(ascii_.__getitem__, chosen))))
    if not others:
        return kept
    keep = set(kept).union(others)
    return [i for i in chosen if i in keep]


# ----- the lowered copy of a list of search texts ----------------------------------------------

# Texts lowered per step; ``cancelled`` is asked between steps (~20 ms of work each).
LOWER_STEP = 50_000


@dataclass
class _Lowered:
    """The lowered copy of the first ``len(low)`` of ``texts``: held, so the list's id stays
    its own; ``last`` is the last text covered, to catch a list changed in place. For a
    :class:`SearchIndex`, ``low`` is the index's own ``stored`` (nothing is lowered here)."""

    texts: Sequence[str]
    low: list[str] = field(default_factory=list)
    # 1 where the text is ASCII (a list's own; an index keeps its flags itself).
    ascii_: bytearray = field(default_factory=bytearray)
    first: str | None = None
    last: str | None = None
    # Data fields' values (query_values), by key, the ones last asked for last.
    values: dict[str, KeyValues] = field(default_factory=dict)
    # The numbers of the common keys, read ahead by take_census, by key.
    census: dict[str, KeyNumbers] = field(default_factory=dict)
    # The numbers of keys compared and not kept as values (compared_numbers), and of the
    # common keys whose values are words (take_census), by key, the ones last asked for last.
    numbers: dict[str, KeyNumbers] = field(default_factory=dict)

    def covered(self, texts: Sequence[str]) -> int | None:
        """How many of ``texts`` the copy covers; None when they are other texts."""
        if isinstance(self.texts, SearchIndex):
            return len(texts) if texts is self.texts else None
        done = len(self.low)
        if self.texts is not texts or len(texts) < done:
            return None
        if done and (texts[0] is not self.first or texts[done - 1] is not self.last):
            return None
        return done

    def flags(self) -> Sequence[int] | None:
        """Which texts are ASCII, for (at least) those covered when it is called."""
        texts = self.texts
        return texts.ascii_ if isinstance(texts, SearchIndex) else self.ascii_


# One slot, the texts last lowered: the TUI filters the same texts at every keystroke, and
# lowering 1M texts costs ~0.4 s. The lock keeps two threads (the index builder calling
# prepare, a filter) from lowering the same texts twice or into each other's copy. A search
# index needs no copy: its slot (kept values, census) is its own, and put here when searched.
_slot: list[_Lowered | None] = [None]
_slot_lock = threading.Lock()


def _index_slot(index: SearchIndex) -> _Lowered:
    """The slot of ``index`` (made on its first search), now the one in ``_slot`` too; under
    the lock."""
    slot = index.slot
    if slot is None:
        slot = index.slot = _Lowered(index, index.stored)
    _slot[0] = slot
    return cast(_Lowered, slot)


def lowered_texts(
    texts: Sequence[str],
    chosen: Sequence[int],
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Mapping[int, str] | Sequence[str], AsciiFlags]:
    """``texts[i].lower()`` (where ``texts[i]`` is ASCII: another text's may be as it is) and
    whether ``texts[i]`` is ASCII (None: all are), for every ``i`` in ``chosen``.

    A :class:`SearchIndex` holds them already (its ``stored`` and ``ascii_``). Of a list, all
    the texts are lowered and kept for the next call when ``chosen`` is most of them; a few
    are lowered on their own. ``texts`` may grow between calls (only the new texts are lowered
    then) but must not change otherwise. Between steps of :data:`LOWER_STEP` texts, raises
    :class:`SearchCancelled` when ``cancelled()`` is true (what was lowered is kept).
    """
    if isinstance(texts, SearchIndex):
        with _slot_lock:
            _index_slot(texts)
        return texts.stored, texts.ascii_
    with _slot_lock:
        slot = _slot[0]
        done = None if slot is None else slot.covered(texts)
        if slot is not None and done == len(texts):
            return slot.low, slot.ascii_
        if done is None and len(chosen) * 4 < len(texts):
            return {i: texts[i].lower() for i in chosen}, {i: texts[i].isascii() for i in chosen}
        if slot is None or done is None:
            slot = _slot[0] = _Lowered(texts, first=texts[0] if texts else None)
            done = 0
        for start in range(done, len(texts), LOWER_STEP):
            if cancelled is not None and cancelled():
                raise SearchCancelled
            part = texts[start : start + LOWER_STEP]
            slot.ascii_ += bytes(map(str.isascii, part))  # first: it covers ``low``
            slot.low.extend([text.lower() for text in part])
            slot.last = part[-1]
        return slot.low, slot.ascii_


# Keys whose values are kept with the lowered copy (a few MB each at 1M texts).
MAX_KEPT_KEYS = 8


def key_values(
    texts: Sequence[str],
    lowered: Mapping[int, str] | Sequence[str],
    key: str,
    wanted: int,
    cancelled: Callable[[], bool] | None = None,
) -> KeyValues | None:
    """The values of data field ``key`` in every ASCII text of ``texts``, kept with their
    lowered copy ``lowered`` (None when it is not the kept one, or when only ``wanted`` texts,
    under a quarter of them, are searched and the values are not read yet). Read between steps
    of :data:`LOWER_STEP` texts, asking ``cancelled`` (what was read is kept)."""
    with _slot_lock:
        slot = _slot_of(texts)
        covered = len(texts)  # before the flags: they cover these texts
        if slot is None or slot.low is not lowered or slot.covered(texts) != covered:
            return None
        kept = slot.values.pop(key, None)
        if kept is None:
            if wanted * 4 < len(texts):
                return None
            kept = KeyValues(key)
        slot.values[key] = kept  # the last asked for last
        while len(slot.values) > MAX_KEPT_KEYS:
            del slot.values[next(iter(slot.values))]
        kept.extend(slot.low, slot.flags(), DATA_LINE, LOWER_STEP, cancelled, covered)
        return kept


def compared_numbers(
    texts: Sequence[str],
    lowered: Mapping[int, str] | Sequence[str],
    key: str,
    wanted: int,
    cancelled: Callable[[], bool] | None = None,
) -> KeyValues | KeyNumbers | None:
    """What a comparison with a float on data field ``key`` over ``texts`` reads (``lowered``:
    their kept lowered copy; None when it is not, or when only ``wanted`` texts, under a
    quarter, are searched and nothing is read yet): the kept values when they are all read but
    a step, else the key's numbers, read on (and kept) from where they were, skipping the texts
    where no number follows the key (KeyNumbers with ``skip_words``: a key whose values are
    words, in every text, is read ~5x faster than its values)."""
    with _slot_lock:
        slot = _slot_of(texts)
        covered = len(texts)  # before the flags: they cover these texts
        if slot is None or slot.low is not lowered or slot.covered(texts) != covered:
            return None
        values = slot.values.get(key)
        kept = slot.numbers.pop(key, None)
        read = 0 if kept is None else kept.covered
        if kept is not None:
            slot.numbers[key] = kept  # the last asked for last
        if values is None or values.covered < read or covered - values.covered > LOWER_STEP:
            if kept is None:
                if wanted * 4 < covered:
                    return None
                kept = slot.numbers[key] = KeyNumbers(key, compact=False)
                while len(slot.numbers) > MAX_KEPT_KEYS:
                    del slot.numbers[next(iter(slot.numbers))]
            kept.extend(
                slot.low, slot.flags(), DATA_LINE, LOWER_STEP, cancelled, covered, skip_words=True
            )
            return kept
    # The values, read on by key_values (which takes the lock).
    return key_values(texts, lowered, key, wanted, cancelled)


def _slot_of(texts: Sequence[str]) -> _Lowered | None:
    """The slot that may hold the lowered copy of ``texts`` (under the lock)."""
    if isinstance(texts, SearchIndex):
        return _index_slot(texts)
    return _slot[0]


def read_keys_ahead(
    texts: Sequence[str],
    names: Iterable[str],
    cancelled: Callable[[], bool] | None = None,
    compared: Iterable[str] = (),
) -> None:
    """Read now the kept values of the data fields ``names`` (typed field names; the entry's
    own fields and keys that are not ASCII have none) over all of ``texts``, and their numbers,
    lowering the texts first when they are not, as a select over most of them would. Not
    those of ``compared`` (names only compared with a number) that a census holds: a
    comparison reads its numbers from there."""
    names = list(names)
    keys = [
        key
        for key in dict.fromkeys(
            field_key(name) for name in names if name.lower() not in BUILTIN_FIELDS
        )
        if key.isascii()
    ][:MAX_KEPT_KEYS]
    if not keys or not texts:
        return
    lowered, _ascii = lowered_texts(texts, range(len(texts)), cancelled)
    only_compared = set(compared)
    counted = {field_key(name) for name in names if name in only_compared}
    counted.difference_update(field_key(name) for name in names if name not in only_compared)
    for key in keys:
        if key in counted and key_numbers(texts, lowered, key) is not None:
            continue
        kept = key_values(texts, lowered, key, len(texts), cancelled)
        if kept is not None:
            kept.numbers  # noqa: B018  # made now too, for a comparison (~35 ms at 1M)


# ----- a census of the common keys' numbers ----------------------------------------------------

# At most this many keys, and this many values over all of them per text (12 bytes a value:
# ~36 MB at 1M texts), so a log with many common keys stays within its memory.
CENSUS_KEYS = 6
CENSUS_VALUES_PER_TEXT = 3


def key_numbers(
    texts: Sequence[str], lowered: Mapping[int, str] | Sequence[str], key: str
) -> KeyNumbers | None:
    """The numbers of data field ``key`` over all of ``texts`` (``lowered``: their kept lowered
    copy) that a census read, or a comparison (:func:`compared_numbers`); None when none
    covers these very texts."""
    with _slot_lock:
        slot = _slot_of(texts)
        if slot is None or slot.low is not lowered or slot.covered(texts) != len(texts):
            return None
        kept = slot.census.get(key)
        if kept is None or kept.covered != len(texts):
            kept = slot.numbers.get(key)
    return kept if kept is not None and kept.covered == len(texts) else None


def take_census(
    texts: Sequence[str],
    cancelled: Callable[[], bool] | None = None,
    keys: Sequence[str] | None = None,
) -> list[str]:
    """Read ahead the numbers of the data keys most of ``texts`` hold (a sample chooses them;
    or ``keys``, lowered ASCII keys without a dot), so that the first comparison on one
    (``revision_id>55000``) costs what the next do; the keys read (none when the texts are
    not kept lowered: :func:`lowered_texts` first). Keys chosen by the sample are followed,
    within the same budget, by the few numbers of the keys most texts hold as words
    (``module_type>5``: :func:`_census_of_words`), which it does not list.

    For the TUI's index thread once the index is built: ~0.4 s a key at 1M texts, 12 bytes a
    value. The lock is only held to look and to store, so a filter does not wait for it;
    between steps of :data:`LOWER_STEP` texts, raises :class:`SearchCancelled` once
    ``cancelled()`` is true or other texts are kept lowered (the keys done are kept)."""
    index = isinstance(texts, SearchIndex)
    with _slot_lock:
        slot = _slot_of(texts)
        covered = len(texts)  # before the flags: they cover these texts
        if slot is None or not texts or slot.covered(texts) != covered:
            return []
        # The lists only grow; their first ``covered`` items stay as they are.
        low, ascii_ = slot.low, slot.flags()

    def stop() -> bool:
        # Texts kept lowered in its place (another log's) end it: it would hold the old copy
        # (an index keeps its own).
        return (cancelled is not None and cancelled()) or (not index and _slot[0] is not slot)

    done: list[str] = []
    budget = CENSUS_VALUES_PER_TEXT * covered
    chosen = keys is None
    if keys is None:
        keys = common_number_keys(low, covered, DATA_LINE)
    for key in keys[:CENSUS_KEYS]:
        with _slot_lock:
            kept = slot.census.get(key)
        if kept is None or kept.covered != covered:
            kept = KeyNumbers.read(key, low, ascii_, covered, DATA_LINE, LOWER_STEP, stop)
            with _slot_lock:
                slot.census[key] = kept
        done.append(key)
        budget -= kept.numbers.count
        if budget <= 0:
            return done
    if chosen:
        _census_of_words(slot, low, ascii_, covered, budget, stop)
    return done


def _census_of_words(
    slot: _Lowered,
    low: list[str],
    ascii_: Sequence[int] | None,
    covered: int,
    budget: int,
    stop: Callable[[], bool],
) -> None:
    """The few numbers of the keys most of ``low[:covered]`` hold as words (``module_type:
    prompt``), kept with the compared keys' (``slot.numbers``): a comparison on one answers
    from them, not after reading its values (~1.5 s of CPU at 1M texts on a slow machine;
    these take ~0.3 s a key, skipping the texts where no number follows the key)."""
    for key in common_word_keys(low, covered, DATA_LINE)[:CENSUS_KEYS]:
        with _slot_lock:
            kept = slot.numbers.get(key)
        if kept is None or kept.covered != covered:
            kept = KeyNumbers.read(
                key, low, ascii_, covered, DATA_LINE, LOWER_STEP, stop, skip_words=True
            )
            with _slot_lock:
                slot.numbers[key] = kept
        budget -= kept.numbers.count
        if budget <= 0:
            return
