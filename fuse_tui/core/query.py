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

from fuse_tui.core.model import LogEntry
from fuse_tui.core.textsafe import escape_control

# Fields are joined with a newline: escaped text never contains one, and with re.MULTILINE
# ``^``/``$`` anchor at each field's start and end, as they would when searching a field alone.
FIELD_SEPARATOR = "\n"


class QueryError(ValueError):
    """The query cannot be used (an invalid regular expression); ``str()`` says why."""


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
    pattern: re.Pattern[str] | None = None
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
                pattern = re.compile(body, re.IGNORECASE | re.MULTILINE)
            except re.error as exc:
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
        return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]
