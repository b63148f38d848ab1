"""The local archive: every fetched call log, kept in SQLite past Fuse's 5-day window.

One connection per ``Archive``, in autocommit mode with explicit ``BEGIN IMMEDIATE`` transactions,
WAL journaling and a busy timeout, so a TUI and a running sync (two processes) can share a file
and killing either loses nothing already committed. The connection is guarded by a lock so the
object can be used from worker threads.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ParamSpec, Protocol, TypeVar

from pydantic import BaseModel

from fuse_tui.core.archive import schema
from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.search import fts_expression, like_pattern, parse_terms
from fuse_tui.core.formats import load_call_log
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.timestamps import epoch_seconds

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 30.0
META_COLUMNS = ("src", "dest", "start", "end", "type", "number")

P = ParamSpec("P")
R = TypeVar("R")


class FetchedLike(Protocol):
    """What ``store`` needs from a fetch: ``core.client.FetchedCall`` has exactly this shape."""

    @property
    def raw(self) -> bytes: ...
    @property
    def format(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def log(self) -> CallLog: ...


@dataclass(frozen=True)
class StoredAnswer:
    """A call log that did not come from ``FuseClient.fetch_call`` (an import, a test)."""

    raw: bytes
    format: str
    log: CallLog
    content_type: str = ""


@dataclass
class ArchivedCall:
    """One archived call: the bytes as served, when they were fetched, and what is known of it."""

    session_id: str
    raw: bytes
    format: str
    content_type: str
    origin: str
    fetched_at: float
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def log(self) -> CallLog:
        log = load_call_log(self.raw, source="archive")
        log.session_id = self.session_id
        log.meta = dict(self.meta)
        return log


@dataclass
class ArchivedSummary:
    """One row of ``list_calls``: the call's metadata and counts, without its bytes."""

    session_id: str
    fetched_at: float
    origin: str
    format: str
    size: int
    event_count: int
    class_counts: dict[str, int]
    first_ts: int | None
    last_ts: int | None
    src: str | None = None
    dest: str | None = None
    start: int | None = None
    end: int | None = None
    type: str | None = None
    number: str | None = None

    @property
    def when(self) -> int | None:
        """The call's start if listed, else its first event's time."""
        return self.start if self.start is not None else self.first_ts


@dataclass
class SearchHit:
    session_id: str
    seq: int
    timestamp: int | None
    class_: str | None
    module: str | None
    line: str
    data_values: list[str]


def _guard(method: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLite failures into ``ArchiveError`` sentences (never a traceback for the user)."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except sqlite3.OperationalError as exc:
            raise ArchiveError(_operational_sentence(exc)) from exc
        except UnicodeEncodeError as exc:  # e.g. a session ID typed with undecodable bytes
            raise ArchiveError(
                "the archive cannot hold text that is not valid Unicode (undecodable bytes in a "
                "session ID or search?)"
            ) from exc
        except sqlite3.ProgrammingError as exc:  # used after close(): not the file's fault
            raise ArchiveError(
                f"the archive was closed while in use ({exc}); open it again"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"the archive file is damaged ({exc}); move it aside and re-sync to rebuild it"
            ) from exc

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _operational_sentence(exc: sqlite3.OperationalError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return "the archive is busy: another fuse-tui is writing to it; try again in a moment"
    if "readonly" in text or "read-only" in text:
        return "the archive file is read-only; check its permissions or pass --archive PATH"
    if "disk" in text and "full" in text:
        return "the disk holding the archive is full"
    return f"the archive could not be used: {text}"


def _data_values(value: Any) -> Iterator[str]:
    """Every scalar inside ``data`` as text (keys left out: they would match every event)."""
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _data_values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _data_values(item)
    elif isinstance(value, bool):
        yield "true" if value else "false"
    elif value is not None:
        text = str(value)
        if text:
            yield text


def _event_row(session_id: str, seq: int, entry: LogEntry) -> tuple[Any, ...]:
    data = entry.event.data or {}
    return (
        session_id,
        seq,
        _storable_text(entry.class_),
        _storable_text(entry.event.module_type),
        _sqlite_int(entry.timestamp),
        _storable_text(entry.event.line or ""),
        _storable_text("\n".join(_data_values(data))),
    )


# SQLite integers are 64-bit; a time beyond them (the readers keep any integer) is stored as
# unknown in the indexed columns. The raw bytes keep the value as served.
_SQLITE_INT_MIN, _SQLITE_INT_MAX = -(2**63), 2**63 - 1


def _sqlite_int(value: int | None) -> int | None:
    if value is None or not _SQLITE_INT_MIN <= value <= _SQLITE_INT_MAX:
        return None
    return value


def _storable_text(value: str | None) -> str | None:
    """SQLite text must be UTF-8: a lone surrogate (legal as a JSON ``\\ud800`` escape) is
    stored as that escape. The raw bytes, from which ``ArchivedCall.log`` is read, are untouched."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def normalise_meta(meta: Mapping[str, Any] | BaseModel | None) -> dict[str, Any]:
    if meta is None:
        return {}
    if isinstance(meta, BaseModel):
        return meta.model_dump(exclude_none=True)
    return {k: v for k, v in meta.items() if v is not None and k != "detail"}


def _meta_columns(meta: Mapping[str, Any]) -> tuple[Any, ...]:
    """The calls table's src, dest, start, "end", type, number and meta_json for ``meta``."""
    return (
        _str_or_none(meta.get("src")),
        _str_or_none(meta.get("dest")),
        _int_or_none(meta.get("start")),
        _int_or_none(meta.get("end")),
        _str_or_none(meta.get("type")),
        _str_or_none(meta.get("number")),
        _storable_text(json.dumps(meta, ensure_ascii=False, default=str)),
    )


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, int) else int(float(value))
    except (TypeError, ValueError, OverflowError):  # "abc", "nan", "1e400"
        return None
    return _sqlite_int(number)


class Archive:
    """The SQLite archive. Open with ``Archive.open(path)``; use as a context manager or close()."""

    def __init__(self, path: Path, conn: sqlite3.Connection, fts: bool) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.fts_available = fts

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Archive:
        """Open (creating or migrating) the archive at ``path``.

        Raises ArchiveError, without touching the file, when it is not an SQLite database, is
        another program's database, or comes from a newer fuse-tui.
        """
        target = Path(path).expanduser()
        _refuse_foreign_bytes(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(
                f"cannot create the archive's folder {target.parent}: {exc.strerror or exc}"
            ) from exc
        try:
            conn = sqlite3.connect(
                target, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot open the archive {target}: {exc}") from exc
        conn.create_function("epoch_seconds", 1, epoch_seconds, deterministic=True)
        try:
            fts = _prepare(conn, target, busy_timeout)
        except ArchiveError:
            conn.close()
            raise
        except sqlite3.OperationalError as exc:
            conn.close()
            raise ArchiveError(f"{target}: {_operational_sentence(exc)}") from exc
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ArchiveError(
                f"{target} is not a fuse-tui archive (SQLite says: {exc}); "
                "it was left untouched — move it aside or pass --archive PATH"
            ) from exc
        return cls(target, conn, fts)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Archive({str(self.path)!r})"

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE takes the write lock up front (no upgrade deadlock)."""
        with self._lock:
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

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._conn.execute(sql, params)
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()

    # ----------------------------------------------------------------- writing
    @_guard
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
        if not session_id:
            raise ArchiveError("cannot archive a call log without a session ID")
        if _storable_text(session_id) != session_id:
            raise ArchiveError(
                f"cannot archive session {_storable_text(session_id)}: "
                "the session ID is not valid Unicode text"
            )
        log = fetched.log
        new_meta = normalise_meta(meta) or normalise_meta(log.meta)
        counts = dict(log.class_counts())
        rows = [_event_row(session_id, seq, entry) for seq, entry in enumerate(log.entries)]
        when = time.time() if fetched_at is None else fetched_at
        with self._write() as conn:
            old = conn.execute(
                "SELECT meta_json FROM calls WHERE session_id = ?", (session_id,)
            ).fetchone()
            merged = {**(json.loads(old[0]) if old else {}), **new_meta}
            merged.pop("session_id", None)
            conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM calls WHERE session_id = ?", (session_id,))
            conn.execute(
                "INSERT INTO calls (session_id, raw, format, content_type, origin, fetched_at, "
                'src, dest, start, "end", type, number, meta_json, event_count, first_ts, '
                "last_ts, class_counts) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    session_id,
                    bytes(fetched.raw),
                    fetched.format,
                    fetched.content_type or "",
                    origin,
                    when,
                    *_meta_columns(merged),
                    len(rows),
                    _sqlite_int(log.first_timestamp),
                    _sqlite_int(log.last_timestamp),
                    json.dumps(counts),
                ),
            )
            conn.executemany(
                "INSERT INTO events (session_id, seq, class, module, timestamp, line, data_text) "
                "VALUES (?,?,?,?,?,?,?)",
                rows,
            )
            conn.execute("DELETE FROM unavailable WHERE session_id = ?", (session_id,))

    @_guard
    def update_meta(self, session_id: str, meta: Mapping[str, Any] | BaseModel) -> bool:
        """Add listing metadata to an archived call (no-op if absent). True if the call exists."""
        return self.update_meta_many([(session_id, meta)]) == 1

    @_guard
    def update_meta_many(self, items: Iterable[tuple[str, Mapping[str, Any] | BaseModel]]) -> int:
        """:meth:`update_meta` for many calls in one transaction; how many were archived.

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
                    (*_meta_columns(merged), session_id),
                )
                updated += 1
        return updated

    @_guard
    def delete(self, session_id: str) -> bool:
        with self._write() as conn:
            conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
            cursor = conn.execute("DELETE FROM calls WHERE session_id = ?", (session_id,))
            return cursor.rowcount > 0

    @_guard
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
    @_guard
    def has(self, session_id: str) -> bool:
        return bool(self._read("SELECT 1 FROM calls WHERE session_id = ?", (session_id,)))

    @_guard
    def archived_ids(self, session_ids: Sequence[str] | None = None) -> set[str]:
        """Which of ``session_ids`` (or all, when None) are archived, in one query."""
        if session_ids is None:
            return {row[0] for row in self._read("SELECT session_id FROM calls")}
        found: set[str] = set()
        ids = list(session_ids)
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = ids[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._read(f"SELECT session_id FROM calls WHERE session_id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    @_guard
    def unavailable(self) -> dict[str, tuple[str, str]]:
        """session_id → (kind, reason) for calls Fuse said it no longer has."""
        rows = self._read("SELECT session_id, kind, reason FROM unavailable")
        return {row[0]: (row[1], row[2]) for row in rows}

    @_guard
    def get(self, session_id: str) -> ArchivedCall | None:
        rows = self._read(
            "SELECT session_id, raw, format, content_type, origin, fetched_at, meta_json "
            "FROM calls WHERE session_id = ?",
            (session_id,),
        )
        if not rows:
            return None
        row = rows[0]
        return ArchivedCall(
            session_id=row["session_id"],
            raw=bytes(row["raw"]),
            format=row["format"],
            content_type=row["content_type"] or "",
            origin=row["origin"],
            fetched_at=float(row["fetched_at"]),
            meta=json.loads(row["meta_json"]),
        )

    @_guard
    def count(self) -> tuple[int, int]:
        """(calls, events) in the archive."""
        rows = self._read("SELECT count(*), coalesce(sum(event_count), 0) FROM calls")
        return int(rows[0][0]), int(rows[0][1])

    @_guard
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
        if session_ids is not None and len(session_ids) > _IN_CHUNK:
            # SQLite caps the number of bound parameters: query in chunks, then merge.
            ids = list(session_ids)
            merged: list[ArchivedSummary] = []
            for i in range(0, len(ids), _IN_CHUNK):
                merged += self.list_calls(
                    number=number, since=since, until=until, session_ids=ids[i : i + _IN_CHUNK]
                )
            merged.sort(key=lambda c: c.session_id)
            merged.sort(key=_recency, reverse=True)
            return merged if limit is None else merged[:limit]
        where: list[str] = []
        params: list[Any] = []
        # Times compared as seconds, each in its own unit (a call listed in milliseconds is
        # not "newer" than every call listed in seconds); epoch_seconds is registered in open().
        when = "coalesce(epoch_seconds(start), epoch_seconds(first_ts), fetched_at)"
        if number:
            where.append("(number = ? OR dest = ? OR src = ?)")
            params += [number, number, number]
        if since is not None:
            where.append(f"{when} >= ?")
            params.append(since)
        if until is not None:
            where.append(f"{when} < ?")
            params.append(until)
        if session_ids is not None:
            ids = list(session_ids)
            if not ids:
                return []
            where.append(f"session_id IN ({','.join('?' * len(ids))})")
            params += ids
        sql = (
            "SELECT session_id, fetched_at, origin, format, length(raw) AS size, event_count, "
            'class_counts, first_ts, last_ts, src, dest, start, "end", type, number FROM calls'
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {when} DESC, session_id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            ArchivedSummary(
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
            for row in self._read(sql, params)
        ]

    # ----------------------------------------------------------------- search
    def _search_sql(
        self,
        query: str,
        select: str,
        *,
        classes: Sequence[str] | None,
        module: str | None,
        number: str | None,
        since: float | None,
        until: float | None,
        session_id: str | None,
    ) -> tuple[str, list[Any]]:
        terms = parse_terms(query)
        where: list[str] = []
        params: list[Any] = []
        sql = f"SELECT {select} FROM events e"
        if terms and self.fts_available:
            sql += " JOIN events_fts f ON f.rowid = e.id"
            where.append("events_fts MATCH ?")
            params.append(fts_expression(terms))
        else:
            for term in terms:
                pattern = like_pattern(term)
                where.append("(e.line LIKE ? ESCAPE '\\' OR e.data_text LIKE ? ESCAPE '\\')")
                params += [pattern, pattern]
        if classes:
            where.append(f"e.class IN ({','.join('?' * len(classes))})")
            params += list(classes)
        if module:
            where.append("e.module = ?")
            params.append(module)
        # Times compared as seconds in any unit (epoch_seconds, registered in open()). After
        # 1970 a time in ms/µs/ns is a larger number than in seconds, so the plain comparison
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
                "e.session_id IN (SELECT session_id FROM calls "
                "WHERE number = ? OR dest = ? OR src = ?)"
            )
            params += [number, number, number]
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql, params

    @_guard
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
        """Events matching every term of ``query`` and every filter, most recent first."""
        sql, params = self._search_sql(
            query,
            "e.session_id, e.seq, e.timestamp, e.class, e.module, e.line, e.data_text",
            classes=classes,
            module=module,
            number=number,
            since=since,
            until=until,
            session_id=session_id,
        )
        # Newest archived first, by rowid: FTS5 then walks its index backwards and stops at the
        # limit, instead of sorting every match (a term query on 1M events stays under 1 ms).
        uses_fts = self.fts_available and bool(parse_terms(query))
        sql += " ORDER BY f.rowid DESC" if uses_fts else " ORDER BY e.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [
            SearchHit(
                session_id=row[0],
                seq=int(row[1]),
                timestamp=row[2],
                class_=row[3],
                module=row[4],
                line=row[5],
                data_values=row[6].split("\n") if row[6] else [],
            )
            for row in self._read(sql, params)
        ]

    @_guard
    def matching_sessions(self, query: str = "", **filters: Any) -> dict[str, int]:
        """session_id → number of matching events, for filtering a list of calls."""
        sql, params = self._search_sql(
            query,
            "e.session_id, count(*)",
            classes=filters.get("classes"),
            module=filters.get("module"),
            number=filters.get("number"),
            since=filters.get("since"),
            until=filters.get("until"),
            session_id=filters.get("session_id"),
        )
        sql += " GROUP BY e.session_id"
        return {row[0]: int(row[1]) for row in self._read(sql, params)}


_IN_CHUNK = 500


def _recency(call: ArchivedSummary) -> float:
    seconds = epoch_seconds(call.start)
    if seconds is None:
        seconds = epoch_seconds(call.first_ts)
    return float(call.fetched_at if seconds is None else seconds)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else _storable_text(str(value))


def _refuse_foreign_bytes(target: Path) -> None:
    """Refuse a directory or a non-SQLite file before SQLite gets a chance to write to it."""
    if target.is_dir():
        raise ArchiveError(f"{target} is a folder, not an archive file; pass --archive FILE")
    if target.exists() and not target.is_file():
        # A device or a named pipe: reading its header could block forever, and SQLite would
        # put its journal next to it (/dev/null-journal).
        raise ArchiveError(
            f"{target} is not a regular file (a device or a pipe); pass --archive FILE"
        )
    try:
        with target.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ArchiveError(f"cannot read the archive {target}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_HEADER:
        raise ArchiveError(
            f"{target} is not a fuse-tui archive (not an SQLite database); "
            "it was left untouched — move it aside or pass --archive PATH"
        )


def _newer_archive(target: Path, version: int) -> str:
    return (
        f"{target} was written by a newer fuse-tui (archive schema {version}, this version "
        f"knows up to {schema.SCHEMA_VERSION}); upgrade fuse-tui to use it"
    )


def _switch_to_wal(conn: sqlite3.Connection, busy_timeout: float) -> str:
    """Switch the file to WAL, retrying while another process holds it.

    The switch needs an exclusive lock, and SQLite answers "locked" at once, without its busy
    handler, when two connections race for it (waiting could deadlock) — so two fuse-tuis
    creating the same new archive need this loop; the busy timeout alone does not cover it.
    """
    deadline = time.monotonic() + busy_timeout
    pause = 0.005
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _prepare(conn: sqlite3.Connection, target: Path, busy_timeout: float) -> bool:
    """Check the file is ours, switch to WAL, and migrate. Returns whether FTS5 is in use."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    # One read transaction, so the three reads see the same file: read one by one, another
    # fuse-tui creating the archive meanwhile looked like "tables but no application id".
    conn.execute("BEGIN")
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    if app_id != schema.APPLICATION_ID and (app_id != 0 or tables or version):
        raise ArchiveError(
            f"{target} is an SQLite database of another program, not a fuse-tui archive; "
            "it was left untouched — pass --archive PATH to use another file"
        )
    if version > schema.SCHEMA_VERSION:
        raise ArchiveError(_newer_archive(target, version))
    mode = _switch_to_wal(conn, busy_timeout)
    if str(mode).lower() != "wal":
        raise ArchiveError(f"cannot switch the archive {target} to WAL mode (got {mode})")
    # NORMAL is durable against a killed process in WAL mode (only an OS crash may drop the tail).
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    fts_ok = schema.fts5_available(conn)
    if version < schema.SCHEMA_VERSION or (fts_ok and not schema.has_fts(conn)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile,
            # even a newer fuse-tui, whose version must not be written over with ours.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema.SCHEMA_VERSION:
                raise ArchiveError(_newer_archive(target, version))
            for migrate in schema.MIGRATIONS[version:]:
                migrate(conn)
            if fts_ok and not schema.has_fts(conn):
                schema.create_fts(conn)
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return fts_ok and schema.has_fts(conn)
