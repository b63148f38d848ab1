"""The filter language (``core.query``) translated into SQL for the archive.

What the events table holds is translated, the rest is checked in Python afterwards:

- words and ``"phrases"``: FTS5 over the line and the data values, a word (a phrase's last word)
  matching the words it starts (``fail`` finds "failed"), or a substring (LIKE) of them without
  FTS5. Unlike the TUI, a word does not look inside a word (``ail``), nor at the class, module,
  result variable or data keys (``class:``/``module:`` do the first two);
- ``class:`` ``module:`` ``line:`` with a plain ASCII value: a substring (LIKE) of the column;
- ``!`` before any of those: NOT;
- everything else (``var:``, data ``field:value``, numeric comparisons, ``re:``, a value with
  other than printable ASCII, which SQLite's LIKE would compare differently) is left in
  :attr:`SearchPlan.post`, a ``Query`` the archive runs on the candidate events: one
  implementation of matching, the TUI's. SQL still narrows the candidates where it safely can.

FTS5 operators typed by the user (AND, OR, NEAR, ``^``) are quoted, so they are plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fuse_tui.core.query_syntax import ParsedTerm, parse_terms

if TYPE_CHECKING:
    from fuse_tui.core.query import Query

# The columns ``class:``, ``module:`` and ``line:`` read; a missing class reads "unknown" as
# in the TUI.
_COLUMNS = {
    "class": "(CASE WHEN e.class IS NULL OR e.class = '' THEN 'unknown' ELSE e.class END)",
    "module": "coalesce(e.module, '')",
    "line": "e.line",
}
# What a data value reads in search_text but not in data_text: a narrowing by the value must
# not drop these.
_NOT_IN_DATA_TEXT = ("null", "{}", "[]")


@dataclass(frozen=True)
class SearchTerm:
    text: str
    prefix: bool = False


@dataclass
class SearchPlan:
    """``where`` clauses (AND-ed) and their ``params``; ``fts_terms``: the words for one FTS5
    MATCH joined to the events; ``post``: what the candidate events must still pass in Python
    (None: the SQL answers exactly)."""

    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    fts_terms: list[SearchTerm] = field(default_factory=list)
    post: Query | None = None


def plan_search(query: str, *, fts: bool) -> SearchPlan:
    """Translate ``query``; raises ``QueryError`` (with its column) for a query that is not
    one, the same sentence the TUI and ``show --grep`` give."""
    # NUL ends a C string inside SQLite's FTS5 parser ("unterminated string"): never searchable.
    query = query.replace("\x00", " ")
    plan = SearchPlan()
    left: list[ParsedTerm] = []
    for term in parse_terms(query, strict=True):
        if not _translate(term, plan, fts):
            left.append(term)
            _narrow(term, plan)
    if left:
        # Imported here: a query SQL answers alone (most) needs none of the TUI's matching.
        from fuse_tui.core.query import Query

        plan.post = Query.of_terms(query, left)
    return plan


def _translate(term: ParsedTerm, plan: SearchPlan, fts: bool) -> bool:
    """Add ``term`` to ``plan`` as SQL; False when SQL cannot answer it exactly."""
    if term.is_regex or not _plain_ascii(term.value.rstrip("*") or term.value):
        return False
    if term.field is None:
        # A word matches the words that start with it (`fail` finds "failed", `requ`
        # "request"): FTS5's whole words would say "nothing" where the TUI finds the word.
        word = SearchTerm(_search_term(term.value).text, prefix=True)
        if fts and not term.negated:
            plan.fts_terms.append(word)
        elif fts:
            plan.where.append("e.id NOT IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            plan.params.append(fts_expression([word]))
        else:
            pattern = like_pattern(word)
            clause = "(e.line LIKE ? ESCAPE '\\' OR e.data_text LIKE ? ESCAPE '\\')"
            plan.where.append(f"NOT {clause}" if term.negated else clause)
            plan.params += [pattern, pattern]
        return True
    column = _COLUMNS.get(term.field.lower())
    if column is None or term.op != ":":
        return False
    clause = f"{column} LIKE ? ESCAPE '\\'"
    plan.where.append(f"NOT {clause}" if term.negated else clause)
    plan.params.append(like_pattern(SearchTerm(term.value)))
    return True


def _narrow(term: ParsedTerm, plan: SearchPlan) -> None:
    """A condition every event passing ``term`` meets, to spare Python most of the events."""
    if term.negated or term.field is None or term.field.lower() in _COLUMNS:
        return
    if term.field.lower() == "var":
        return
    if term.op != ":":
        plan.where.append("e.data_text != ''")  # a number is a data value
        return
    value = term.value
    if term.is_regex or not _plain_ascii(value):
        return
    if any(value.lower() in shown for shown in _NOT_IN_DATA_TEXT):
        return
    plan.where.append("e.data_text LIKE ? ESCAPE '\\'")
    plan.params.append(like_pattern(SearchTerm(value)))


def _plain_ascii(text: str) -> bool:
    """Printable ASCII without a backslash: LIKE compares it as the TUI does (escaped text
    shows control characters as backslash sequences)."""
    return bool(text) and all(" " <= ch <= "~" and ch != "\\" for ch in text)


def _search_term(word: str) -> SearchTerm:
    prefix = word.endswith("*") and len(word.rstrip("*")) > 0
    return SearchTerm(word.rstrip("*") if prefix else word, prefix)


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
