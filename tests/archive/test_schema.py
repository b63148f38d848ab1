"""Opening an archive: schema versioning (new files, empty files, an added migration, racing
creators), foreign and corrupt files refused, two writing processes, a writer killed mid-way."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, ArchiveError, opening, schema
from fuse_tui.core.archive.schema import SCHEMA_VERSION
from tests.archive.conftest import SEED_ID, answer_from


def test_an_empty_file_at_the_path_becomes_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    path.touch()
    with Archive.open(path) as archive:
        assert archive.count() == (0, 0)


def test_a_new_archive_has_big_pages_and_an_older_one_keeps_its_own(
    tmp_path: Path, seed_json: bytes
) -> None:
    new = tmp_path / "new.sqlite3"
    with Archive.open(new) as archive:
        archive.store(answer_from(seed_json), SEED_ID)
    # An archive made before the size changed: SQLite's default pages, data in it.
    older = tmp_path / "older.sqlite3"
    conn = sqlite3.connect(older)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    conn = sqlite3.connect(older)
    conn.execute("DROP TABLE t")
    conn.close()
    with Archive.open(older) as archive:
        archive.store(answer_from(seed_json), SEED_ID)
    for path, size in ((new, opening.PAGE_BYTES), (older, 4096)):
        with Archive.open(path) as archive:
            call = archive.get(SEED_ID)
            assert call is not None and call.raw == seed_json
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA page_size").fetchone()[0] == size
        conn.close()


def test_a_new_migration_upgrades_an_old_archive_and_keeps_its_data(
    archive_path: Path, seed_json: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive.open(archive_path) as archive:
        archive.store(answer_from(seed_json), SEED_ID)

    def add_notes(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE calls ADD COLUMN notes TEXT")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, add_notes])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with Archive.open(archive_path) as archive:
        call = archive.get(SEED_ID)
        assert call is not None and call.raw == seed_json
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    columns = [row[1] for row in conn.execute("PRAGMA table_info(calls)")]
    assert "notes" in columns
    conn.close()


def test_a_failing_migration_leaves_the_previous_version(
    archive_path: Path, seed_json: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive.open(archive_path) as archive:
        archive.store(answer_from(seed_json), SEED_ID)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE calls ADD COLUMN half TEXT")
        raise RuntimeError("power cut")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(RuntimeError):
        Archive.open(archive_path)
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "half" not in [row[1] for row in conn.execute("PRAGMA table_info(calls)")]
    conn.close()


def test_two_processes_creating_the_same_new_archive(archive_path: Path) -> None:
    writers = [_writer(archive_path, prefix, 5) for prefix in ("x", "y")]
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0 and len(out.split()) == 5
    with Archive.open(archive_path) as archive:
        assert archive.count() == (10, 10 * 200)
    _assert_consistent(archive_path)


def _open_at_the_barrier(path: Path, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        with Archive.open(path, busy_timeout=30):
            results.put("ok")
    except ArchiveError as exc:
        results.put(str(exc))


def test_many_processes_opening_a_new_archive_at_the_same_instant(tmp_path: Path) -> None:
    # Released together by a barrier, they race for the WAL switch and read the file while
    # another creates it: both used to fail now and then ("busy", "another program's database").
    context = multiprocessing.get_context("fork")
    for round_ in range(12):
        path = tmp_path / f"round{round_}.sqlite3"
        barrier, results = context.Barrier(6), context.Queue()
        openers = [
            context.Process(target=_open_at_the_barrier, args=(path, barrier, results))
            for _ in range(6)
        ]
        for opener in openers:
            opener.start()
        answers = [results.get(timeout=60) for _ in openers]
        for opener in openers:
            opener.join(timeout=60)
        assert answers == ["ok"] * 6


@settings(max_examples=60, deadline=None)
@given(query=st.text(max_size=30))
def test_any_search_text_is_a_valid_search(
    tmp_path_factory: pytest.TempPathFactory, query: str
) -> None:
    path = tmp_path_factory.getbasetemp() / "hypothesis-search.sqlite3"
    with Archive.open(path) as archive:
        if not archive.archived_ids([SEED_ID]):
            raw = (Path(__file__).parent.parent / "data" / "seed_call.json").read_bytes()
            archive.store(answer_from(raw), SEED_ID)
        for fts in (True, False):
            archive.fts_available = fts
            try:
                archive.search(query)
            except ArchiveError as exc:
                # Never SQLite's syntax error: the filter language's own sentence, or none.
                assert str(exc).startswith("search: ")


def test_a_newer_fuse_tui_migrating_meanwhile_is_not_downgraded(
    archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between this process's first look (a new, empty file) and its write lock, a newer
    # fuse-tui creates the archive: this one must refuse, not write its older version over it.
    real = schema.fts5_available
    newer = schema.SCHEMA_VERSION + 1

    def newer_fuse_tui_meanwhile(conn: sqlite3.Connection) -> bool:
        other = sqlite3.connect(archive_path)
        other.execute(f"PRAGMA user_version = {newer}")
        other.commit()
        other.close()
        return real(conn)

    monkeypatch.setattr(schema, "fts5_available", newer_fuse_tui_meanwhile)
    with pytest.raises(ArchiveError, match="newer fuse-tui"):
        Archive.open(archive_path)
    conn = sqlite3.connect(archive_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == newer
    conn.close()


# Foreign and corrupt files, two writing processes, and a writer killed mid-way.


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
