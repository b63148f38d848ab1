"""Foreign and corrupt files, two writing processes, and a writer killed mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fuse_tui.core.archive import Archive, ArchiveError
from fuse_tui.core.archive.schema import SCHEMA_VERSION
from tests.archive.conftest import SEED_ID, answer_from

ROOT = Path(__file__).resolve().parents[2]


def _writer(path: Path, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.archive.writer_process", str(path), prefix, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )


def _assert_consistent(path: Path) -> None:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    bad = conn.execute(
        "SELECT c.session_id FROM calls c WHERE c.event_count != "
        "(SELECT count(*) FROM events e WHERE e.session_id = c.session_id)"
    ).fetchall()
    assert bad == []
    orphans = conn.execute(
        "SELECT count(*) FROM events WHERE session_id NOT IN (SELECT session_id FROM calls)"
    ).fetchone()[0]
    assert orphans == 0
    conn.close()


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    content = b"my precious notes\n" * 100
    path.write_bytes(content)
    with pytest.raises(ArchiveError, match="not a fuse-tui archive"):
        Archive.open(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.sqlite3"]


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(ArchiveError, match="another program"):
        Archive.open(path)
    assert path.read_bytes() == before


def test_an_archive_from_a_newer_version_is_refused(archive_path: Path) -> None:
    Archive.open(archive_path).close()
    conn = sqlite3.connect(archive_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveError, match="newer fuse-tui"):
        Archive.open(archive_path)


def test_a_folder_at_the_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="folder"):
        Archive.open(tmp_path)


def test_a_damaged_archive_gives_an_archive_error_not_a_crash(
    archive_path: Path, seed_json: bytes
) -> None:
    with Archive.open(archive_path) as archive:
        for n in range(30):
            archive.store(answer_from(seed_json), f"{SEED_ID}-{n}")
    conn = sqlite3.connect(archive_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(archive_path.read_bytes())
    # Scribble over every page after the first (the header stays valid).
    for offset in range(4096, len(data), 97):
        data[offset] = 0xA5
    archive_path.write_bytes(bytes(data))
    with (
        pytest.raises(ArchiveError, match=r"damaged|not a fuse-tui archive"),
        Archive.open(archive_path) as archive,
    ):
        archive.list_calls()
        archive.search("sending")


def test_two_processes_write_the_same_archive(archive_path: Path) -> None:
    Archive.open(archive_path).close()
    writers = [_writer(archive_path, prefix, 25) for prefix in ("a", "b")]
    with Archive.open(archive_path) as reader:  # a reader (the TUI) at the same time
        for _ in range(20):
            reader.list_calls()
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        assert len(out.split()) == 25
    with Archive.open(archive_path) as archive:
        assert archive.count() == (50, 50 * 200)
    _assert_consistent(archive_path)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killing_a_writer_loses_nothing_committed(archive_path: Path) -> None:
    writer = _writer(archive_path, "k", 10_000)
    assert writer.stdout is not None
    committed = [writer.stdout.readline().strip() for _ in range(15)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    with Archive.open(archive_path) as archive:
        for session_id in committed:
            call = archive.get(session_id)
            assert call is not None and len(call.log.entries) == 200
        calls, events = archive.count()
        assert calls >= len(committed) and events == calls * 200
    _assert_consistent(archive_path)
