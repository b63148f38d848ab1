"""Storing, reading back, replacing and listing archived calls; every log the readers accept is
archivable (huge numbers, lone surrogates, deep nesting), and odd paths are refused."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive, ArchiveError, StoredAnswer, import_file
from fuse_tui.core.archive.schema import APPLICATION_ID, SCHEMA_VERSION
from fuse_tui.core.formats import load_call_log
from tests.archive.conftest import SEED_ID, answer_from, make_answer


def test_store_then_get_returns_the_bytes_exactly_as_served(
    archive: Archive, seed_json: bytes
) -> None:
    archive.store(answer_from(seed_json), SEED_ID, fetched_at=1_700_000_000.5)
    call = archive.get(SEED_ID)
    assert call is not None
    assert call.raw == seed_json
    assert call.format == "json"
    assert call.fetched_at == 1_700_000_000.5
    assert call.origin == "api"
    expected = load_call_log(seed_json, source="x")
    assert [e.to_api() for e in call.log.entries] == [e.to_api() for e in expected.entries]
    assert call.log.session_id == SEED_ID
    assert call.log.source == "archive"


def test_xml_answers_are_kept_as_xml(archive: Archive, seed_xml: bytes) -> None:
    archive.store(answer_from(seed_xml, "xml"), SEED_ID)
    call = archive.get(SEED_ID)
    assert call is not None and call.raw == seed_xml and call.format == "xml"
    assert len(call.log.entries) == 7
    assert call.log.entries[0].timestamp == 1529552692


def test_unknown_session_is_none(archive: Archive) -> None:
    assert archive.get("nope") is None
    assert archive.archived_ids(["nope"]) == set()


def test_storing_twice_keeps_one_call_and_the_refresh_replaces_events(archive: Archive) -> None:
    first = make_answer([("info", "old words", {"module_type": "start"}, 10)])
    second = make_answer(
        [("info", "new words", {"module_type": "start"}, 10), ("error", "boom", {}, 11)]
    )
    archive.store(first, "s1", {"src": "2125551234", "dest": "8005550000", "start": 10})
    archive.store(first, "s1")
    assert archive.count() == (1, 1)
    archive.store(second, "s1")
    assert archive.count() == (1, 2)
    assert archive.search("old") == []
    assert [hit.line for hit in archive.search("new")] == ["new words"]
    # A refresh without listing metadata keeps what was known about the call.
    (summary,) = archive.list_calls()
    assert summary.src == "2125551234" and summary.start == 10
    assert summary.class_counts == {"info": 1, "error": 1}


def test_list_calls_most_recent_first_with_counts(archive: Archive, seed_json: bytes) -> None:
    archive.store(answer_from(seed_json), "old", {"start": 100, "dest": "800"})
    archive.store(answer_from(seed_json), "new", {"start": 200, "dest": "900"})
    archive.store(make_answer([("info", "x", {}, 150)]), "middle")
    calls = archive.list_calls()
    assert [c.session_id for c in calls] == ["new", "middle", "old"]
    assert calls[0].event_count == 7
    assert calls[0].class_counts == {"info": 3, "prompt": 2, "debug": 1, "event": 1}
    assert [c.session_id for c in archive.list_calls(number="800")] == ["old"]
    assert [c.session_id for c in archive.list_calls(since=150)] == ["new", "middle"]
    assert archive.archived_ids(["old", "zzz", "new"]) == {"old", "new"}


def test_update_meta_only_touches_archived_calls(archive: Archive, seed_json: bytes) -> None:
    archive.store(answer_from(seed_json), SEED_ID)
    assert (
        archive.update_meta_many([(SEED_ID, {"src": "Outbound", "type": "outbound", "start": 5})])
        == 1
    )
    assert archive.update_meta_many([("absent", {"src": "x"})]) == 0
    call = archive.get(SEED_ID)
    assert call is not None and call.meta == {"src": "Outbound", "type": "outbound", "start": 5}


def test_a_new_file_gets_our_schema_version_and_wal(archive_path: Path) -> None:
    Archive.open(archive_path).close()
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_reopening_keeps_everything(archive_path: Path, seed_json: bytes) -> None:
    with Archive.open(archive_path) as archive:
        archive.store(answer_from(seed_json), SEED_ID)
    with Archive.open(archive_path) as archive:
        call = archive.get(SEED_ID)
        assert call is not None and call.raw == seed_json


def test_store_without_session_id_is_refused(archive: Archive, seed_json: bytes) -> None:
    with pytest.raises(ArchiveError, match="session ID"):
        archive.store(answer_from(seed_json), "")


def test_unavailable_is_remembered_and_cleared_by_a_store(
    archive: Archive, seed_json: bytes
) -> None:
    archive.mark_unavailable("gone", "expired", "no details")
    archive.mark_unavailable(SEED_ID, "not_found", "no log")
    assert archive.unavailable() == {
        "gone": ("expired", "no details"),
        SEED_ID: ("not_found", "no log"),
    }
    archive.store(answer_from(seed_json), SEED_ID)
    assert set(archive.unavailable()) == {"gone"}


# Logs the readers accept must be archivable too: no SQLite OverflowError/UnicodeEncodeError.
#
# The readers keep what Fuse sends (a 30-digit timestamp, a lone UTF-16 surrogate escaped in the
# JSON, a start time of "1e400" in an all_logs dump); SQLite integers stop at 2**63 and its text
# must be valid UTF-8. The raw bytes are archived as served either way; only the indexed columns
# are made storable.


def _entries(*entries: dict[str, object]) -> bytes:
    return json.dumps(list(entries)).encode()


def test_timestamps_beyond_sqlite_integers_are_archived(archive: Archive) -> None:
    raw = _entries(
        {"event": {"line": "far future"}, "class": "info", "timestamp": 10**30},
        {"event": {"line": "far past"}, "class": "info", "timestamp": -(10**30)},
        {"event": {"line": "normal"}, "class": "info", "timestamp": 1_700_000_000},
    )
    archive.store(answer_from(raw), "big-ts")
    assert archive.get("big-ts") is not None
    assert archive.get("big-ts").raw == raw  # type: ignore[union-attr]
    [summary] = archive.list_calls()
    assert summary.event_count == 3
    hits = archive.search("future")
    assert [hit.line for hit in hits] == ["far future"]


@pytest.mark.parametrize("start", ["1e400", 10**30, "inf", "nan", "-1e400"])
def test_metadata_times_beyond_sqlite_integers_are_dropped(archive: Archive, start: object) -> None:
    raw = _entries({"event": {"line": "x"}, "class": "info", "timestamp": 1})
    archive.store(answer_from(raw), "odd-meta", {"start": start, "end": start, "src": "123"})
    [summary] = archive.list_calls()
    assert summary.start is None and summary.end is None
    assert summary.src == "123"


def test_lone_surrogates_are_archived_and_searchable(archive: Archive) -> None:
    # JSON may escape half a UTF-16 pair; Python keeps it as a lone surrogate.
    raw = (
        b'[{"event":{"line":"caf\\ud800e menu","data":{"k":"v\\udfff","module_type":"m\\ud801"}},'
        b'"class":"err\\udc00","timestamp":1}]'
    )
    archive.store(answer_from(raw), "surrogates", {"src": "\ud800", "dest": "5551234"})
    call = archive.get("surrogates")
    assert call is not None and call.raw == raw
    assert call.log.entries[0].event.line == "caf\ud800e menu"  # the log is read from the raw bytes
    assert [hit.session_id for hit in archive.search("menu")] == ["surrogates"]
    [summary] = archive.list_calls()
    assert summary.dest == "5551234"


def test_a_session_id_that_is_not_text_is_an_archive_error(archive: Archive) -> None:
    raw = _entries({"event": {"line": "x"}, "class": "info", "timestamp": 1})
    with pytest.raises(ArchiveError, match="session ID"):
        archive.store(answer_from(raw), "bad\udcffid")


def test_deeply_nested_data_is_archived(archive: Archive) -> None:
    depth = 900  # about as deep as the JSON reader goes
    data = '{"k":' + "[" * depth + '"deep value"' + "]" * depth + "}"
    entry = '{"event":{"line":"nested","data":' + data + '},"class":"info","timestamp":1}'
    raw = f"[{entry}]".encode()
    archive.store(answer_from(raw), "nested")
    assert [hit.session_id for hit in archive.search("deep")] == ["nested"]


def test_import_of_an_all_logs_dump_with_odd_metadata(archive: Archive, tmp_path: Path) -> None:
    dump = tmp_path / "all.json"
    dump.write_text(
        json.dumps(
            {
                "calls": [
                    {
                        "session_id": "s1",
                        "start": "1e400",
                        "end": 10**30,
                        "src": "\ud800",
                        "detail": [{"event": {"line": "a"}, "class": "info", "timestamp": 10**25}],
                    }
                ]
            }
        )
    )
    result = import_file(archive, dump)
    assert result.stored == ["s1"]


def test_cli_import_of_such_a_dump_prints_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = tmp_path / "weird.json"
    dump.write_bytes(_entries({"event": {"line": "x\ud800"}, "class": "info", "timestamp": 10**30}))
    code = main(["archive", "import", "--archive", str(tmp_path / "a.sqlite3"), str(dump)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err
    assert "imported weird" in captured.out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_at_the_archive_path_is_refused_without_blocking(tmp_path: Path) -> None:
    # Reading the header of a FIFO blocks until a writer comes: `archive list --archive fifo`
    # hung forever.
    pipe = tmp_path / "archive.sqlite3"
    os.mkfifo(pipe)
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            Archive.open(pipe).close()
            outcome.append(None)
        except BaseException as exc:  # reported to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # unblock the reader before failing
        pytest.fail("opening a FIFO as the archive blocked")
    assert len(outcome) == 1 and isinstance(outcome[0], ArchiveError)
    assert "not a regular file" in str(outcome[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.sqlite3"]


def test_marks_are_kept_per_call_and_survive_a_new_fetch(
    archive_path: Path, seed_json: bytes
) -> None:
    with Archive.open(archive_path) as archive:
        archive.store(answer_from(seed_json), SEED_ID)
        assert archive.marks(SEED_ID) == []
        archive.set_marks(SEED_ID, [4, 1, 4])
        archive.set_marks("other;1", [0])
        archive.store(answer_from(seed_json), SEED_ID)  # fetched again: events replaced
    with Archive.open(archive_path) as archive:
        assert archive.marks(SEED_ID) == [1, 4]
        archive.set_marks(SEED_ID, [])
        assert archive.marks(SEED_ID) == [] and archive.marks("other;1") == [0]


def test_a_version_one_archive_gains_marks_and_keeps_its_calls(
    tmp_path: Path, seed_json: bytes
) -> None:
    from fuse_tui.core.archive import schema

    archive_path = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(archive_path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    schema.MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()
    with Archive.open(archive_path) as archive:
        archive.store(answer_from(seed_json), SEED_ID)
        archive.set_marks(SEED_ID, [2])
        assert archive.marks(SEED_ID) == [2]


def _one_line_answer(line: str) -> StoredAnswer:
    raw = json.dumps([{"event": {"line": line}, "class": "info", "timestamp": 1529552692}])
    return StoredAnswer(raw.encode(), "json", load_call_log(raw.encode(), source="t"))


def test_a_call_stored_again_is_found_by_its_new_words_only(archive_path: Path) -> None:
    # The call holding the highest event ids is replaced: its new events reuse those ids.
    with Archive.open(archive_path) as archive:
        archive.store(_one_line_answer("first alpha"), "a;1")
        archive.store(_one_line_answer("second bravo"), "b;2")
        archive.store(_one_line_answer("third charlie"), "b;2")
        assert [h.session_id for h in archive.search("charlie")] == ["b;2"]
        assert archive.search("bravo") == []
        assert [h.session_id for h in archive.search("alpha")] == ["a;1"]


def test_the_same_call_twice_in_one_batch_keeps_the_later_and_both_metadata(
    archive_path: Path,
) -> None:
    with Archive.open(archive_path) as archive:
        refused = archive.store_many(
            [
                (_one_line_answer("old delta"), "c;3", {"src": "6175550142"}),
                (_one_line_answer("new echo"), "c;3", {"dest": "8005550100"}),
            ]
        )
        assert refused == {}
        assert archive.count() == (1, 1)
        assert [h.session_id for h in archive.search("echo")] == ["c;3"]
        assert archive.search("delta") == []
        (summary,) = archive.list_calls()
        assert (summary.src, summary.dest) == ("6175550142", "8005550100")


def test_an_archive_with_the_old_insert_trigger_loses_it_and_still_indexes(
    tmp_path: Path,
) -> None:
    from fuse_tui.core.archive import schema

    path = tmp_path / "v3.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("BEGIN")
    for migrate in schema.MIGRATIONS[:3]:
        migrate(conn)
    schema.create_fts(conn)
    conn.execute(
        "CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN INSERT INTO "
        "events_fts(rowid, line, data_text) VALUES (new.id, new.line, new.data_text); END"
    )
    conn.execute("PRAGMA user_version = 3")
    conn.execute("COMMIT")
    conn.close()
    with Archive.open(path) as archive:
        archive.store(_one_line_answer("foxtrot"), "d;4")
        assert [h.session_id for h in archive.search("foxtrot")] == ["d;4"]  # indexed once
    conn = sqlite3.connect(path)
    triggers = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    conn.close()
    assert "events_ai" not in triggers
