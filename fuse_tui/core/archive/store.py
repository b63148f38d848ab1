"""The local archive: every fetched call log, kept in SQLite past Fuse's 5-day window.

``Archive`` is the facade: it holds the connection (opened by ``opening``), guards it with a lock
so the object can be used from worker threads, runs writes as ``BEGIN IMMEDIATE`` transactions,
and leaves row encoding to ``rows``, SQL building to ``queries`` and SQLite's failures to
``errors.guard``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fuse_tui.core.archive import queries, schema, search_run
from fuse_tui.core.archive.blobs import pack
from fuse_tui.core.archive.bulk import BulkIndexing
from fuse_tui.core.archive.errors import ArchiveError, guard
from fuse_tui.core.archive.inserts import (
    Inserts,
    has_json_each,
    json_rows_insert,
    most_parameters,
    multi_row_inserts,
    run_inserts,
)
from fuse_tui.core.archive.opening import DEFAULT_BUSY_TIMEOUT, connect
from fuse_tui.core.archive.prepared import PreparedCall
from fuse_tui.core.archive.preparing import prepare
from fuse_tui.core.archive.records import (
    ArchivedCall,
    ArchivedSummary,
    FetchedLike,
    SearchHit,
)
from fuse_tui.core.archive.rows import (
    meta_columns,
    normalise_meta,
    sqlite_int,
    storable_text,
)
from fuse_tui.core.archive.stats import (
    FACTS_HEAD,
    STEPS_HEAD,
    Facts,
    call_moment,
    fact_rows,
    step_rows_of,
    unchecked_step_rows,
)

_SQLITE_INT_MAX = 2**63 - 1
# An import of fewer events than this never rebuilds the indexes (see bulk_writes).
REBUILD_MIN_EVENTS = 20_000
# The page cache of bulk_writes, in KiB as PRAGMA cache_size takes it when negative: 128 MB.
BULK_CACHE_KIB = -128 * 1024


class Archive:
    """The SQLite archive. Open with ``Archive.open(path)``; use as a context manager or close()."""

    def __init__(self, path: Path, conn: sqlite3.Connection, fts: bool) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.fts_available = fts
        self._in_bulk = False
        # Inside bulk_writes: the thread that indexes each batch's events (see _store_all), and
        # its job under way, settled before the connection is used again.
        self._fts_pool: ThreadPoolExecutor | None = None
        self._fts_pending: Future[Any] | None = None
        # Inside bulk_writes, with a full-text index: which events it indexes when (see bulk).
        self._bulk_indexing: BulkIndexing | None = None
        self._parameters = most_parameters(conn)  # per statement (see inserts)
        self._json_rows = has_json_each(conn)

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Archive:
        """Open (creating or migrating) the archive at ``path``.

        Raises ArchiveError, without touching the file, when it is not an SQLite database, is
        another program's database, or comes from a newer fuse-tui.
        """
        target = Path(path).expanduser()
        conn, fts = connect(target, busy_timeout)
        return cls(target, conn, fts)

    def close(self) -> None:
        with self._lock:
            if self._fts_pool is not None:  # closed inside bulk_writes: let its statement end
                self._fts_pool.shutdown(wait=True)
            self._conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE takes the write lock up front (no upgrade deadlock).
        Inside bulk_writes's one transaction (only its thread gets the lock): part of it."""
        with self._lock:
            if self._in_bulk:
                self._settle_fts()
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                # Inside the try: a COMMIT that fails (busy, disk full) must roll back, or every
                # later BEGIN fails with "cannot start a transaction within a transaction".
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def bulk_writes(self, session_ids: Sequence[str] = (), events: int = 0) -> Iterator[None]:
        """For an import of many calls (``session_ids``, ``events`` in all), around its
        ``store_many`` batches.

        Always: a page cache big enough for the indexes the batches update (SQLite's default
        2 MB made every batch read and write the same index pages again), put back afterwards.
        Each batch is its own transaction, as durable as any store.

        When the calls are all new and at least as many events as the archive holds (a first
        import): ONE transaction for the whole import, which drops the indexes of
        :data:`schema.REBUILT_INDEXES` and builds them again at the end (a sort, instead of
        an insertion at a random place per event: at 1M events that was half of the SQL time).
        All or nothing: a failure rolls everything back, indexes included. Other processes
        read the archive as it was meanwhile; one that wants to write waits for the end (its
        busy timeout). Other threads of this process wait too (the connection is in use)."""
        with self._lock:
            before = int(self._conn.execute("PRAGMA cache_size").fetchone()[0])
            self._conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        try:
            if self._worth_rebuilding(session_ids, events):
                with self._no_foreign_key_checks(), self._write() as conn:
                    for name, _create in schema.REBUILT_INDEXES:
                        conn.execute(f"DROP INDEX {name}")
                    if self.fts_available:
                        indexing = BulkIndexing(events)
                        indexing.hash_size_before = schema.set_fts_hash_size(
                            conn, schema.BULK_FTS_HASH_BYTES
                        )
                        self._bulk_indexing = indexing
                    self._in_bulk = True
                    self._fts_pool = ThreadPoolExecutor(1, thread_name_prefix="archive-fts")
                    try:
                        yield
                    except BaseException:
                        # The indexing under way ends before the ROLLBACK (which puts the
                        # index's buffer size back too); its outcome no longer matters.
                        self._end_fts_pool()
                        self._fts_pending = None
                        self._bulk_indexing = None
                        raise
                    self._end_fts_pool()
                    self._end_bulk(conn)
            else:
                yield
        finally:
            self._bulk_indexing = None  # however bulk_writes ended: later stores index at once
            with self._lock:
                self._conn.execute(f"PRAGMA cache_size = {before}")

    @property
    def in_one_transaction(self) -> bool:
        """Inside bulk_writes's one transaction for the whole import (see there), where a
        batch of ``store_many`` commits nothing."""
        return self._in_bulk

    @contextmanager
    def _no_foreign_key_checks(self) -> Iterator[None]:
        """Around bulk_writes's transaction (the pragma does nothing inside one): its rows are
        written parents first (calls, then their events and facts, then the facts' steps), so
        checking each one's parent was a lookup per row for nothing. Deletes cascade by hand
        (_replace_calls). Per connection, never stored: a crash leaves nothing to put back."""
        with self._lock:
            before = int(self._conn.execute("PRAGMA foreign_keys").fetchone()[0])
            self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            with self._lock:
                self._conn.execute(f"PRAGMA foreign_keys = {before}")

    def _end_fts_pool(self) -> None:
        self._in_bulk = False
        if self._fts_pool is not None:
            self._fts_pool.shutdown(wait=True)
            self._fts_pool = None

    def _settle_fts(self) -> None:
        """Wait for the full-text indexing of the last batch (see _store_all), raising its
        failure: the connection is this thread's again."""
        pending, self._fts_pending = self._fts_pending, None
        if pending is not None:
            pending.result()

    @guard
    def _end_bulk(self, conn: sqlite3.Connection) -> None:
        self._settle_fts()
        indexing, self._bulk_indexing = self._bulk_indexing, None
        if indexing is not None:
            _index_events(conn, indexing.take_unindexed())
            if indexing.hash_size_before is not None:
                schema.set_fts_hash_size(conn, indexing.hash_size_before)
        for _name, create in schema.REBUILT_INDEXES:
            conn.execute(create)

    def _worth_rebuilding(self, session_ids: Sequence[str], events: int) -> bool:
        # Without the session index, replacing an archived call would scan every event: only
        # new calls, each once. Small imports gain nothing worth a transaction that long.
        if events < REBUILD_MIN_EVENTS or len(set(session_ids)) != len(session_ids):
            return False
        # IDs store_many refuses (not valid Unicode) are never written, nor can SQLite bind them.
        session_ids = [sid for sid in session_ids if _unstorable(sid) is None]
        names = {name for name, _create in schema.REBUILT_INDEXES}
        marks = ",".join("?" * len(names))
        found = self._read(
            f"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
            sorted(names),
        )
        if int(found[0][0]) != len(names):
            return False
        archived = self.count()[1]
        return events >= archived and not self.archived_ids(session_ids)

    def _read_tuples(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows as plain tuples, read by position: a search's thousands of hits build no
        ``sqlite3.Row`` each."""
        with self._lock:
            self._settle_fts()
            return self._conn.execute(sql, params).fetchall()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            self._settle_fts()
            cursor = self._conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()

    # ----------------------------------------------------------------- writing
    @guard
    def store(
        self,
        fetched: FetchedLike,
        session_id: str,
        meta: Mapping[str, Any] | BaseModel | None = None,
        *,
        origin: str = "api",
        fetched_at: float | None = None,
    ) -> None:
        """Store (or atomically replace) one call. Metadata already known is kept unless given."""
        problem = _unstorable(session_id)
        if problem:
            raise ArchiveError(problem)
        self._store_all([prepare(fetched, session_id, meta, origin, _when(fetched_at))])

    @guard
    def store_many(
        self,
        items: Iterable[tuple[FetchedLike, str, Mapping[str, Any] | BaseModel | None]],
        *,
        origin: str = "api",
        fetched_at: float | None = None,
    ) -> dict[int, str]:
        """Store several calls (answer, session ID, metadata) in ONE transaction: an import of
        thousands of calls pays for one commit, not thousands. All are stored or none (a failing
        write raises). A call that cannot be stored at all (no or non-text session ID) is left
        out, the others are stored; returns {position in ``items``: why} for those left out."""
        storable: list[tuple[FetchedLike, str, Mapping[str, Any] | BaseModel | None]] = []
        refused: dict[int, str] = {}
        for position, (fetched, session_id, meta) in enumerate(items):
            problem = _unstorable(session_id)
            if problem:
                refused[position] = problem
                continue
            storable.append((fetched, session_id, meta))
        if not storable:
            return refused
        # zlib lets go of the GIL while it compresses: the answers are compressed in a thread
        # while this one builds the rows (a tenth of an import, on a second core).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-zlib") as pool:
            packing = pool.submit(_pack_all, [fetched.raw for fetched, _sid, _meta in storable])
            prepared = [
                prepare(fetched, session_id, meta, origin, _when(fetched_at))
                for fetched, session_id, meta in storable
            ]
            for item, packed, (fetched, _sid, _meta) in zip(
                prepared, packing.result(), storable, strict=True
            ):
                # (A call prepared the usual way after all may have written its answer anew.)
                if item.raw is fetched.raw or item.raw == fetched.raw:
                    item.packed = packed
        self._store_all(prepared)
        return refused

    def _store_all(self, prepared: list[PreparedCall]) -> None:
        # The same call twice in one batch: the later replaces the earlier, as one store after
        # the other would, its metadata merged over the earlier's.
        latest: dict[str, PreparedCall] = {}
        for item in prepared:
            earlier = latest.pop(item.session_id, None)
            if earlier is not None:
                item.meta = {**earlier.meta, **item.meta}
            latest[item.session_id] = item
        items = list(latest.values())
        # The events and steps as one JSON text a statement, which SQLite takes apart
        # (json_rows_insert), inside bulk_writes too: there SQLite writes in a second thread
        # while this one builds the next batch, and binding the values from Python held the
        # GIL this thread needs (~0.1 s a batch of 50,000 events). The SQL thread spends
        # more CPU taking JSON apart (the events ~1.6x) but has it to spare: a 1M import
        # 22.0 -> 19.0 s (means of 5 alternating pairs, 4 December).
        json_rows = self._json_rows
        # The events' and steps' statements owe nothing to the archive's rows: made before
        # the connection is free (inside bulk_writes, while the last batch is written).
        many = _many_row_inserts(items, self._parameters, json_rows=json_rows)
        with self._write() as conn:
            # Read with the connection held: bulk_writes may have ended while this waited.
            indexing = self._bulk_indexing
            # Old copies go first, so every event written below gets an id above `last_id`
            # (ids are max + 1) and one INSERT … SELECT indexes exactly them. (The events
            # deleted leave the index by a trigger: those of bulk_writes not indexed yet go in
            # first.) Few statements: a DELETE per call made an import of 70,000 calls run
            # 70,000 statements where ~25 do.
            _replace_calls(
                conn,
                items,
                lambda: _index_events(conn, indexing.take_unindexed() if indexing else None),
                self._parameters,
            )
            last_id = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            for chunk in queries.chunks([item.session_id for item in items], self._parameters):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM unavailable WHERE session_id IN ({marks})", chunk)
            inserts = _call_inserts(items, self._parameters, many, json_rows=json_rows)
            if not self.fts_available:
                index_from = None
            elif indexing is None:
                index_from = last_id
            else:
                index_from = indexing.index_from(last_id, sum(len(item.rows) for item in items))
            if self._fts_pool is not None:
                # Inside bulk_writes: SQLite writes and indexes this batch in another thread
                # (statements of thousands of rows, without the GIL) while this one builds the
                # next batch's rows; the next use of the connection waits for it (_write,
                # _read, _end_bulk), raising its failure.
                self._fts_pending = self._fts_pool.submit(_write_calls, conn, inserts, index_from)
            else:
                _write_calls(conn, inserts, index_from)

    @guard
    def update_meta_many(self, items: Iterable[tuple[str, Mapping[str, Any] | BaseModel]]) -> int:
        """Add listing metadata to archived calls in one transaction (calls not archived are
        skipped); returns how many were archived.

        A sync lists calls that are archived already (fetched by hand, say, with no listing
        to say who called whom): their from/to/start/type come from the listing this way.
        """
        updated = 0
        with self._write() as conn:
            for session_id, meta in items:
                old = conn.execute(
                    "SELECT meta_json FROM calls WHERE session_id = ?", (session_id,)
                ).fetchone()
                if old is None:
                    continue
                merged = {**json.loads(old[0]), **normalise_meta(meta)}
                merged.pop("session_id", None)
                conn.execute(
                    'UPDATE calls SET src=?, dest=?, start=?, "end"=?, type=?, number=?, '
                    "meta_json=? WHERE session_id=?",
                    (*meta_columns(merged), session_id),
                )
                updated += 1
        return updated

    @guard
    def mark_unavailable(self, session_id: str, kind: str, reason: str) -> None:
        """Remember that Fuse no longer has this call's log, so syncs stop asking for it."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO unavailable (session_id, kind, reason, seen_at) VALUES (?,?,?,?) "
                "ON CONFLICT(session_id) DO UPDATE SET kind=excluded.kind, "
                "reason=excluded.reason, seen_at=excluded.seen_at",
                (session_id, kind, reason, time.time()),
            )

    # ----------------------------------------------------------------- reading
    @guard
    def archived_ids(self, session_ids: Sequence[str] | None = None) -> set[str]:
        """Which of ``session_ids`` (or all, when None) are archived, in one query."""
        if session_ids is None:
            return {row[0] for row in self._read("SELECT session_id FROM calls")}
        found: set[str] = set()
        for chunk in queries.chunks(session_ids):
            marks = ",".join("?" * len(chunk))
            rows = self._read(f"SELECT session_id FROM calls WHERE session_id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    @guard
    def marks(self, session_id: str) -> list[int]:
        """The positions (0-based) of the events marked in this call, in order."""
        rows = self._read("SELECT seq FROM marks WHERE session_id = ? ORDER BY seq", (session_id,))
        return [int(row[0]) for row in rows]

    @guard
    def set_marks(self, session_id: str, seqs: Iterable[int]) -> None:
        """Replace the marks of a call (an empty ``seqs`` clears them)."""
        wanted = sorted({int(seq) for seq in seqs if 0 <= int(seq) <= _SQLITE_INT_MAX})
        with self._write() as conn:
            conn.execute("DELETE FROM marks WHERE session_id = ?", (session_id,))
            conn.executemany(
                "INSERT INTO marks (session_id, seq) VALUES (?, ?)",
                [(session_id, seq) for seq in wanted],
            )

    @guard
    def unavailable(self) -> dict[str, tuple[str, str]]:
        """session_id → (kind, reason) for calls Fuse said it no longer has."""
        rows = self._read("SELECT session_id, kind, reason FROM unavailable")
        return {row[0]: (row[1], row[2]) for row in rows}

    @guard
    def get(self, session_id: str) -> ArchivedCall | None:
        rows = self._read(queries.GET_CALL, (session_id,))
        return queries.call_from_row(rows[0]) if rows else None

    @guard
    def count(self) -> tuple[int, int]:
        """(calls, events) in the archive."""
        rows = self._read("SELECT count(*), coalesce(sum(event_count), 0) FROM calls")
        return int(rows[0][0]), int(rows[0][1])

    @guard
    def list_calls(
        self,
        *,
        number: str | None = None,
        since: float | None = None,
        until: float | None = None,
        session_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[ArchivedSummary]:
        """Archived calls, most recent first (by call start, else first event, else fetch time)."""
        if session_ids is not None and len(session_ids) > queries.IN_CHUNK:
            # SQLite caps the number of bound parameters: query in chunks, then merge.
            merged: list[ArchivedSummary] = []
            for chunk in queries.chunks(session_ids):
                merged += self.list_calls(
                    number=number, since=since, until=until, session_ids=chunk
                )
            merged.sort(key=lambda c: c.session_id)
            merged.sort(key=queries.recency, reverse=True)
            return merged if limit is None else merged[:limit]
        if session_ids is not None and not session_ids:
            return []
        sql, params = queries.list_calls_sql(
            number=number, since=since, until=until, session_ids=session_ids, limit=limit
        )
        return [queries.summary_from_row(row) for row in self._read(sql, params)]

    # ----------------------------------------------------------------- search
    @guard
    def search(
        self,
        query: str = "",
        *,
        classes: Sequence[str] | None = None,
        module: str | None = None,
        number: str | None = None,
        since: float | None = None,
        until: float | None = None,
        session_id: str | None = None,
        limit: int | None = 100,
    ) -> list[SearchHit]:
        """Events matching ``query`` (the filter language) and every filter, most recent first."""
        return search_run.search_events(
            self._read_tuples,
            self.get,
            query,
            fts=self.fts_available,
            limit=limit,
            classes=classes,
            module=module,
            number=number,
            since=since,
            until=until,
            session_id=session_id,
        )

    @guard
    def matching_sessions(self, query: str = "", **filters: Any) -> dict[str, int]:
        """session_id → number of matching events, for filtering a list of calls."""
        return search_run.matching_sessions(
            self._read_tuples, self.get, query, fts=self.fts_available, **filters
        )


def _unstorable(session_id: str) -> str | None:
    if not session_id:
        return "cannot archive a call log without a session ID"
    if storable_text(session_id) != session_id:
        return (
            f"cannot archive session {storable_text(session_id)}: "
            "the session ID is not valid Unicode text"
        )
    return None


def _replace_calls(
    conn: sqlite3.Connection,
    items: list[PreparedCall],
    before_deleting: Callable[[], None],
    parameters: int,
) -> None:
    """Delete the archived copies of the calls, if any, calling ``before_deleting`` first;
    each one's metadata becomes the old merged with the new. ``parameters``: per statement."""
    old: dict[str, str] = {}
    for chunk in queries.chunks([item.session_id for item in items], parameters):
        marks = ",".join("?" * len(chunk))
        found = conn.execute(
            f"SELECT session_id, meta_json FROM calls WHERE session_id IN ({marks})", chunk
        )
        old.update(found.fetchall())
    for item in items:
        before = old.get(item.session_id)
        merged = {**(json.loads(before) if before is not None else {}), **item.meta}
        merged.pop("session_id", None)
        item.meta = merged
    replaced = [(item.session_id,) for item in items if item.session_id in old]
    if replaced:
        before_deleting()
        # What the foreign keys cascade to, deleted by hand too: inside bulk_writes they are
        # not enforced (a call archived meanwhile by another process is replaced all the same).
        conn.executemany("DELETE FROM call_steps WHERE session_id = ?", replaced)
        conn.executemany("DELETE FROM call_facts WHERE session_id = ?", replaced)
        conn.executemany("DELETE FROM events WHERE session_id = ?", replaced)
        conn.executemany("DELETE FROM calls WHERE session_id = ?", replaced)


_CALLS_HEAD = (
    "INSERT INTO calls (session_id, raw, raw_codec, raw_size, format, content_type, origin, "
    'fetched_at, src, dest, start, "end", type, number, meta_json, event_count, first_ts, '
    "last_ts, class_counts) VALUES"
)
_CALL_COLUMNS = 19
# Where _call_row puts the columns call_moment reads.
_FETCHED_AT, _START, _FIRST_TS = 7, 10, 16
_EVENT_COLUMNS = ("session_id", "seq", "class", "module", "timestamp", "line", "data_text")
_EVENTS_HEAD = f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES"
_STEP_COLUMNS = ("session_id", "number", "module", "variable", "duration")


def _call_inserts(
    items: list[PreparedCall],
    parameters: int,
    many: tuple[Inserts, Inserts] | None = None,
    *,
    json_rows: bool = True,
) -> Inserts:
    """The statements writing the calls, their events, and what `archive stats` needs (from
    the logs parsed anyway: the stats never re-read them): the rows, and their order, of one
    call after the other, as one INSERT per row would write them. ``many``: the events' and
    steps' statements (:func:`_many_row_inserts`), when made already."""
    rows = [_call_row(item) for item in items]
    facts = [(item.session_id, item.facts) for item in items]
    moments = [
        (call_moment(row[_START], row[_FIRST_TS], row[_FETCHED_AT]), item.counts.get("error", 0))
        for row, item in zip(rows, items, strict=True)
    ]
    event_inserts, step_inserts = (
        many if many is not None else _many_row_inserts(items, parameters, json_rows=json_rows)
    )
    return [
        *multi_row_inserts(_CALLS_HEAD, _CALL_COLUMNS, rows, parameters),
        *event_inserts,
        *multi_row_inserts(FACTS_HEAD, 5, fact_rows(facts, moments), parameters),
        *step_inserts,
    ]


def _many_row_inserts(
    items: list[PreparedCall], parameters: int, *, json_rows: bool
) -> tuple[Inserts, Inserts]:
    """The statements writing the calls' events, and their steps (see _call_inserts)."""
    events = [row for item in items for row in item.rows]
    # The many rows (events, steps: texts and integers) as one JSON text each (see
    # json_rows_insert); the calls (their blobs) and facts (floats) bound value by value. The
    # steps' texts unchecked: a text the check would change cannot be JSON, and then the
    # checked rows are bound value by value.
    event_inserts = json_rows_insert("events", _EVENT_COLUMNS, events) if json_rows else []
    step_inserts = (
        json_rows_insert("call_steps", _STEP_COLUMNS, _step_rows(items, unchecked_step_rows))
        if json_rows
        else []
    )
    return (
        event_inserts or multi_row_inserts(_EVENTS_HEAD, len(_EVENT_COLUMNS), events, parameters),
        step_inserts
        or multi_row_inserts(
            STEPS_HEAD, len(_STEP_COLUMNS), _step_rows(items, step_rows_of), parameters
        ),
    )


def _step_rows(
    items: list[PreparedCall],
    rows_of: Callable[[Sequence[tuple[str, Facts]]], list[tuple[Any, ...]]],
) -> list[tuple[Any, ...]]:
    """The call_steps rows of the calls, in order: those their maker gave (``steps``), else
    ``rows_of`` their facts'."""
    if all(item.steps is None for item in items):
        return rows_of([(item.session_id, item.facts) for item in items])
    out: list[tuple[Any, ...]] = []
    for item in items:
        out += item.steps if item.steps is not None else rows_of([(item.session_id, item.facts)])
    return out


def _write_calls(conn: sqlite3.Connection, inserts: Inserts, index_from: int | None) -> None:
    """Run the statements of :func:`_call_inserts` (inside the caller's transaction, after
    _replace_calls), then put the events with an id above ``index_from`` (unless None) into
    the full-text index."""
    run_inserts(conn, inserts)
    _index_events(conn, index_from)


def _index_events(conn: sqlite3.Connection, index_from: int | None) -> None:
    """Put the events with an id above ``index_from`` (unless None) into the full-text index."""
    if index_from is not None:
        conn.execute(schema.INDEX_NEW_EVENTS, (index_from,))


def _pack_all(raws: list[bytes]) -> list[tuple[bytes, str]]:
    return [pack(bytes(raw)) for raw in raws]


def _call_row(item: PreparedCall) -> tuple[Any, ...]:
    raw = item.raw
    blob, codec = item.packed if item.packed is not None else pack(raw)
    first, last = item.span if item.span is not None else (None, None)
    return (
        item.session_id,
        blob,
        codec,
        len(raw),
        item.format,
        item.content_type,
        item.origin,
        item.when,
        *meta_columns(item.meta),
        len(item.rows),
        sqlite_int(first),
        sqlite_int(last),
        json.dumps(item.counts),
    )


def _when(fetched_at: float | None) -> float:
    """When a call is stored: ``fetched_at``, else now."""
    return time.time() if fetched_at is None else fetched_at
