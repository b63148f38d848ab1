"""Storing, reading back, replacing and listing archived calls."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fuse_tui.core.archive import Archive, ArchiveError
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
