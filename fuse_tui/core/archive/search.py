"""Turn a user's search text into SQL: an FTS5 MATCH expression, or LIKE clauses without FTS5.

The search language is deliberately small: whitespace-separated terms that must all occur
(in the line or in a data value), ``"two words"`` for a phrase, and ``term*`` for a prefix.
FTS5 operators typed by the user (AND, OR, NEAR, ``:``, ``^``) are treated as plain words so a
search can never be a syntax error.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchTerm:
    text: str
    prefix: bool = False


def parse_terms(query: str) -> list[SearchTerm]:
    # NUL ends a C string inside SQLite's FTS5 parser ("unterminated string"): never searchable.
    query = query.replace("\x00", " ")
    try:
        words = shlex.split(query, posix=True)
    except ValueError:  # an unbalanced quote: take the words literally
        words = query.split()
    terms: list[SearchTerm] = []
    for word in words:
        prefix = word.endswith("*") and len(word.rstrip("*")) > 0
        text = word.rstrip("*") if prefix else word
        if text.strip():
            terms.append(SearchTerm(text, prefix))
    return terms


def fts_expression(terms: list[SearchTerm]) -> str:
    """``"a" "b c"*`` — every term quoted (so it is never FTS syntax) and AND-ed."""
    parts = []
    for term in terms:
        quoted = '"' + term.text.replace('"', '""') + '"'
        parts.append(quoted + ("*" if term.prefix else ""))
    return " ".join(parts)


def like_pattern(term: SearchTerm) -> str:
    """A LIKE pattern (ESCAPE '\\') matching the term as a substring."""
    escaped = term.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
