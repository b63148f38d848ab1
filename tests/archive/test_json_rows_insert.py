"""inserts.json_rows_insert writes the rows, in their order and with their ids, that one
INSERT per row writes, or declines (and the caller binds them value by value)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, store
from fuse_tui.core.archive.inserts import has_json_each, json_rows_insert, run_inserts
from tests.archive.conftest import answer_from

# What the archive's JSON-bound rows hold: texts of any code point (NUL, controls, lone
# surrogates, U+2028, quotes and backslashes among them), 64-bit integers, null.
values = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.text(),
    st.text(st.sampled_from(["\x00", "\x01", "\x1f", "\\", '"', "\u2028", "\ud800", "é", "😀"])),
)
rows = st.lists(st.tuples(values, values, values), max_size=40)
COLUMNS = ("a", "b", "c")


def _table(conn_rows: list[tuple[Any, ...]], json: bool) -> list[tuple[Any, ...]] | None:
    conn = sqlite3.connect(":memory:")
    # Each affinity: none, TEXT, INTEGER (what a value becomes is the column's doing).
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a, b TEXT, c INTEGER)")
    conn.execute("INSERT INTO t (id, a) VALUES (41, 'before')")  # ids go on from the last
    if json:
        inserts = json_rows_insert("t", COLUMNS, conn_rows)
        if not inserts:
            return None
        run_inserts(conn, inserts)
    else:
        conn.executemany("INSERT INTO t (a, b, c) VALUES (?,?,?)", conn_rows)
    return conn.execute("SELECT id, a, typeof(a), b, typeof(b), c, typeof(c) FROM t").fetchall()


def _has_nul_or_surrogate(written: list[tuple[Any, ...]]) -> bool:
    texts = [value for row in written for value in row if isinstance(value, str)]
    return any("\x00" in text or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text) for text in texts)


@given(rows)
@example([("a\x00b", 1, None)])
@example([("\ud83d", "x", 2**63 - 1)])
@example([("\\u0000", "", -(2**63))])
@example([("1.5", "007", "12"), (True, False, None), ("\x1f\u2028", '"\\', 0)])
def test_json_rows_write_what_one_insert_per_row_writes(written: list[tuple[Any, ...]]) -> None:
    by_json = _table(written, json=True)
    if by_json is None:
        # Declined only for what SQLite's JSON cannot carry (or an empty batch); a text with
        # a backslash then "u0000" may be declined too, never anything else.
        assert (
            not written
            or _has_nul_or_surrogate(written)
            or any("\\u0000" in value for row in written for value in row if isinstance(value, str))
        )
        return
    assert by_json == _table(written, json=False)


def test_plain_rows_take_the_json_road_in_one_statement() -> None:
    written = [
        ("s", seq, "info", None, 1_700_000_000_000 + seq, "line", "a\nb") for seq in range(5)
    ]
    inserts = json_rows_insert("events", [f"c{i}" for i in range(7)], written)
    assert len(inserts) == 1
    _sql, runs = inserts[0]
    assert len(runs) == 1 and len(runs[0]) == 1  # one statement, one parameter


def test_a_nul_or_a_lone_surrogate_is_declined() -> None:
    assert json_rows_insert("t", COLUMNS, [("a\x00b", 1, 2)]) == []
    assert json_rows_insert("t", COLUMNS, [("\udc80", 1, 2)]) == []
    assert json_rows_insert("t", COLUMNS, []) == []


def _rows(path: Path) -> list[Any]:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute("SELECT * FROM events ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM call_steps ORDER BY session_id, number").fetchall(),
            conn.execute(
                "SELECT rowid FROM events_fts WHERE events_fts MATCH 'menu' ORDER BY rowid"
            ).fetchall(),
        ]
    finally:
        conn.close()


ODD_CALLS = [
    # (session ID, raw answer): texts the JSON road declines (a NUL, lone surrogates) and
    # texts it carries (controls, quotes, backslashes, huge and negative integers, nested data)
    (
        "nul",
        b'[{"event":{"line":"a\\u0000b menu","data":{"module_type":"m\\u0000","k":"v\\u0000"}},'
        b'"class":"info","timestamp":1}]',
    ),
    (
        "surrogates",
        b'[{"event":{"line":"caf\\ud800e menu","data":{"k":"v\\udfff","module_type":"m\\ud801",'
        b'"result_variable":"r\\udc00"}},"class":"err\\udc00","timestamp":2}]',
    ),
    (
        "carried",
        b'[{"event":{"line":"\\u001f\\"q\\" \\\\ menu\\u2028","data":{"module_type":"menu",'
        b'"n":[1,{"x":-9223372036854775808}],"big":123456789012345678901234567890,'
        b'"f":1e300,"t":true}},"class":"info","timestamp":9223372036854775807},'
        b'{"event":{"line":"next","data":{"module_type":"rest","result_variable":7}},'
        b'"class":null,"timestamp":99999999999999999999}]',
    ),
]


def test_an_archive_written_by_json_holds_what_binding_each_value_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(name: str) -> list[Any]:
        path = tmp_path / name
        with Archive.open(path) as archive:
            archive.store_many([(answer_from(raw), sid, None) for sid, raw in ODD_CALLS])
        return _rows(path)

    taken: list[bool] = []
    real = store.json_rows_insert

    def spy(*args: Any) -> Any:
        taken.append(bool(result := real(*args)))
        return result

    monkeypatch.setattr(store, "json_rows_insert", spy)
    by_json = write("json.sqlite3")
    assert taken == [False, False]  # this batch holds a NUL and lone surrogates: declined
    carried = [call for call in ODD_CALLS if call[0] == "carried"]
    taken.clear()
    with Archive.open(tmp_path / "carried.sqlite3") as archive:
        archive.store_many([(answer_from(raw), sid, None) for sid, raw in carried])
    assert taken == [True, True]
    carried_json = _rows(tmp_path / "carried.sqlite3")
    monkeypatch.setattr(store, "json_rows_insert", lambda *args: [])
    assert write("values.sqlite3") == by_json
    with Archive.open(tmp_path / "carried-values.sqlite3") as archive:
        archive.store_many([(answer_from(raw), sid, None) for sid, raw in carried])
    assert _rows(tmp_path / "carried-values.sqlite3") == carried_json
    assert carried_json[0]  # the rows are there


def test_without_json_each_the_values_are_bound_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    carried = [call for call in ODD_CALLS if call[0] == "carried"]
    with Archive.open(tmp_path / "json.sqlite3") as archive:
        archive.store_many([(answer_from(raw), sid, None) for sid, raw in carried])
    monkeypatch.setattr(store, "has_json_each", lambda conn: False)

    def refused(*args: Any) -> Any:
        raise AssertionError("json_rows_insert used without json_each")

    monkeypatch.setattr(store, "json_rows_insert", refused)
    with Archive.open(tmp_path / "values.sqlite3") as archive:
        archive.store_many([(answer_from(raw), sid, None) for sid, raw in carried])
    assert _rows(tmp_path / "values.sqlite3") == _rows(tmp_path / "json.sqlite3")


def test_json_each_is_found_where_sqlite_has_it() -> None:
    assert has_json_each(sqlite3.connect(":memory:"))  # Python's SQLite: 3.38 or later here
