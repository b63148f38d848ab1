"""An import inside bulk_writes indexes its events a few statements at a time (``bulk``), with
a bigger FTS5 buffer it puts back afterwards: the archive it leaves is the one an import
indexing each batch leaves, its full-text index whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.archive import Archive, ArchiveError, bulk, import_file, schema, store, transfer
from tests.archive.test_fast_import import _content, _dump


def _index_statements(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids above which events were indexed, one per index statement run from now on."""
    seen: list[int] = []
    real = store._index_events

    def counting(conn: sqlite3.Connection, index_from: int | None) -> None:
        if index_from is not None:
            seen.append(index_from)
        real(conn, index_from)

    monkeypatch.setattr(store, "_index_events", counting)
    return seen


def _whole_index(archive: Archive) -> None:
    """FTS5's own check that the index holds exactly the events' text (raises if not)."""
    archive._conn.execute("INSERT INTO events_fts(events_fts, rank) VALUES ('integrity-check', 1)")


def _hash_size(archive: Archive) -> int:
    row = archive._conn.execute("SELECT v FROM events_fts_config WHERE k = 'hashsize'").fetchone()
    return schema.FTS_DEFAULT_HASH_BYTES if row is None else int(row[0])


def _plain_import(tmp_path: Path, dump: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    with monkeypatch.context() as patch, Archive.open(tmp_path / "plain.sqlite3") as plain:
        patch.setattr(store, "REBUILD_MIN_EVENTS", 10**9)
        import_file(plain, dump)
        return _content(plain)


@pytest.mark.parametrize(
    ("per_statement", "last_events", "statements"),
    [
        # 4 batches of 50 events: indexed after the 2nd and the 4th.
        (60, 0, [0, 100]),
        # After the 3rd; the 4th's at the end (the import's count of events never reached).
        (120, -1, [0, 150]),
        # The last 100 events a batch at a time.
        (10**6, 100, [0, 100, 150]),
        (10**6, 10**6, [0, 50, 100, 150]),
    ],
)
def test_a_bulk_import_indexes_its_events_in_few_statements(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    per_statement: int,
    last_events: int,
    statements: list[int],
) -> None:
    dump = _dump(tmp_path, 40)
    expected = _plain_import(tmp_path, dump, monkeypatch)
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    monkeypatch.setattr(bulk, "FTS_EVENTS_PER_STATEMENT", per_statement)
    monkeypatch.setattr(bulk, "FTS_LAST_EVENTS", last_events)
    with Archive.open(tmp_path / "bulk.sqlite3") as archive:
        assert archive.in_one_transaction is False
        seen = _index_statements(monkeypatch)
        import_file(archive, dump)
        assert seen == statements
        assert _content(archive) == expected
        _whole_index(archive)
        assert len(archive.search("billing", limit=None)) == 200
        # The buffer is FTS5's default again: a later write holds no 64 MB of terms.
        assert _hash_size(archive) == schema.FTS_DEFAULT_HASH_BYTES


def test_a_failing_bulk_import_leaves_the_index_settings_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
    monkeypatch.setattr(bulk, "FTS_EVENTS_PER_STATEMENT", 60)
    monkeypatch.setattr(bulk, "FTS_LAST_EVENTS", 0)
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        config = archive._conn.execute("SELECT * FROM events_fts_config ORDER BY k").fetchall()
        real = store._write_calls
        batches = 0

        def failing(conn: sqlite3.Connection, *args: Any) -> None:
            nonlocal batches
            batches += 1
            if batches == 3:  # after an index statement with the big buffer
                raise sqlite3.OperationalError("disk I/O error")
            real(conn, *args)

        monkeypatch.setattr(store, "_write_calls", failing)
        with pytest.raises(ArchiveError):
            import_file(archive, _dump(tmp_path, 40))
        assert (
            archive._conn.execute("SELECT * FROM events_fts_config ORDER BY k").fetchall() == config
        )
        assert archive.count() == (0, 0)
        assert archive._bulk_indexing is None  # the next stores index their events at once
        monkeypatch.setattr(store, "_write_calls", real)
        import_file(archive, _dump(tmp_path, 40))
        _whole_index(archive)
        assert archive.count() == (40, 200)


def test_a_bulk_import_replacing_a_late_call_keeps_the_index_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A call archived "meanwhile" (see test_fast_import) replaced by the last batch, with the
    events before it written but not indexed yet: the index ends whole all the same."""
    dump = _dump(tmp_path, 40)
    late = json.loads(dump.read_text())["calls"][-1]  # c39, in the 4th batch
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"calls": [{**late, "src": "2"}]}))
    contents = []
    for in_bulk in (False, True):
        with Archive.open(tmp_path / f"{in_bulk}.sqlite3") as archive:
            import_file(archive, one)
            with monkeypatch.context() as patch:
                patch.setattr(store, "REBUILD_MIN_EVENTS", 0 if in_bulk else 10**9)
                patch.setattr(Archive, "_worth_rebuilding", lambda self, *args, b=in_bulk: b)
                patch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)
                patch.setattr(bulk, "FTS_EVENTS_PER_STATEMENT", 10**6)
                patch.setattr(bulk, "FTS_LAST_EVENTS", 0)
                seen = _index_statements(patch)
                import_file(archive, dump)
            if in_bulk:  # the 150 events before c39's batch, before its old events went
                assert seen == [5, 155]
            _whole_index(archive)
            contents.append(_content(archive))
            assert archive.count() == (40, 200)
    assert contents[0] == contents[1]


def test_a_call_written_twice_by_one_bulk_import_leaves_the_index_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second copy of a call replaces the first, written by an earlier batch of the same
    import and not indexed yet: its events go into the index before they are deleted (the
    delete trigger takes out of the index what it holds), else FTS5's index breaks."""
    dump = _dump(tmp_path, 40)
    calls = json.loads(dump.read_text())["calls"]
    calls[13] = {**calls[3], "src": "2"}  # c3 in the 1st batch, again in the 2nd
    dump.write_text(json.dumps({"calls": calls}))
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 10)  # both imports: the same batches
    expected = _plain_import(tmp_path, dump, monkeypatch)
    monkeypatch.setattr(store, "REBUILD_MIN_EVENTS", 0)
    monkeypatch.setattr(Archive, "_worth_rebuilding", lambda self, *args: True)
    monkeypatch.setattr(bulk, "FTS_EVENTS_PER_STATEMENT", 10**6)
    monkeypatch.setattr(bulk, "FTS_LAST_EVENTS", -1)
    with Archive.open(tmp_path / "bulk.sqlite3") as archive:
        seen = _index_statements(monkeypatch)
        import_file(archive, dump)
        assert seen == [0, 50]  # the 1st batch's before c3's first copy went; the rest at the end
        _whole_index(archive)
        assert _content(archive) == expected
        assert archive.count() == (39, 195)
