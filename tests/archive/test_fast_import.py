"""The import's fast roads give exactly what the slow ones give.

``formats.json_all_logs.read_all_logs`` (which ``load`` takes for an all_logs dump of plain
JSON) must read a dump as the slow road does (or decline), and
``fields.entry_views`` must give the events rows and call facts the models give.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, ArchiveError, import_file, schema, store, transfer
from fuse_tui.core.archive.fields import entry_views
from fuse_tui.core.archive.rows import event_row, event_rows
from fuse_tui.core.archive.stats import call_facts
from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, dump_json, load
from fuse_tui.core.formats.api_json import ApiEntry, entry_records, records_json
from fuse_tui.core.formats.document import Document
from fuse_tui.core.formats.json_all_logs import read_all_logs
from fuse_tui.core.formats.json_reader import parse_json
from fuse_tui.core.formats.shape import interpret
from tests.core.log_strategies import json_entries, json_values, texts

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Entries as Fuse writes them, steps and application line included, with odd values mixed in.
fuse_like_entries = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries(
                {"line": st.one_of(texts, st.just('Executing application "App" version "1.2"'))},
                optional={
                    "data": st.one_of(
                        st.none(),
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "module_type": st.one_of(st.sampled_from(["menu", "rest"]), texts),
                                "result_variable": st.one_of(st.just("var_1"), json_values),
                                "other": json_values,
                            },
                        ),
                    )
                },
            ),
            "class": st.one_of(
                st.none(), st.sampled_from(["info", "error", "", "unknown", "event"]), texts
            ),
            "timestamp": st.one_of(st.none(), st.integers(1_700_000_000, 1_700_000_900)),
        },
        optional={"extra": json_values},
    ),
    max_size=8,
)
entry_lists = st.one_of(json_entries, fuse_like_entries)
calls = st.lists(
    st.fixed_dictionaries(
        {"detail": st.one_of(entry_lists, st.none(), st.just(""), st.just({"x": 1}))},
        optional={
            "session_id": st.one_of(st.text(max_size=6), st.integers(), st.none()),
            "src": json_values,
            "start": st.one_of(st.integers(), st.text(max_size=4)),
        },
    ),
    max_size=4,
)


def _slow_road(data: bytes, source: str) -> Document:
    """The dump as the slow road reads it (``json.loads`` and a model per entry): what
    ``load(partial=True)`` gave before it took the fast road where it can."""
    return interpret(parse_json(data, source), source, "json")


def _same_document(fast: LogsDocument, slow: LogsDocument) -> None:
    assert (fast.kind, fast.format, fast.problems) == (slow.kind, slow.format, slow.problems)
    assert len(fast.logs) == len(slow.logs)
    for got, want in zip(fast.logs, slow.logs, strict=True):
        assert (got.session_id, got.meta, got.source) == (want.session_id, want.meta, want.source)
        assert [e.to_api() for e in got.entries] == [e.to_api() for e in want.entries]
        assert list(got.entries) == list(want.entries)


@SETTINGS
@given(calls, st.dictionaries(st.sampled_from(["total", "note"]), json_values, max_size=1))
def test_a_dump_reads_as_the_slow_road_reads_it(
    items: list[dict[str, Any]], extra: dict[str, Any]
) -> None:
    data = json.dumps({**extra, "calls": items}).encode()
    try:
        slow = _slow_road(data, "d")
    except FormatError:
        assert read_all_logs(data, "d") is None
        return
    fast = read_all_logs(data, "d")
    if fast is None:
        return  # declined: the import reads it the slow way
    assert isinstance(slow, LogsDocument)
    _same_document(fast, slow)


def test_a_plain_dump_takes_the_fast_road() -> None:
    entries = [{"event": {"line": "x", "data": {"a": 1}}, "class": "info", "timestamp": 1}]
    data = json.dumps({"calls": [{"session_id": "s1", "detail": entries, "src": "1"}]}).encode()
    fast = read_all_logs(data, "d")
    assert fast is not None
    assert isinstance(fast.logs[0].entries, CompactEntries)
    _same_document(fast, _slow_road(data, "d"))  # type: ignore[arg-type]
    assert isinstance(load(data, source="d").logs[0].entries, CompactEntries)  # type: ignore[union-attr]


def test_odd_dumps_are_declined() -> None:
    for text in (
        b'{"calls": [1, {"detail": []}]}',  # a call that is not an object: a problem
        b'{"calls": [{"detail": 5}]}',  # detail that is not a list
        b'{"calls": [{"detail": [], "start": 1e999}]}',  # json reads inf, msgspec refuses
        b'{"calls": [{"detail": [], "x": "\\ud800"}]}',  # a lone surrogate
        b'\xef\xbb\xbf{"calls": [{"detail": []}]}',  # a BOM
        b'{"calls": [{"session_id": "a"}]}',  # a call list, not logs
        b"[]",
    ):
        assert read_all_logs(text, "d") is None, text


@SETTINGS
@given(entry_lists)
def test_views_give_the_rows_and_facts_the_models_give(items: list[dict[str, Any]]) -> None:
    try:
        document = load(json.dumps(items).encode(), source="t")
    except FormatError:
        return  # a log the model refuses is not this test's subject
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    models = list(entries)
    views = entry_views(entries)
    assert event_rows("s", views) == [event_row("s", i, e) for i, e in enumerate(models)]
    assert call_facts(views) == call_facts(models)


def assert_one_decode_gives_what_each_road_gives(data: bytes) -> None:
    """An import's one decode of a call's entries (entry_records) gives the stored answer
    dump_json writes, and the rows and facts the models give; so does stored_answer."""
    try:
        document = load(data, source="t")
    except FormatError:
        return
    assert isinstance(document, LogsDocument)
    log = document.logs[0]
    models = list(log.entries)
    want_rows = [event_row("s", i, e) for i, e in enumerate(models)]
    answer = transfer.stored_answer(log)
    assert answer.raw == dump_json(log, pretty=False)
    views = answer.views if answer.views is not None else entry_views(log.entries)
    assert event_rows("s", views) == want_rows
    assert call_facts(views) == call_facts(models)
    records = entry_records(log.entries)
    if records is not None:
        views = entry_views(log.entries, records)
        line = records_json(records)
        assert line is None or line == dump_json(log, pretty=False)
        assert event_rows("s", views) == want_rows
        assert call_facts(views) == call_facts(models)


@SETTINGS
@given(entry_lists)
def test_one_decode_gives_the_stored_answer_rows_and_facts(items: list[dict[str, Any]]) -> None:
    assert_one_decode_gives_what_each_road_gives(json.dumps(items).encode())


@pytest.mark.parametrize(
    "value",
    [
        "-0.0",
        "1e16",
        "1e-7",
        "0.00001",
        "2.5e-300",
        "1e400",
        "-1e999",
        "1" * 4301,
        "1" * 4300,
        '"' + "1" * 4301 + '"',  # digits the writer sends to the model's road, in a string
        "123456789012345678901234567890",
        '"\\u2028 \\u007f \\ud800"',
        '"\\u00e9"',
        '[1.5, {"a": 2.0}]',
    ],
)
def test_odd_values_give_the_stored_answer_rows_and_facts(value: str) -> None:
    for entry in (
        f'{{"event":{{"line":"x","data":{{"n":{value},"module_type":"m"}}}},"class":"a","timestamp":1}}',
        f'{{"event":{{"line":"x","data":{{"module_type":{value},"result_variable":{value}}}}}}}',
        f'{{"timestamp":2,"event":{{"data":{{"l":[{value}]}},"line":"y"}},"class":"b","x":{value}}}',
        f'{{"class_":"error","event":{{"line":{value if value.startswith(chr(34)) else 1}}}}}',
        '{"timestamp":"1700000000","class":"info","event":{"line":"numeric-string time"}}',
        '{"class":7,"event":{"line":"odd class"}}',
    ):
        plain = '{"event":{"line":"Executing application \\"A\\" version \\"1\\""},"class":"info"}'
        assert_one_decode_gives_what_each_road_gives(f"[{plain},{entry},{plain}]".encode())


# ------------------------------------------------------------------ bulk import (index rebuild)
def _dump(tmp_path: Path, calls: int, prefix: str = "c") -> Path:
    path = tmp_path / f"{prefix}-dump.json"
    detail = [
        {
            "event": {"line": f"line {i} billing", "data": {"module_type": "rest", "n": i}},
            "class": "error" if i % 3 == 0 else "info",
            "timestamp": 1_700_000_000 + i,
        }
        for i in range(5)
    ]
    items = [{"session_id": f"{prefix}{n}", "src": "1", "detail": detail} for n in range(calls)]
    path.write_text(json.dumps({"calls": items}))
    return path


def _content(archive: Archive) -> list[Any]:
    conn = archive._conn
    return [
        conn.execute(
            "SELECT session_id, raw, src, meta_json, event_count, class_counts FROM calls "
            "ORDER BY rowid"
        ).fetchall(),
        conn.execute("SELECT * FROM events ORDER BY id").fetchall(),
        conn.execute("SELECT * FROM call_facts ORDER BY rowid").fetchall(),
        conn.execute("SELECT * FROM call_steps ORDER BY session_id, number").fetchall(),
        conn.execute(
            "SELECT rowid FROM events_fts WHERE events_fts MATCH 'billing' ORDER BY rowid"
        ).fetchall(),
        conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        ).fetchall(),
        conn.execute("PRAGMA integrity_check").fetchall(),
    ]


def test_an_import_rebuilding_the_indexes_stores_what_one_without_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = _dump(tmp_path, 40)
    with Archive.open(tmp_path / "plain.sqlite3") as plain:
        monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 10**9)
        import_file(plain, dump)
        expected = _content(plain)
    with Archive.open(tmp_path / "bulk.sqlite3") as bulk:
        monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
        rebuilt: list[bool] = []
        worth = Archive._worth_rebuilding
        monkeypatch.setattr(
            Archive,
            "_worth_rebuilding",
            lambda self, *args: rebuilt.append(worth(self, *args)) or rebuilt[-1],
        )
        import_file(bulk, dump)
        assert rebuilt == [True]
        assert _content(bulk) == expected
        # Importing the same calls again replaces them: no rebuild (the index finds them).
        import_file(bulk, dump)
        assert rebuilt == [True, False]
        assert _content(bulk) == expected


def test_a_failing_bulk_import_leaves_the_archive_and_its_indexes_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        before = _content(archive)
        calls = 0
        real = store._write_calls

        def failing(conn: Any, *args: Any) -> None:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise sqlite3.OperationalError("disk I/O error")
            real(conn, *args)

        monkeypatch.setattr(store, "_write_calls", failing)
        with pytest.raises(ArchiveError):
            import_file(archive, _dump(tmp_path, 40))
        assert _content(archive) == before
        assert archive.count() == (0, 0)
        monkeypatch.setattr(store, "_write_calls", real)
        import_file(archive, _dump(tmp_path, 40))  # the archive still works
        assert archive.count() == (40, 200)


@pytest.mark.parametrize("first_failing_id", [0, 150])
def test_a_bulk_import_whose_indexing_fails_leaves_the_archive_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_failing_id: int
) -> None:
    """Each batch's events enter the full-text index in another thread: its failure, in the
    first batch or the last (ids 151 to 200), fails the import and rolls it all back."""
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        before = _content(archive)
        real = schema.INDEX_NEW_EVENTS
        failing = real.replace(
            "SELECT id, line, data_text",
            f"SELECT id, line, CASE WHEN id > {first_failing_id} THEN json('no') "
            "ELSE data_text END",
        )
        assert failing != real
        monkeypatch.setattr(schema, "INDEX_NEW_EVENTS", failing)
        with pytest.raises(ArchiveError, match="malformed JSON"):
            import_file(archive, _dump(tmp_path, 40))
        assert _content(archive) == before
        monkeypatch.setattr(schema, "INDEX_NEW_EVENTS", real)
        import_file(archive, _dump(tmp_path, 40))  # the archive still works
        assert archive.count() == (40, 200)
        with Archive.open(tmp_path / "b.sqlite3") as other:
            import_file(other, _dump(tmp_path, 40))
            assert _content(archive) == _content(other)


def test_a_bulk_import_replacing_a_call_archived_meanwhile_cascades_as_a_plain_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside bulk_writes the foreign keys are not enforced: a call another process archived
    after the import chose to rebuild (so it replaces it) loses its events, facts and steps
    all the same, and the checks are back on afterwards."""
    one = _dump(tmp_path, 1).rename(tmp_path / "one.json")  # call c0, archived "meanwhile"
    dump = _dump(tmp_path, 40)
    contents = []
    for bulk in (False, True):
        with Archive.open(tmp_path / f"{bulk}.sqlite3") as archive:
            import_file(archive, one)
            monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0 if bulk else 10**9)
            monkeypatch.setattr(Archive, "_worth_rebuilding", lambda self, *args, b=bulk: b)
            import_file(archive, dump)
            monkeypatch.undo()
            conn = archive._conn
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            contents.append(_content(archive))
            assert archive.count() == (40, 200)
    assert contents[0] == contents[1]


def test_plain_entries_are_decoded_as_api_entries_others_as_dicts() -> None:
    plain = '{"timestamp":1,"class":"info","event":{"data":{"module_type":"m"},"line":"x"}}'
    extra = '{"event":{"line":"y"},"class":"info","note":1}'
    for items, kind in (([plain, plain], ApiEntry), ([plain, extra], dict)):
        data = f"[{','.join(items)}]".encode()
        document = load(data, source="t")
        assert isinstance(document, LogsDocument)
        records = entry_records(document.logs[0].entries)
        assert records is not None
        assert {type(record) for record in records} == {kind}
        assert_one_decode_gives_what_each_road_gives(data)


@pytest.mark.parametrize(
    "where",
    [
        b'{"calls": [{"session_id": "a", "detail": [{"event": {"data": {"k": "\xff"}}}]}]}',
        b'{"calls": [{"session_id": "a\xff", "detail": [{"event": {"line": "x"}}]}]}',
        b'{"other": "\xfe", "calls": [{"session_id": "a", "detail": [{"event": {"line": "x"}}]}]}',
    ],
)
def test_a_dump_with_bytes_that_are_not_utf8_anywhere_takes_the_slow_road(where: bytes) -> None:
    """The dump's UTF-8 is checked once, whole: a byte that is not UTF-8 in an entry's data
    (kept unread as a view), a metadata value or another key is the slow road's to word."""
    assert read_all_logs(where, "t") is None


def test_a_dump_with_other_scripts_reads_as_the_slow_road_reads_it() -> None:
    data = json.dumps(
        {
            "calls": [
                {"session_id": "é1", "detail": [{"event": {"line": "héllo ☎", "data": {"k": "ü"}}}]}
            ]
        },
        ensure_ascii=False,
    ).encode()
    fast = read_all_logs(data, "t")
    assert fast is not None
    slow = _slow_road(data, "t")
    assert isinstance(slow, LogsDocument)
    _same_document(fast, slow)
