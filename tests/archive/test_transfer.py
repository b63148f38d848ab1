"""Import of saved dumps, export one file per call, and archiving fetches as a side effect."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import (
    Archive,
    archive_fetched,
    export_call,
    import_file,
    safe_file_stem,
)
from fuse_tui.core.archive.errors import ArchiveError
from fuse_tui.core.archive.paths import MAX_STEM_BYTES, is_shortened_stem, session_id_from_stem
from fuse_tui.core.formats import load_call_log
from tests.archive.conftest import SEED_ID, answer_from


def test_export_writes_the_served_bytes_under_a_safe_name(
    archive: Archive, seed_json: bytes, tmp_path: Path
) -> None:
    archive.store(answer_from(seed_json), SEED_ID)
    result = export_call(archive, SEED_ID, tmp_path / "out", "json")
    assert result.verbatim
    assert result.path.parent == tmp_path / "out"
    assert ";" not in result.path.name and "/" not in result.path.name
    assert result.path.read_bytes() == seed_json
    xml = export_call(archive, SEED_ID, tmp_path / "out", "xml")
    assert not xml.verbatim
    assert len(load_call_log(xml.path.read_bytes(), source="x").entries) == 7


def test_safe_names_cannot_escape_the_folder() -> None:
    for hostile in ("../../etc/passwd", "a/b", "..", ".hidden", "C:\\x", "a\x00b"):
        stem = safe_file_stem(hostile)
        assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
        assert "\x00" not in stem and ":" not in stem


def test_export_then_import_round_trips(archive: Archive, seed_xml: bytes, tmp_path: Path) -> None:
    archive.store(answer_from(seed_xml, "xml"), SEED_ID)
    exported = export_call(archive, SEED_ID, tmp_path, "xml")
    with Archive.open(tmp_path / "second.sqlite3") as second:
        result = import_file(second, exported.path)
        assert result.stored == [SEED_ID]
        call = second.get(SEED_ID)
        assert call is not None and call.raw == seed_xml and call.origin == "import"


def test_import_an_all_logs_dump_with_several_calls(archive: Archive, tmp_path: Path) -> None:
    entry = {
        "event": {"line": "hello", "data": {"module_type": "start"}},
        "class": "info",
        "timestamp": 1,
    }
    dump = {
        "calls": [
            {
                "session_id": "a;1",
                "src": "1",
                "dest": "2",
                "start": "100",
                "end": "110",
                "detail": [entry],
            },
            {
                "session_id": "b;2",
                "src": "3",
                "dest": "4",
                "start": "200",
                "end": "210",
                "detail": [entry, entry],
            },
            {
                "session_id": "c;3",
                "src": "5",
                "dest": "6",
                "start": "300",
                "end": "310",
                "detail": [],
            },
        ]
    }
    path = tmp_path / "all_logs.json"
    path.write_text(json.dumps(dump))
    result = import_file(archive, path)
    assert result.stored == ["a;1", "b;2"]
    assert result.skipped == [("c;3", "no detailed log in the dump")]
    calls = {c.session_id: c for c in archive.list_calls()}
    assert calls["b;2"].event_count == 2 and calls["b;2"].start == 200
    assert calls["a;1"].dest == "2"
    # Importing again changes nothing.
    import_file(archive, path)
    assert archive.count() == (2, 3)


def test_import_a_single_call_takes_the_session_id_from_the_file_name(
    archive: Archive, seed_json: bytes, tmp_path: Path
) -> None:
    path = tmp_path / f"{safe_file_stem(SEED_ID)}.json"
    path.write_bytes(seed_json)
    assert import_file(archive, path).stored == [SEED_ID]
    assert import_file(archive, path, session_id="given").stored == ["given"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_session_id_gets_a_safe_name_that_reads_back_when_short(session_id: str) -> None:
    stem = safe_file_stem(session_id)
    assert stem.isascii() and len(stem) <= MAX_STEM_BYTES
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
    if session_id_from_stem(stem) != (session_id or "\x00"):
        # Only a shortened name may not read back: the ID was too long, and a hash ends it.
        assert len(stem) > 100 and re.fullmatch(r".*~[0-9a-f]{16}", stem)


def test_a_long_session_id_exports_under_a_shortened_name_and_imports_with_session_id(
    archive: Archive, seed_json: bytes, tmp_path: Path
) -> None:
    # ~460 bytes once percent-encoded: over the 255-byte limit of file names.
    long_ids = [";".join(["300060", "001", "1529552581"] * 8) + tail for tail in ("a", "b")]
    for sid in long_ids:
        archive.store(answer_from(seed_json), sid)
    paths = [export_call(archive, sid, tmp_path / "out", "json").path for sid in long_ids]
    assert paths[0] != paths[1]
    assert all(path.read_bytes() == seed_json for path in paths)
    assert all(len(path.name.encode()) <= 255 for path in paths)
    into = Archive.open(tmp_path / "other.sqlite3")
    try:
        # Its name no longer says which call it is: refused rather than stored under a wrong ID.
        with pytest.raises(ArchiveError, match="--session-id"):
            import_file(into, paths[0])
        assert import_file(into, paths[0], session_id=long_ids[0]).stored == [long_ids[0]]
    finally:
        into.close()


def test_no_session_id_shares_a_file_name_with_a_shortened_one() -> None:
    shortened = safe_file_stem("x" * 300)
    assert is_shortened_stem(shortened)
    # An ID spelled like that shortened name is written with its "~" encoded.
    assert safe_file_stem(shortened) != shortened
    assert not is_shortened_stem(safe_file_stem(shortened))
    assert session_id_from_stem(safe_file_stem("a~b")) == "a~b"


def test_archive_fetched_stores_and_respects_no_archive(tmp_path: Path, seed_json: bytes) -> None:
    target = tmp_path / "a.sqlite3"
    settings = SimpleNamespace(archive_enabled=True, archive_path=target)
    assert archive_fetched(settings, answer_from(seed_json), SEED_ID, {"src": "9"}) is None
    with Archive.open(target) as archive:
        call = archive.get(SEED_ID)
        assert call is not None and call.meta == {"src": "9"}
    off = tmp_path / "off.sqlite3"
    disabled = SimpleNamespace(archive_enabled=False, archive_path=off)
    assert archive_fetched(disabled, answer_from(seed_json), SEED_ID) is None
    assert not off.exists()


def test_archive_fetched_never_raises(tmp_path: Path, seed_json: bytes) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    message = archive_fetched(foreign, answer_from(seed_json), SEED_ID)
    assert message is not None and message.startswith("not archived:")
    assert "not a fuse-tui archive" in message
    assert foreign.read_text() == "not a database"


def test_one_unreadable_call_of_an_all_logs_dump_is_skipped_not_the_dump(
    archive: Archive, tmp_path: Path
) -> None:
    entry = {"event": {"line": "hello"}, "class": "info", "timestamp": 1}
    dump = {
        "calls": [
            {"session_id": "a;1", "detail": [entry]},
            {"session_id": "bad;2", "detail": "not a list of entries"},
            {"session_id": "c;3", "detail": [entry, entry]},
        ]
    }
    path = tmp_path / "all_logs.json"
    path.write_text(json.dumps(dump))
    result = import_file(archive, path)
    assert result.stored == ["a;1", "c;3"]
    assert [sid for sid, _ in result.skipped] == ["bad;2"]
    assert result.skipped[0][1]  # with its reason
    assert archive.archived_ids() == {"a;1", "c;3"}


def test_a_many_call_import_stores_the_good_calls_and_names_the_one_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fuse_tui.core.archive import Archive, transfer

    entry = {"event": {"line": "hi"}, "class": "info", "timestamp": 1529552692}
    calls = [{"session_id": f"300;{i}", "detail": [entry]} for i in range(7)]
    calls.insert(3, {"session_id": "300;\ud800", "detail": [entry]})  # no UTF-8 for it
    dump = tmp_path / "all.json"
    dump.write_text(json.dumps({"calls": calls}), encoding="utf-8")
    # Small batches: the refused call sits in the second of three transactions.
    monkeypatch.setattr(transfer, "_CALLS_PER_TRANSACTION", 3)
    with Archive.open(tmp_path / "a.sqlite3") as archive:
        result = import_file(archive, dump)
        assert sorted(result.stored) == sorted(f"300;{i}" for i in range(7))
        assert archive.count() == (7, 7)
    assert len(result.skipped) == 1 and "not valid Unicode" in result.skipped[0][1]
    assert "\ud800" not in result.skipped[0][0]
