"""Opening an archive file: refuse what is not ours, connect, switch to WAL, migrate.

One connection per archive, in autocommit mode with explicit ``BEGIN IMMEDIATE`` transactions,
WAL journaling and a busy timeout, so a TUI and a running sync (two processes) can share a file
and killing either loses nothing already committed.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from fuse_tui.core.archive import schema
from fuse_tui.core.archive.errors import ArchiveError, operational_sentence
from fuse_tui.core.timestamps import epoch_seconds

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 30.0


def connect(target: Path, busy_timeout: float) -> tuple[sqlite3.Connection, bool]:
    """Open (creating or migrating) the archive at ``target``: its connection, and whether
    FTS5 is in use.

    Raises ArchiveError, without touching the file, when it is not an SQLite database, is
    another program's database, or comes from a newer fuse-tui.
    """
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
        raise ArchiveError(f"{target}: {operational_sentence(exc)}") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ArchiveError(
            f"{target} is not a fuse-tui archive (SQLite says: {exc}); "
            "it was left untouched — move it aside or pass --archive PATH"
        ) from exc
    except UnicodeDecodeError as exc:
        # A damaged schema page: SQLite's message quotes its bytes, which Python cannot decode.
        conn.close()
        raise ArchiveError(
            f"{target} is not a fuse-tui archive or is damaged (SQLite cannot read its schema); "
            "it was left untouched — move it aside or pass --archive PATH"
        ) from exc
    return conn, fts


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


# The size of a new archive's pages, 4 times SQLite's default: a big first import writes every
# page twice (to the write-ahead log, then the database) and builds its indexes at the end,
# both with a quarter of the pages to handle: 1M events, 3 alternating pairs, the end of the
# import 4.9-5.1 s -> 3.8-3.9 s, the file 425 -> 414 MB. A call read by its ID reads a page
# or two either way.
PAGE_BYTES = 16384


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
    if not tables:
        # A new archive (the size is fixed when SQLite first writes the file, here by the
        # switch to WAL; an archive made before keeps its own): see PAGE_BYTES.
        conn.execute(f"PRAGMA page_size = {PAGE_BYTES}")
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
