"""Schema versioning: new files, empty files, an added migration, racing creators."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, ArchiveError, schema
from tests.archive.conftest import SEED_ID, answer_from
from tests.archive.test_robustness import _assert_consistent, _writer


def test_an_empty_file_at_the_path_becomes_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    path.touch()
    with Archive.open(path) as archive:
        assert archive.count() == (0, 0)


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
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
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
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
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
        archive.search(query)
        archive.fts_available = False
        archive.search(query)


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
