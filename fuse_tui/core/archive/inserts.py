"""Many rows into a table in few statements: ``INSERT … VALUES (…), (…), …``.

``executemany`` runs a statement per row, and Python's sqlite3 holds the GIL between two rows:
a thread writing rows that way while another runs Python gets a row in per GIL hand-over
(~5 ms). A statement of thousands of rows is one step without the GIL, so an import's rows
go in while its next batch is built (see ``Archive._store_all``), and cost less CPU besides
(one statement per few thousand rows). The rows, their order and so the ids an INTEGER
PRIMARY KEY gives them are those of one INSERT per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any

import msgspec

# (statement, one flat parameter list per run of it), as executemany takes them.
Inserts = list[tuple[str, list[list[Any]]]]

# Parameters per statement at most, whatever more SQLite would take: a statement this big
# compiles in well under a millisecond.
MOST_PARAMETERS = 30_000


def most_parameters(conn: sqlite3.Connection) -> int:
    """How many parameters one statement on ``conn`` may bind (SQLite's limit, at most
    :data:`MOST_PARAMETERS`)."""
    return min(MOST_PARAMETERS, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def multi_row_inserts(
    head: str, width: int, rows: Sequence[Sequence[Any]], parameters: int
) -> Inserts:
    """``rows`` (each ``width`` values) for ``head`` (``INSERT INTO t (a, b) VALUES``) in
    statements of at most ``parameters`` parameters: every run of one statement but the last
    (the rest of the rows) binds as many rows."""
    per = max(1, parameters // width)
    marks = "(" + ",".join("?" * width) + ")"
    full = len(rows) - len(rows) % per
    out: Inserts = []
    if full:
        runs = [list(chain.from_iterable(rows[at : at + per])) for at in range(0, full, per)]
        out.append((f"{head} {','.join([marks] * per)}", runs))
    if full < len(rows):
        rest = rows[full:]
        out.append((f"{head} {','.join([marks] * len(rest))}", [list(chain.from_iterable(rest))]))
    return out


def has_json_each(conn: sqlite3.Connection) -> bool:
    """Whether ``conn``'s SQLite has ``json_each`` (built in since 3.38; an option before),
    which :func:`json_rows_insert`'s statements need."""
    try:
        conn.execute("SELECT count(*) FROM json_each('[]')").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


def json_rows_insert(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Inserts:
    """``rows`` (each a value per column: text, integers of 64 bits, None) for ``table`` in ONE
    statement binding ONE parameter, the rows as a JSON text, which SQLite takes apart
    (``json_each``): each value is then bound inside ``sqlite3_step``, which Python's sqlite3
    runs without the GIL, where binding it from Python held the GIL per value (an import's
    millions). The rows get the ids, in order, of :func:`multi_row_inserts`'s (a scan of one
    array, in its order). Empty when a value cannot go that way: a NUL character (SQLite's
    JSON reader ends a text there), a lone surrogate (no UTF-8): then use multi_row_inserts."""
    if not rows:
        return []
    try:
        text = _ENCODE(rows)
    except (msgspec.EncodeError, UnicodeError, TypeError, OverflowError):
        return []
    if _ESCAPED_NUL in text:  # or a text holding a backslash then "u0000": the same road
        return []
    values = ", ".join(f"json_extract(value, '$[{at}]')" for at in range(len(columns)))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM json_each(?)"
    return [(sql, [[text.decode("utf-8")]])]


_ENCODE = msgspec.json.Encoder().encode
_ESCAPED_NUL = b"\\u0000"


def run_inserts(conn: sqlite3.Connection, inserts: Inserts) -> None:
    """Run the statements of :func:`multi_row_inserts`, in order."""
    for sql, runs in inserts:
        conn.executemany(sql, runs)
