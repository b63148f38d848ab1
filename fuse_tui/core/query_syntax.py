"""The grammar of the filter language: a query's text cut into terms (no matching here).

A query is terms separated by unquoted whitespace, all of which must hold (AND):

- ``word`` / ``"a phrase"``: a case-insensitive substring anywhere in the entry;
- ``field:value`` / ``field:"two words"``: a substring of one field (``class``, ``module``,
  ``var``, ``line``, or a data key by its name or dotted path suffix); ``status: 500``, as the
  detail pane shows a field, is the same term;
- ``field:re:PATTERN``: a regular expression on that field's values;
- ``field>N`` ``>=`` ``<`` ``<=`` ``=``: a numeric comparison of that field's values;
- ``re:PATTERN``: a regular expression anywhere; unquoted, it runs to the end of the query
  (spaces included, so it goes last); ``re:"…"`` ends at its closing quote, so terms may follow;
- a leading ``!`` negates one term; ``\\!`` and ``\\re:`` at a term's start are the literal text.

Quoting is shell-like: ``"…"`` segments join the unquoted text around them into one term, and
inside quotes ``\\"`` is a quote and ``\\\\`` a backslash. A quoted regex (``re:"…"``) keeps
its backslashes as typed (the regex reads ``\\"`` as a quote); an unquoted one takes quotes
literally. A field name starts with a letter or ``_`` and holds letters, digits, ``_``, ``.``
and ``-`` (so ``12:30`` is a word); a word that only looks like a field (``http://host``) is
quoted to be a word (``"http://host"``).

Columns in :class:`QueryError` are 1-based, counted in characters of the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPARISONS = (">=", "<=", ">", "<", "=")
# The field operator at a term's start: a name then ":" or a comparison.
_FIELD = re.compile(r"([^\W\d][\w.\-]*)(>=|<=|:|>|<|=)")
# A number as the user may type it and as data holds it (no nan/inf, no "1_000").
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


# A field term's name at a term's start, its value typed or not yet ("revision_id>").
_FIELD_AHEAD = re.compile(r"(?:^|(?<=\s))!?([^\W\d][\w.\-]*)(>=|<=|:|>|<|=)")


def field_names(text: str) -> list[str]:
    """The names of the field terms of a filter, finished or not, in order, once each
    (``revision_id>`` names ``revision_id`` though it does not parse yet; a name in a quoted
    phrase may be named too: reading a field ahead is only ever extra work)."""
    return list(dict.fromkeys(match.group(1) for match in _FIELD_AHEAD.finditer(text)))


def compared_names(text: str) -> set[str]:
    """Those of :func:`field_names` that the filter only compares (``revision_id>``), never
    searches for a substring (``revision_id:5``)."""
    ops: dict[str, set[str]] = {}
    for match in _FIELD_AHEAD.finditer(text):
        ops.setdefault(match.group(1), set()).add(match.group(2))
    return {name for name, used in ops.items() if ":" not in used}


class QueryError(ValueError):
    """The query cannot be used (bad syntax, an invalid or too slow regular expression);
    ``str()`` says why and, for syntax, where: ``column`` is the 1-based column of the problem
    in the query (None when it is not one place, e.g. a regex too slow on this log).

    Raised by ``Query.parse``, and by ``Query.matches_text``/``select`` when a regular
    expression takes longer than ``REGEX_TIMEOUT`` on one entry.
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message if column is None else f"{message} (column {column})")
        self.column = column


class SearchCancelled(QueryError):
    """A search stopped because its caller's ``cancelled()`` said so (a newer search superseded
    it). Only a caller that passed ``cancelled`` sees it; it is a :class:`QueryError` so that
    code which handles a search that did not finish handles this one too."""

    def __init__(self) -> None:
        super().__init__("the search was cancelled")


@dataclass(frozen=True)
class ParsedTerm:
    """One term as typed. ``field`` is None for a term that searches the whole entry; ``op`` is
    ``":"`` or a comparison; ``value`` is the text, the pattern or the number as typed."""

    value: str
    negated: bool = False
    is_regex: bool = False
    field: str | None = None
    op: str = ":"
    column: int = 1  # where the term starts (1-based)
    value_column: int = 1  # where its value starts


def parse_terms(text: str, *, strict: bool = False) -> list[ParsedTerm]:
    """The terms of ``text`` in order; empty terms (a lone ``!``, ``re:``, ``""``) are left out
    so a query being typed is never an error for them, unless ``strict`` (a query given whole,
    as ``show --grep`` or archive search take it: ``!`` there would keep every entry without a
    word). Raises :class:`QueryError`."""
    terms: list[ParsedTerm] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return terms
        start = pos
        term, pos = _term(text, pos)
        if term is not None:
            terms.append(term)
        elif strict:
            raise QueryError(_empty_term(text[start:pos]), start + 1)


def _empty_term(typed: str) -> str:
    """Why a term that says nothing is refused in a strict query."""
    if typed == "!":
        return "`!` needs a term after it (`!class:debug`)"
    if typed.lstrip("!").startswith("re:"):
        return f"`{typed}` needs a pattern"
    return f"`{typed}` is empty: put what to look for between the quotes"


def _term(text: str, start: int) -> tuple[ParsedTerm | None, int]:
    pos = start
    negated = False
    if text[pos] == "!":
        negated = True
        pos += 1
    if text.startswith("\\!", pos) or text.startswith("\\re:", pos):
        # Old habits: the backslash makes the rest a plain word.
        value, end = _word(text, pos + 1)
        return _plain(value, negated, start, pos + 1), end
    if text.startswith("re:", pos):
        pattern, end = _regex(text, pos + 3)
        if not pattern:
            return None, end
        return ParsedTerm(pattern, negated, True, None, ":", start + 1, pos + 4), end
    field = _FIELD.match(text, pos)
    if field is None:
        value, end = _word(text, pos)
        return _plain(value, negated, start, pos), end
    name, op = field.group(1), field.group(2)
    vpos = field.end()
    shown = text[pos:vpos]
    if op == ":":
        # "status: 500" as the detail pane shows it reads as status:500.
        while vpos < len(text) and text[vpos].isspace():
            vpos += 1
    if op == ":" and text.startswith("re:", vpos):
        pattern, end = _regex(text, vpos + 3)
        if not pattern:
            raise QueryError(f"`{shown}re:` needs a pattern", vpos + 4)
        return ParsedTerm(pattern, negated, True, name, op, start + 1, vpos + 4), end
    value, end = _word(text, vpos)
    if op == ":":
        if end == vpos:
            raise QueryError(
                f'`{shown}` needs a value (`{shown}""` for any value; quote a word with a '
                'colon in it: `"a:b"`)',
                vpos + 1,
            )
        return ParsedTerm(value, negated, False, name, op, start + 1, vpos + 1), end
    if not NUMBER.fullmatch(value):
        found = f", not {value!r}" if value else ""
        raise QueryError(f"`{shown}` needs a number{found}", vpos + 1)
    return ParsedTerm(value, negated, False, name, op, start + 1, vpos + 1), end


def _plain(value: str, negated: bool, start: int, vpos: int) -> ParsedTerm | None:
    if not value:
        return None
    return ParsedTerm(value, negated, column=start + 1, value_column=vpos + 1)


def _word(text: str, pos: int) -> tuple[str, int]:
    """Quoted and unquoted segments up to the next unquoted whitespace: the text and the end."""
    out: list[str] = []
    while pos < len(text) and not text[pos].isspace():
        if text[pos] != '"':
            out.append(text[pos])
            pos += 1
            continue
        opened = pos
        pos += 1
        while True:
            if pos >= len(text):
                raise QueryError("this quote is never closed", opened + 1)
            char = text[pos]
            if char == "\\" and pos + 1 < len(text) and text[pos + 1] in '"\\':
                out.append(text[pos + 1])
                pos += 2
            elif char == '"':
                pos += 1
                break
            else:
                out.append(char)
                pos += 1
    return "".join(out), pos


def _regex(text: str, pos: int) -> tuple[str, int]:
    """A ``re:`` pattern: quoted (backslashes kept), else the rest of the query."""
    if pos < len(text) and text[pos] == '"':
        opened = pos
        pos += 1
        begin = pos
        while pos < len(text):
            if text[pos] == "\\":
                pos += 2
                continue
            if text[pos] == '"':
                if pos + 1 < len(text) and not text[pos + 1].isspace():
                    raise QueryError("put a space after the pattern's closing quote", pos + 2)
                return text[begin:pos], pos + 1
            pos += 1
        raise QueryError("this quote is never closed", opened + 1)
    # Unquoted: the rest of the query, spaces and all (as before terms existed).
    return text[pos:], len(text)
