"""What a ``re:`` term's regular expression must contain, read from its source, so that
:meth:`fuse_tui.core.query.Query.select` can answer most entries with plain string operations.

:func:`plan_of` reads a small, common part of the regex syntax (literal characters, ``.``,
``^``, ``$``, sets, ``\\d``-style classes, groups ``(…)`` / ``(?:…)``, ``|`` and quantifiers)
and gives up (None) on anything else: inline flags (``(?x)`` changes what a space means),
lookarounds, ``\\x41``-style escapes, nested sets (``[[:alpha:]]``), fuzzy ``{e<=1}``. What it
reads holds for the regex as compiled for a query (IGNORECASE | MULTILINE, V0, no DOTALL):

- ``required``: each clause lists literals one of which any match contains. On an ASCII text a
  match of an ASCII literal, case-blind, is that literal in the lowered text — not so on other
  text ("s" matches the long s U+017F, "k" the Kelvin sign), which is searched by the regex;
- ``exact``: the regex is a finite set of literals, each maybe at a line's start (``^``) or end
  (``$``): on an ASCII text it matches exactly when one of them occurs there;
- ``any_char``: ``.`` or ``.+``, which match any text holding a character other than "\\n";
- ``everything``: a regex of single-character items that may all be absent (``.*``, ``x?``)
  matches at the start of every text, at once (no backtracking can make it slow).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from itertools import product

__all__ = ["RegexPlan", "case_matters", "case_sensitive_plan", "plan_of"]

# More literals than this in an exact plan cost more passes than the regex: none then.
MAX_EXACT = 16

_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
# Escapes of one character whose meaning is one character or a class (never a literal of
# several characters, a reference or a property): the others make the plan give up.
_CLASS_ESCAPES = set("dDwWsS")
_ZERO_WIDTH_ESCAPES = set("bB")
_CHAR_ESCAPES = {"n": "\n", "t": "\t"}
_PUNCTUATION = set(string.punctuation) - {"_"}
_INFINITE = -1


class _GiveUp(Exception):
    """The source uses syntax this module does not read."""


@dataclass(frozen=True)
class _Item:
    """One atom and its repeat count: ``kind`` is "lit" (``char``), "any" (``.``), "class"
    (a set or a class escape: one character), "zero" (``\\b``), "start", "end" or "group"."""

    kind: str
    char: str = ""
    group: tuple[tuple[_Item, ...], ...] = ()  # a group's branches
    low: int = 1
    high: int = 1


@dataclass(frozen=True)
class RegexPlan:
    """What :func:`plan_of` read of a regex (see the module's docstring)."""

    required: tuple[tuple[str, ...], ...] = ()
    # (lowered literal, at a line's start, at a line's end); None when not a literal set.
    exact: tuple[tuple[str, bool, bool], ...] | None = None
    any_char: bool = False
    everything: bool = False


def plan_of(source: str) -> RegexPlan | None:
    """The plan of a ``re:`` term's ``source``; None when it uses syntax not read here."""
    try:
        branches, end = _parse_alternation(source, 0)
    except _GiveUp:
        return None
    if end != len(source):  # an unbalanced ")"
        return None
    # One branch only: with several, an earlier one could backtrack for long before an empty
    # one matched, and the entry's own search would answer "too slow" where this said yes.
    everything = len(branches) == 1 and all(_optional_char(item) for item in branches[0])
    any_char = len(branches) == 1 and _is_any_char(branches[0])
    return RegexPlan(
        required=_required(branches),
        exact=_exact(branches),
        any_char=any_char,
        everything=everything,
    )


# Constructs that can tell an ASCII letter from its lower case despite IGNORECASE: a property
# (the regex module folds \p{Lu} but not \p{Changes_When_Lowercased}, nor, it may be, others),
# a POSIX class ("[:" anywhere: a false alarm only costs a search of the original texts), a
# fuzzy constraint ({e<=1}: braces holding a letter). Read a token at a time, so that a named
# character (\N{LATIN CAPITAL LETTER S}, case-blind) is not taken for a constraint.
_TOKEN = re.compile(r"\\N\{[^}]*\}|\\.|\{[^}]*\}|[^\\{]+", re.DOTALL)
# The "(?" openings known to keep a regex case-blind: non-capturing, comment, branch reset,
# lookarounds, atomic, named groups, references and recursion, conditionals, and turning on
# only the flags a i m s u x w. Not: turning a flag off ("(?-i)", "(?s-i:"), f, L, V, b, e, r,
# or any other.
_CASE_BLIND_OPENING = re.compile(
    r"\(\?(?:[:#|=!>&(]|<[=!]|P?<[^\W\d]|P[=>]|R\)|[+-]?\d|[aimsuxw]+[:)])"
)
_OPENING = re.compile(r"\(\?")
_LETTER = re.compile("[a-zA-Z]")


def case_matters(source: str) -> bool:
    """Whether the ``re:`` regex ``source``, compiled as a query compiles it (IGNORECASE), may
    answer differently on an ASCII text and on its lowered form; conservative: True for anything
    not known to be case-blind (see _TOKEN and _CASE_BLIND_OPENING). Literals, sets,
    ranges (``[^a-z]`` too), ``\\N{…}``, ``\\x41``, back references and the other escapes
    compare case-blind under IGNORECASE."""
    if "[:" in source:
        return True
    for token in _TOKEN.finditer(source):
        text = token.group()
        if text[:2] in ("\\p", "\\P") or (text[0] == "{" and _LETTER.search(text)):
            return True
    return any(
        not _CASE_BLIND_OPENING.match(source, opening.start())
        for opening in _OPENING.finditer(source)
    )


_CASE_SENSITIVE = "(?-i)"


def case_sensitive_plan(source: str) -> RegexPlan | None:
    """For a regex made case-sensitive as a whole, ``(?-i)`` and a case-blind rest: the plan
    of the rest when it has required literals (None otherwise). Any match of the whole is a
    match of the rest case-blind (a literal, a set or a reference compared case-blind accepts
    more, never less), so it holds a literal of each clause, lowered in a lowered text: a
    sure refusal for the texts that hold none. Not with a negated set (``[^a]`` case-blind
    refuses "A", which case-sensitive it accepts) nor anything plan_of does not read (a negative
    lookaround would turn "accepts more" round)."""
    if not source.startswith(_CASE_SENSITIVE):
        return None
    rest = source[len(_CASE_SENSITIVE) :]
    if "[^" in rest or case_matters(rest):
        return None
    plan = plan_of(rest)
    return plan if plan is not None and plan.required else None


# ----- reading the source ----------------------------------------------------------------------


def _parse_alternation(source: str, pos: int) -> tuple[list[tuple[_Item, ...]], int]:
    """Branches from ``pos`` up to an unmatched ``)`` or the end, and where they stop."""
    branches: list[tuple[_Item, ...]] = []
    items: list[_Item] = []
    while pos < len(source):
        char = source[pos]
        if char == ")":
            break
        if char == "|":
            branches.append(tuple(items))
            items = []
            pos += 1
            continue
        if char in "*+?{":
            if not items or items[-1].low != 1 or items[-1].high != 1:
                raise _GiveUp  # nothing to repeat, or a repeat of a repeat
            if items[-1].kind in ("start", "end", "zero"):
                raise _GiveUp
            low, high, pos = _quantifier(source, pos)
            last = items.pop()
            items.append(_Item(last.kind, last.char, last.group, low, high))
            continue
        item, pos = _atom(source, pos)
        items.append(item)
    branches.append(tuple(items))
    return branches, pos


def _quantifier(source: str, pos: int) -> tuple[int, int, int]:
    char = source[pos]
    if char == "{":
        found = _QUANTIFIER.match(source, pos)
        if found is None:
            raise _GiveUp  # a literal brace, or a fuzzy constraint
        low_text, comma, high_text = found.groups()
        low = int(low_text) if low_text else 0
        high = (int(high_text) if high_text else _INFINITE) if comma else low
        if not low_text and not comma:
            raise _GiveUp
        pos = found.end()
    else:
        low, high = {"*": (0, _INFINITE), "+": (1, _INFINITE), "?": (0, 1)}[char]
        pos += 1
    if pos < len(source) and source[pos] == "+":
        raise _GiveUp  # possessive
    if pos < len(source) and source[pos] == "?":
        pos += 1  # lazy: the same matches exist
    return low, high, pos


def _atom(source: str, pos: int) -> tuple[_Item, int]:
    char = source[pos]
    if char == "\\":
        if pos + 1 >= len(source):
            raise _GiveUp
        escaped = source[pos + 1]
        if escaped in _CLASS_ESCAPES:
            return _Item("class"), pos + 2
        if escaped in _ZERO_WIDTH_ESCAPES:
            return _Item("zero"), pos + 2
        if escaped in _CHAR_ESCAPES:
            return _Item("lit", _CHAR_ESCAPES[escaped]), pos + 2
        if escaped in _PUNCTUATION:
            return _Item("lit", escaped), pos + 2
        raise _GiveUp
    if char == "[":
        return _Item("class"), _set_end(source, pos)
    if char == "(":
        if source.startswith("(?:", pos):
            pos += 3
        elif source.startswith("(?", pos) or source.startswith("(*", pos):
            raise _GiveUp  # flags, lookarounds, named groups, verbs…
        else:
            pos += 1
        branches, pos = _parse_alternation(source, pos)
        if pos >= len(source):
            raise _GiveUp  # unclosed
        return _Item("group", group=tuple(branches)), pos + 1
    if char == ".":
        return _Item("any"), pos + 1
    if char == "^":
        return _Item("start"), pos + 1
    if char == "$":
        return _Item("end"), pos + 1
    if char in "}#":
        raise _GiveUp
    return _Item("lit", char), pos + 1


def _set_end(source: str, pos: int) -> int:
    """Where the set opening at ``pos`` ends (after its ``]``)."""
    pos += 1
    if pos < len(source) and source[pos] == "^":
        pos += 1
    if pos < len(source) and source[pos] == "]":
        pos += 1  # a leading "]" is itself a member
    while pos < len(source):
        char = source[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            raise _GiveUp  # a POSIX class or a nested set
        if char == "]":
            return pos + 1
        pos += 1
    raise _GiveUp


# ----- what the branches say ---------------------------------------------------------------------


def _optional_char(item: _Item) -> bool:
    return item.low == 0 and item.kind in ("lit", "any", "class")


def _is_any_char(branch: tuple[_Item, ...]) -> bool:
    return len(branch) == 1 and branch[0].kind == "any" and branch[0].low == 1


def _branch_required(branch: tuple[_Item, ...]) -> list[tuple[str, ...]]:
    """Clauses every match of ``branch`` meets."""
    clauses: list[tuple[str, ...]] = []
    run: list[str] = []

    def close() -> None:
        literal = "".join(run).lower()
        if literal and literal.isascii():
            clauses.append((literal,))
        run.clear()

    for item in branch:
        if item.kind == "lit" and item.low >= 1:
            run.append(item.char)
            if item.high != 1:
                # More copies may follow: the run ends with the first, and the last one
                # begins the next run (in "9+:" a match holds "9:").
                close()
                run.append(item.char)
            continue
        close()
        if item.kind == "group" and item.low >= 1:
            clauses += _required(list(item.group))
    close()
    return clauses


def _required(branches: list[tuple[_Item, ...]]) -> tuple[tuple[str, ...], ...]:
    per_branch = [_branch_required(branch) for branch in branches]
    if len(per_branch) == 1:
        return tuple(per_branch[0])
    # Several branches: a match holds the best single literal of the branch it took.
    chosen = []
    for clauses in per_branch:
        singles = [clause[0] for clause in clauses if len(clause) == 1]
        if not singles:
            return ()
        chosen.append(max(singles, key=len))
    return (tuple(dict.fromkeys(chosen)),)


def _exact(branches: list[tuple[_Item, ...]]) -> tuple[tuple[str, bool, bool], ...] | None:
    out: list[tuple[str, bool, bool]] = []
    for branch in branches:
        items = list(branch)
        start = bool(items) and items[0].kind == "start"
        if start:
            items = items[1:]
        end = bool(items) and items[-1].kind == "end"
        if end:
            items = items[:-1]
        literals = _literals(items)
        if literals is None:
            return None
        out += [(literal, start, end) for literal in literals]
        if len(out) > MAX_EXACT:
            return None
    return tuple(dict.fromkeys(out))


def _literals(items: list[_Item]) -> list[str] | None:
    """The lowered ASCII strings a sequence of literals and groups of them matches exactly."""
    found = [""]
    for item in items:
        if item.low != 1 or item.high != 1:
            return None
        if item.kind == "lit":
            if not item.char.isascii():
                return None
            options = [item.char.lower()]
        elif item.kind == "group":
            options = []
            for branch in item.group:
                inner = _literals(list(branch))
                if inner is None:
                    return None
                options += inner
        else:
            return None
        found = ["".join(pair) for pair in product(found, options)]
        if len(found) > MAX_EXACT:
            return None
    return found
