"""Logs the readers accept must be archivable too: no SQLite OverflowError/UnicodeEncodeError.

The readers keep what Fuse sends (a 30-digit timestamp, a lone UTF-16 surrogate escaped in the
JSON, a start time of "1e400" in an all_logs dump); SQLite integers stop at 2**63 and its text
must be valid UTF-8. The raw bytes are archived as served either way; only the indexed columns
are made storable.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from fuse_tui.cli import main
from fuse_tui.core.archive import Archive, ArchiveError, import_file

from .conftest import answer_from


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
