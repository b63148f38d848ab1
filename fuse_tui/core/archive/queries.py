"""The archive's read queries: SQL built from filters, and result rows turned into records.

Times are compared as seconds, each in its own unit, through the ``epoch_seconds`` SQL function
that ``opening.connect`` registers on every connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from fuse_tui.core.archive.blobs import unpack
from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.records import ArchivedCall, ArchivedSummary, SearchHit
from fuse_tui.core.archive.search import fts_expression, plan_search
from fuse_tui.core.query_syntax import QueryError
from fuse_tui.core.timestamps import epoch_seconds

if TYPE_CHECKING:
    from fuse_tui.core.query import Query

# SQLite caps the number of bound parameters: longer ID lists are queried in chunks this size.
IN_CHUNK = 500

# A call's moment: its listed start, else its first event, else when it was fetched. A call
# listed in milliseconds is not "newer" than every call listed in seconds.
_WHEN = "coalesce(epoch_seconds(start), epoch_seconds(first_ts), fetched_at)"

GET_CALL = (
    "SELECT session_id, raw, raw_codec, format, content_type, origin, fetched_at, meta_json "
    "FROM calls WHERE session_id = ?"
)
SEARCH_COLUMNS = "e.session_id, e.seq, e.timestamp, e.class, e.module, e.line, e.data_text"
# What `archive search`'s table shows: no data values (a third of the bytes read), no seq.
TABLE_COLUMNS = "e.session_id, e.timestamp, e.class, e.module, e.line"


def chunks(ids: Sequence[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    """``ids`` in slices small enough to bind as the parameters of one ``IN (…)`` (``size``
    at most)."""
    items = list(ids)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def call_from_row(row: sqlite3.Row) -> ArchivedCall:
    return ArchivedCall(
        session_id=row["session_id"],
        raw=unpack(row["raw"], row["raw_codec"], row["session_id"]),
        format=row["format"],
        content_type=row["content_type"] or "",
        origin=row["origin"],
        fetched_at=float(row["fetched_at"]),
        meta=json.loads(row["meta_json"]),
    )


def list_calls_sql(
    *,
    number: str | None,
    since: float | None,
    until: float | None,
    session_ids: Sequence[str] | None,
    limit: int | None,
) -> tuple[str, list[Any]]:
    """The query behind ``Archive.list_calls``: most recent first, then by session ID."""
    where: list[str] = []
    params: list[Any] = []
    if number:
        where.append("(number = ? OR dest = ? OR src = ?)")
        params += [number, number, number]
    if since is not None:
        where.append(f"{_WHEN} >= ?")
        params.append(since)
    if until is not None:
        where.append(f"{_WHEN} < ?")
        params.append(until)
    if session_ids is not None:
        ids = list(session_ids)
        where.append(f"session_id IN ({','.join('?' * len(ids))})")
        params += ids
    sql = (
        "SELECT session_id, fetched_at, origin, format, coalesce(raw_size, length(raw)) AS size, "
        "event_count, "
        'class_counts, first_ts, last_ts, src, dest, start, "end", type, number FROM calls'
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {_WHEN} DESC, session_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def summary_from_row(row: sqlite3.Row) -> ArchivedSummary:
    return ArchivedSummary(
        session_id=row["session_id"],
        fetched_at=float(row["fetched_at"]),
        origin=row["origin"],
        format=row["format"],
        size=int(row["size"]),
        event_count=int(row["event_count"]),
        class_counts=json.loads(row["class_counts"]),
        first_ts=row["first_ts"],
        last_ts=row["last_ts"],
        src=row["src"],
        dest=row["dest"],
        start=row["start"],
        end=row["end"],
        type=row["type"],
        number=row["number"],
    )


def recency(call: ArchivedSummary) -> float:
    """``_WHEN`` in Python, to merge the results of a chunked ``list_calls``."""
    seconds = epoch_seconds(call.start)
    if seconds is None:
        seconds = epoch_seconds(call.first_ts)
    return float(call.fetched_at if seconds is None else seconds)


def search_plan_sql(
    query: str,
    select: str,
    *,
    fts: bool,
    classes: Sequence[str] | None = None,
    module: str | None = None,
    number: str | None = None,
    since: float | None = None,
    until: float | None = None,
    session_id: str | None = None,
) -> tuple[str, list[Any], Query | None]:
    """The SQL for the events that may match ``query`` and match every filter, and the part of
    the query the candidates must still pass in Python (None: the SQL answers exactly).

    Raises ArchiveError, with the column, for a query that is not one (``core.query``)."""
    try:
        plan = plan_search(query, fts=fts)
    except QueryError as exc:
        raise ArchiveError(f"search: {exc}") from exc
    where = list(plan.where)
    params = list(plan.params)
    sql = f"SELECT {select} FROM events e"
    if plan.fts_terms:
        sql += " JOIN events_fts f ON f.rowid = e.id"
        where.insert(0, "events_fts MATCH ?")
        params.insert(0, fts_expression(plan.fts_terms))
    if classes:
        where.append(f"e.class IN ({','.join('?' * len(classes))})")
        params += list(classes)
    if module:
        where.append("e.module = ?")
        params.append(module)
    # After 1970 a time in ms/µs/ns is a larger number than in seconds, so the plain comparison
    # first narrows the rows by index and the function runs only on those.
    if since is not None:
        where.append(
            "e.timestamp >= ? AND epoch_seconds(e.timestamp) >= ?"
            if since > 0
            else "epoch_seconds(e.timestamp) >= ?"
        )
        params += [int(since), int(since)] if since > 0 else [int(since)]
    if until is not None:
        where.append("epoch_seconds(e.timestamp) < ?")
        params.append(int(until))
    if session_id:
        where.append("e.session_id = ?")
        params.append(session_id)
    if number:
        where.append(
            "e.session_id IN (SELECT session_id FROM calls WHERE number = ? OR dest = ? OR src = ?)"
        )
        params += [number, number, number]
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params, plan.post


def search_order(query: str, *, fts: bool) -> str:
    """Newest archived first, by rowid: FTS5 then walks its index backwards and stops at the
    limit, instead of sorting every match (a term query on 1M events stays under 1 ms)."""
    try:
        uses_fts = fts and bool(plan_search(query, fts=fts).fts_terms)
    except QueryError as exc:
        raise ArchiveError(f"search: {exc}") from exc
    return " ORDER BY f.rowid DESC" if uses_fts else " ORDER BY e.id DESC"


def hit_from_row(row: Sequence[Any]) -> SearchHit:
    return SearchHit(
        session_id=row[0],
        seq=int(row[1]),
        timestamp=row[2],
        class_=row[3],
        module=row[4],
        line=row[5],
        data_text=row[6] or "",
    )
