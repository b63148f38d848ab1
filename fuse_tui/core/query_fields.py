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

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import regex

from fuse_tui.core.query_syntax import NUMBER, QueryError
from fuse_tui.core.textsafe import escape_control

BUILTIN_FIELDS = {"class": 0, "module": 1, "var": 2, "line": 3}
# Data leaves start after the four fixed lines.
DATA_LINE = len(BUILTIN_FIELDS)
DATA_PREFIX = "data."

# The same budget as a whole-entry regex (query.REGEX_TIMEOUT); repeated to keep this module
# free of query.py (which imports it).
FIELD_REGEX_TIMEOUT = 0.25

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
}


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
            flags = regex.IGNORECASE | regex.MULTILINE | regex.V0
            try:
                pattern = regex.compile(value, flags)
            except (regex.error, ValueError, OverflowError) as exc:
                offset = getattr(exc, "pos", None) or 0
                raise QueryError(
                    f"invalid regular expression: {getattr(exc, 'msg', None) or exc}",
                    column + offset,
                ) from exc
            return cls(text, key, builtin, op, negated, True, pattern=pattern, _leaf=leaf)
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

    def _ascii_hit(self, text: str, low: str) -> bool:
        """Whether a value of this data field in an ASCII ``text`` holds (``low``: its lowered
        copy, same offsets): :meth:`values` by plain finds instead of a case-blind regex."""
        probe = self.key + ": "
        after = len(self.key)
        holds = self.holds
        pos = low.find(probe)
        while pos >= 0:
            line_start = low.rfind("\n", 0, pos) + 1
            # The key ends the path (at the line's start or after a dot), this is the line's
            # first ": " (else the probe is inside a value), and the line is a data line.
            if (
                (pos == line_start or low[pos - 1] == ".")
                and low.find(": ", line_start, pos + after) < 0
                and low.count("\n", 0, line_start) >= DATA_LINE
            ):
                end = low.find("\n", pos)
                if holds(text[pos + after + 2 : end if end >= 0 else len(text)]):
                    return True
            pos = low.find(probe, pos + 1)
        return False

    # ----- matching ----------------------------------------------------------------------------

    def holds(self, value: str) -> bool:
        """Whether one value satisfies the term (before negation)."""
        if self.op != ":":
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

    def matches_text(self, text: str) -> bool:
        return any(self.holds(value) for value in self.values(text)) != self.negated

    def select(
        self,
        texts: Sequence[str],
        chosen: list[int],
        lowered: Mapping[int, str] | Sequence[str],
        ascii_: Mapping[int, bool] | Sequence[bool],
    ) -> list[int]:
        """Which of ``chosen`` pass; ``lowered[i]`` is ``texts[i].lower()``, ``ascii_[i]``
        whether ``texts[i]`` is ASCII."""
        # Quick, sure refusals on the lowered text of an ASCII entry first: a data field whose
        # key is not in it, a substring that is nowhere in it. (Not for other text: case-blind
        # matching finds "s" in the long s U+017F, which lowering does not.)
        key = self.key if self.builtin is None and self.key.isascii() else ""
        needle = self.needle if self.needle.isascii() else ""
        hits: list[int] = []
        holds = self.holds
        for i in chosen:
            if ascii_[i]:
                low = lowered[i]
                if needle and needle not in low:
                    continue
                if key:
                    if self._ascii_hit(texts[i], low):
                        hits.append(i)
                    continue
            if any(holds(value) for value in self.values(texts[i])):
                hits.append(i)
        if not self.negated:
            return hits
        found = set(hits)
        return [i for i in chosen if i not in found]

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


# ----- the lowered copy of a list of search texts ----------------------------------------------

# One slot: the texts last lowered (held, so their id stays theirs), their length and end items
# (a list rebuilt in place is caught by these), their lowered copy and which are ASCII. The TUI
# filters the same texts at every keystroke; lowering 1M texts costs ~0.2 s each time otherwise.
_cache: list[Any] = [None]


def lowered_texts(
    texts: Sequence[str], chosen: Sequence[int]
) -> tuple[Mapping[int, str] | Sequence[str], Mapping[int, bool] | Sequence[bool]]:
    """``texts[i].lower()`` and ``texts[i].isascii()`` for every ``i`` in ``chosen``.

    All the texts are lowered and kept for the next call when ``chosen`` is most of them; a few
    are lowered on their own. ``texts`` must not be changed in place between calls (the TUI
    builds a new list when the log grows).
    """
    slot = _cache[0]
    if (
        slot is not None
        and slot[0] is texts
        and slot[1] == len(texts)
        and (not texts or (slot[2] is texts[0] and slot[3] is texts[-1]))
    ):
        return slot[4], slot[5]
    if len(chosen) * 4 < len(texts):
        return {i: texts[i].lower() for i in chosen}, {i: texts[i].isascii() for i in chosen}
    low = [text.lower() for text in texts]
    ascii_ = [text.isascii() for text in texts]
    first, last = (texts[0], texts[-1]) if texts else (None, None)
    _cache[0] = (texts, len(texts), first, last, low, ascii_)
    return low, ascii_
