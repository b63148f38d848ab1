"""The filter language shared by the TUI and ``fuse-tui show --grep``.

Syntax (one expression):

- ``text``      case-insensitive substring;
- ``re:PATTERN`` a Python regular expression, case-insensitive (``(?-i:…)`` makes part of it
  case-sensitive);
- a leading ``!`` inverts either form (``!re:^Sent``); ``\\!`` or ``\\re:`` at the start means the
  literal text.

An entry is searched in what a person sees of it: its class, module type, result variable and
line, each made one display line by :func:`escape_control`. ``matches`` and ``spans`` use the same
compiled pattern over the same text, so highlighting and "next match" never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# User regexes run on the `regex` module: it resists catastrophic backtracking far better than
# `re`, and it takes a timeout, so `re:(a|aa)+$` on a hostile line cannot freeze the TUI or hang
# `show --grep` (stdlib `re` holds the GIL and cannot be interrupted).
import regex

from fuse_tui.core.model import LogEntry
from fuse_tui.core.textsafe import escape_control

# Fields are joined with a newline: escaped text never contains one, and with re.MULTILINE
# ``^``/``$`` anchor at each field's start and end, as they would when searching a field alone.
FIELD_SEPARATOR = "\n"


# How long one regex search may take on one entry. Ordinary searches take microseconds.
REGEX_TIMEOUT = 0.25


class QueryError(ValueError):
    """The query cannot be used (an invalid or too slow regular expression); ``str()`` says why.

    Raised by :meth:`Query.parse`, and by :meth:`Query.matches_text` when a regular expression
    takes longer than :data:`REGEX_TIMEOUT` on one entry.
    """


def _too_slow(source: str) -> QueryError:
    return QueryError(
        f"the regular expression {source!r} takes too long on this log "
        "(it backtracks catastrophically); simplify it, e.g. avoid nested repeats like (a+)+"
    )


def search_text(entry: LogEntry) -> str:
    """The text of ``entry`` that a query searches: class, module, result variable, line."""
    event = entry.event
    return FIELD_SEPARATOR.join(
        (
            entry.kind,
            escape_control(event.module_type or ""),
            escape_control(event.result_variable or ""),
            escape_control(event.line or ""),
        )
    )


@dataclass(frozen=True)
class Query:
    """A parsed filter expression. ``Query.parse("")`` matches everything."""

    text: str = ""
    # A compiled `re` pattern for literal text, a `regex` pattern for ``re:`` queries.
    pattern: Any = None
    inverted: bool = False
    is_regex: bool = False
    _literal: str = field(default="", repr=False)

    @classmethod
    def parse(cls, text: str) -> Query:
        """Parse ``text``; raise :class:`QueryError` for an invalid regular expression."""
        body = text
        inverted = False
        if body.startswith("!"):
            inverted = True
            body = body[1:]
        is_regex = False
        if body.startswith("re:"):
            is_regex = True
            body = body[3:]
        elif body.startswith("\\!") or body.startswith("\\re:"):
            body = body[1:]
        if not body:
            return cls(text=text)
        if is_regex:
            try:
                # V0: the same syntax and behaviour as the standard library's `re`.
                pattern = regex.compile(body, regex.IGNORECASE | regex.MULTILINE | regex.V0)
            except (regex.error, ValueError, OverflowError) as exc:
                raise QueryError(f"invalid regular expression: {exc}") from exc
            return cls(text=text, pattern=pattern, inverted=inverted, is_regex=True)
        # A literal is searched in the text as shown, where a newline reads "\\n".
        body = escape_control(body)
        literal = body.lower()
        pattern = re.compile(re.escape(body), re.IGNORECASE)
        return cls(text=text, pattern=pattern, inverted=inverted, _literal=literal)

    @property
    def is_empty(self) -> bool:
        return self.pattern is None

    def matches_text(self, haystack: str) -> bool:
        """Whether a :func:`search_text` string passes the filter (the fast path for big lists)."""
        if self.pattern is None:
            return True
        if self._literal and haystack.isascii() and self._literal.isascii():
            found = self._literal in haystack.lower()
        elif self.is_regex:
            try:
                found = self.pattern.search(haystack, timeout=REGEX_TIMEOUT) is not None
            except TimeoutError as exc:
                raise _too_slow(self.text) from exc
        else:
            found = self.pattern.search(haystack) is not None
        return found != self.inverted

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` passes the filter."""
        return self.matches_text(search_text(entry))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` (one displayed field) matches, as ``(start, end)`` pairs to highlight.

        Empty for an inverted query (the entries it keeps are those that do not match) and for
        zero-width regex matches, which have nothing to highlight.
        """
        if self.pattern is None or self.inverted:
            return []
        if not self.is_regex:
            return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]
        try:
            found = self.pattern.finditer(text, timeout=REGEX_TIMEOUT)
            return [m.span() for m in found if m.end() > m.start()]
        except TimeoutError:  # drawing must not fail: no highlight rather than a frozen row
            return []
