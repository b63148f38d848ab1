"""inserts.multi_row_inserts writes the rows, in their order and with their ids, that one
INSERT per row writes."""

from __future__ import annotations

import sqlite3
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.archive.inserts import most_parameters, multi_row_inserts, run_inserts

values = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(),
    st.binary(max_size=8),
)
rows = st.lists(st.tuples(values, values, values), max_size=40)
HEAD = "INSERT INTO t (a, b, c) VALUES"


def _table(inserts: Any | None, written: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b TEXT, c INTEGER)")
    if inserts is None:
        conn.executemany(f"{HEAD} (?,?,?)", written)
    else:
        run_inserts(conn, inserts)
    return conn.execute("SELECT id, a, typeof(a), b, typeof(b), c, typeof(c) FROM t").fetchall()


@given(rows, st.integers(1, 20))
def test_multi_row_statements_write_what_one_insert_per_row_writes(
    written: list[tuple[Any, ...]], parameters: int
) -> None:
    inserts = multi_row_inserts(HEAD, 3, written, parameters)
    assert sum(len(runs) for _sql, runs in inserts) == -(-len(written) // max(1, parameters // 3))
    assert _table(inserts, written) == _table(None, written)


def test_the_parameter_limit_is_sqlites_at_most() -> None:
    conn = sqlite3.connect(":memory:")
    assert 0 < most_parameters(conn) <= 30_000
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    assert most_parameters(conn) == 999
