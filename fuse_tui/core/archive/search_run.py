"""Archive search in the whole filter language: SQL for what it can answer, then the TUI's own
``Query`` on the candidate events for the rest (``re:``, ``var:``, data fields, comparisons).

``Archive.search`` and ``Archive.matching_sessions`` run through here; they pass their
connection's ``read`` and ``get`` so this module needs no ``Archive`` (and no private access).
A candidate's call is read from its archived bytes once (a few calls are kept: the events of one
call are stored together, so candidates come call by call).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from fuse_tui.core.archive import queries
from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.records import ArchivedCall, SearchHit
from fuse_tui.core.formats.errors import ReadError
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query_syntax import QueryError

if TYPE_CHECKING:
    from fuse_tui.core.archive.store import Archive
    from fuse_tui.core.query import Query

# Rows read by position (tuples, or sqlite3.Row).
ReadRows = Callable[[str, Sequence[Any]], list[Any]]
GetCall = Callable[[str], ArchivedCall | None]

# What a candidate is checked by, when SQL cannot decide alone.
CHECK_COLUMNS = "e.session_id, e.seq"
# Candidates are read this many at a time, so a search with a limit stops early.
PAGE = 500
# Calls kept read while their candidates are checked.
KEPT_CALLS = 8


def search_events(
    read: ReadRows,
    get: GetCall,
    query: str,
    *,
    fts: bool,
    limit: int | None = 100,
    **filters: Any,
) -> list[SearchHit]:
    """Events matching ``query`` and every filter, most recent first, at most ``limit``."""
    rows = search_rows(read, get, query, queries.SEARCH_COLUMNS, fts=fts, limit=limit, **filters)
    return [queries.hit_from_row(row) for row in rows]


def search_rows(
    read: ReadRows,
    get: GetCall,
    query: str,
    columns: str,
    *,
    fts: bool,
    limit: int | None = 100,
    **filters: Any,
) -> list[Any]:
    """The rows of ``columns`` of the events :func:`search_events` finds, in its order: a caller
    wanting only some columns reads only those (``archive search``'s table reads no data values
    and no seq). What SQL cannot decide alone is checked event by event: each candidate's
    session ID and seq are then read in front of ``columns``, and left out of the rows returned
    unless ``columns`` starts with them."""
    sql, params, post = queries.search_plan_sql(query, columns, fts=fts, **filters)
    order = queries.search_order(query, fts=fts)
    if post is None:
        sql += order
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return read(sql, params)
    keyed = columns.startswith(CHECK_COLUMNS)
    if not keyed:
        sql, params, _ = queries.search_plan_sql(
            query, f"{CHECK_COLUMNS}, {columns}", fts=fts, **filters
        )
    check = _Checker(get, post)
    rows: list[Any] = []
    for row in _pages(read, sql + order, params):
        if check(row[0], int(row[1])):
            rows.append(row if keyed else tuple(row[2:]))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def table_rows(
    archive: Archive, query: str, *, limit: int | None = 100, **filters: Any
) -> list[tuple[str, Any, Any, Any, Any]]:
    """``Archive.search``'s events as rows of :data:`queries.TABLE_COLUMNS` (session ID,
    timestamp, class, module, line), read as plain tuples: what ``archive search`` prints."""
    return search_rows(
        archive._read_tuples,
        archive.get,
        query,
        queries.TABLE_COLUMNS,
        fts=archive.fts_available,
        limit=limit,
        **filters,
    )


def matching_sessions(
    read: ReadRows, get: GetCall, query: str, *, fts: bool, **filters: Any
) -> dict[str, int]:
    """session_id → number of events matching ``query`` and every filter."""
    sql, params, post = queries.search_plan_sql(query, "e.session_id, e.seq", fts=fts, **filters)
    if post is None:
        sql, params, _ = queries.search_plan_sql(
            query, "e.session_id, count(*)", fts=fts, **filters
        )
        sql += " GROUP BY e.session_id"
        return {row[0]: int(row[1]) for row in read(sql, params)}
    sql += " ORDER BY e.id DESC"
    check = _Checker(get, post)
    counts: dict[str, int] = {}
    for row in _pages(read, sql, params):
        if check(row[0], int(row[1])):
            counts[row[0]] = counts.get(row[0], 0) + 1
    return counts


def _pages(read: ReadRows, sql: str, params: list[Any]) -> Any:
    offset = 0
    while True:
        rows = read(sql + " LIMIT ? OFFSET ?", [*params, PAGE, offset])
        yield from rows
        if len(rows) < PAGE:
            return
        offset += PAGE


class _Checker:
    """Whether event ``seq`` of a call passes ``query``, reading each call once."""

    def __init__(self, get: GetCall, query: Query) -> None:
        self._get = get
        self._query = query
        self._calls: OrderedDict[str, Sequence[LogEntry]] = OrderedDict()

    def __call__(self, session_id: str, seq: int) -> bool:
        entries = self._entries(session_id)
        if not 0 <= seq < len(entries):
            return False  # the call was replaced while we searched: its old event is gone
        try:
            return self._query.matches(entries[seq])
        except QueryError as exc:  # a regex too slow for this archive
            raise ArchiveError(f"search: {exc}") from exc

    def _entries(self, session_id: str) -> Sequence[LogEntry]:
        entries = self._calls.get(session_id)
        if entries is not None:
            self._calls.move_to_end(session_id)
            return entries
        call = self._get(session_id)
        if call is None:
            entries = ()  # deleted while we searched
        else:
            try:
                entries = call.log.entries
            except ReadError as exc:
                raise ArchiveError(
                    f"search: the archived call {session_id!r} cannot be read ({exc}); "
                    "re-sync it or search with words only"
                ) from exc
        self._calls[session_id] = entries
        if len(self._calls) > KEPT_CALLS:
            self._calls.popitem(last=False)
        return entries
