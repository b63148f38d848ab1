"""The archive's SQLite schema and its versioned migrations.

The schema version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the file as
ours so that a foreign SQLite database at the archive path is refused instead of altered. Each
migration runs in the caller's transaction, so a crash mid-migration leaves the previous version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# "FUSE" in ASCII: tells our archives apart from any other SQLite file.
APPLICATION_ID = 0x46555345


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build has the FTS5 full-text extension."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
    except sqlite3.OperationalError:
        return False
    return True


def _run(conn: sqlite3.Connection, statements: list[str]) -> None:
    # Not executescript(): it would COMMIT the caller's transaction first.
    for statement in statements:
        conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            """CREATE TABLE calls (
                session_id   TEXT PRIMARY KEY,
                raw          BLOB NOT NULL,      -- the answer bytes exactly as served (or imported)
                format       TEXT NOT NULL,      -- "json" | "xml"
                content_type TEXT,
                origin       TEXT NOT NULL,      -- "api" | "import"
                fetched_at   REAL NOT NULL,      -- epoch seconds of the fetch (or import)
                src TEXT, dest TEXT, start INTEGER, "end" INTEGER, type TEXT, number TEXT,
                meta_json    TEXT NOT NULL DEFAULT '{}',
                event_count  INTEGER NOT NULL DEFAULT 0,
                first_ts     INTEGER,
                last_ts      INTEGER,
                class_counts TEXT NOT NULL DEFAULT '{}'
            )""",
            "CREATE INDEX calls_start ON calls(start)",
            "CREATE INDEX calls_fetched ON calls(fetched_at)",
            """CREATE TABLE events (
                id         INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES calls(session_id) ON DELETE CASCADE,
                seq        INTEGER NOT NULL,
                class      TEXT,
                module     TEXT,
                timestamp  INTEGER,
                line       TEXT NOT NULL DEFAULT '',
                data_text  TEXT NOT NULL DEFAULT ''  -- the data values, one per line, for search
            )""",
            "CREATE INDEX events_session ON events(session_id, seq)",
            "CREATE INDEX events_class_ts ON events(class, timestamp)",
            """CREATE TABLE unavailable (
                session_id TEXT PRIMARY KEY,
                kind       TEXT NOT NULL,   -- "expired" | "not_found"
                reason     TEXT NOT NULL,
                seen_at    REAL NOT NULL
            )""",
        ],
    )


def create_fts(conn: sqlite3.Connection) -> None:
    """The full-text index over line text and data values.

    A trigger takes deleted events out of it; ``Archive`` puts new events in with one
    ``INSERT … SELECT`` per transaction (see :data:`INDEX_NEW_EVENTS`): a trigger firing per
    inserted row made an import ~4.5 times slower."""
    _run(
        conn,
        [
            """CREATE VIRTUAL TABLE events_fts USING fts5(
                line, data_text, content='events', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2'
            )""",
            """CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
                INSERT INTO events_fts(events_fts, rowid, line, data_text)
                VALUES ('delete', old.id, old.line, old.data_text);
            END""",
            "INSERT INTO events_fts(events_fts) VALUES ('rebuild')",
        ],
    )


def has_fts(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='events_fts'"
    ).fetchone()
    return row is not None


def _v2_marks(conn: sqlite3.Connection) -> None:
    """Marks a person put on events (the TUI's marks), per call. Kept apart from ``events`` and
    without a foreign key on purpose: fetching a call again replaces its events, and its marks,
    which name events by their position, must survive that."""
    _run(
        conn,
        [
            """CREATE TABLE marks (
                session_id TEXT NOT NULL,
                seq        INTEGER NOT NULL,   -- the event's position in the call (0-based)
                PRIMARY KEY (session_id, seq)
            ) WITHOUT ROWID""",
        ],
    )


def _v3_compressed_raw(conn: sqlite3.Connection) -> None:
    """Raw answers may be kept compressed (see ``blobs``); rows before this stay as they are."""
    _run(
        conn,
        [
            "ALTER TABLE calls ADD COLUMN raw_codec TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE calls ADD COLUMN raw_size INTEGER",  # NULL means length(raw)
        ],
    )


def _v4_bulk_fts(conn: sqlite3.Connection) -> None:
    """New events enter the full-text index in bulk (see :func:`create_fts`), not by trigger."""
    _run(conn, ["DROP TRIGGER IF EXISTS events_ai"])


def _v5_call_facts(conn: sqlite3.Connection) -> None:
    """Per-call facts for ``archive stats`` (``core.archive.stats``): the call's moment and
    error count, the application it ran, and its steps (``core.steps.split_steps``), which the
    events table cannot give (it keeps no result variable). Derived from ``calls``, filled
    lazily by the stats for calls that have none; replacing or deleting a call deletes them (the
    cascade), and so does a new start time from a listing (the trigger): never stale."""
    _run(
        conn,
        [
            """CREATE TABLE call_facts (
                session_id TEXT PRIMARY KEY REFERENCES calls(session_id) ON DELETE CASCADE,
                at         REAL NOT NULL,      -- the call's moment, as list_calls orders calls
                errors     INTEGER NOT NULL,   -- its entries of class "error"
                app        TEXT,               -- from 'Executing application "X" version "V"'
                version    TEXT
            )""",
            # Covering for the per-hour counts: the window is read from the index alone.
            "CREATE INDEX call_facts_at ON call_facts(at, errors)",
            "CREATE INDEX call_facts_app ON call_facts(app, version)",
            """CREATE TABLE call_steps (
                session_id TEXT NOT NULL REFERENCES call_facts(session_id) ON DELETE CASCADE,
                number     INTEGER NOT NULL,   -- Step.number
                module     TEXT,
                variable   TEXT,
                duration   INTEGER,            -- seconds, Step.duration(next step's start)
                PRIMARY KEY (session_id, number)
            ) WITHOUT ROWID""",
            # In step order: the median and p95 per step come from one walk, without a sort.
            "CREATE INDEX call_steps_timing ON call_steps(module, variable, duration)",
            """CREATE TRIGGER call_facts_moved AFTER UPDATE OF start, first_ts ON calls
                WHEN old.start IS NOT new.start OR old.first_ts IS NOT new.first_ts BEGIN
                DELETE FROM call_facts WHERE session_id = new.session_id;
            END""",
        ],
    )


# Puts the events with an id above the parameter into the full-text index: the events written
# by the current transaction, when the parameter is the largest id before they were written.
INDEX_NEW_EVENTS = (
    "INSERT INTO events_fts(rowid, line, data_text) SELECT id, line, data_text FROM events "
    "WHERE id > ?"
)


# FTS5's buffer of indexed terms (its 'hashsize'), written to the index as a segment when full
# (or when a statement ends): 1 MB unless set. An import inside bulk_writes sets this, for
# fewer, bigger segments to write and merge (at 1M events a 1 MB buffer made the indexing
# about twice as long), and puts the size before back.
FTS_DEFAULT_HASH_BYTES = 1024 * 1024
BULK_FTS_HASH_BYTES = 64 * 1024 * 1024


def set_fts_hash_size(conn: sqlite3.Connection, size: int) -> int | None:
    """Set the full-text index's buffer size (see :data:`BULK_FTS_HASH_BYTES`) in the
    caller's transaction; the size before (FTS5's default when none was set: putting it back
    then leaves the default written down), or None when this SQLite's FTS5 has no such setting
    (nothing changed)."""
    row = conn.execute("SELECT v FROM events_fts_config WHERE k = 'hashsize'").fetchone()
    before = int(row[0]) if row is not None else FTS_DEFAULT_HASH_BYTES
    try:
        conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('hashsize', ?)", (size,))
    except sqlite3.OperationalError:
        return None
    return before


# The indexes an import of many new calls drops and builds again (see Archive.bulk_writes),
# with the very statements the migrations above created them with.
REBUILT_INDEXES = (
    ("events_session", "CREATE INDEX events_session ON events(session_id, seq)"),
    ("events_class_ts", "CREATE INDEX events_class_ts ON events(class, timestamp)"),
    (
        "call_steps_timing",
        "CREATE INDEX call_steps_timing ON call_steps(module, variable, duration)",
    ),
)


# MIGRATIONS[i] brings a database from version i to version i + 1. Append only; never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1,
    _v2_marks,
    _v3_compressed_raw,
    _v4_bulk_fts,
    _v5_call_facts,
]
SCHEMA_VERSION = len(MIGRATIONS)
