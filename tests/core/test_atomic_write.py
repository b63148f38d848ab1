"""atomic_write: the old file survives any failure, and no temporary file is left behind."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fuse_tui.core.formats import atomic_write


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "log.json"
    atomic_write(target, b"first")
    assert target.read_bytes() == b"first"
    atomic_write(str(target), b"second")
    assert target.read_bytes() == b"second"
    assert _leftovers(tmp_path) == []


def test_accepts_chunks(tmp_path: Path) -> None:
    target = tmp_path / "log.ndjson"
    atomic_write(target, (f"{i}\n".encode() for i in range(3)))
    assert target.read_bytes() == b"0\n1\n2\n"


def test_failure_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "log.json"
    target.write_bytes(b"good old content")

    def chunks() -> Iterator[bytes]:
        yield b"half of the new "
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, chunks())
    assert target.read_bytes() == b"good old content"
    assert _leftovers(tmp_path) == []


def test_interrupt_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "log.json"
    target.write_bytes(b"good")

    def chunks() -> Iterator[bytes]:
        yield b"partial"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, chunks())
    assert target.read_bytes() == b"good"
    assert _leftovers(tmp_path) == []


def test_fsync_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fault injection: the disk refuses to persist (e.g. a full or failing device).
    target = tmp_path / "log.json"
    target.write_bytes(b"good")

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="Input/output"):
        atomic_write(target, b"new content that never lands")
    assert target.read_bytes() == b"good"
    assert _leftovers(tmp_path) == []


def test_missing_directory_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "absent" / "log.json", b"x")
    assert list(tmp_path.iterdir()) == []


def test_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "private.json"
    target.write_bytes(b"old")
    target.chmod(0o600)
    atomic_write(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.json", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


def test_a_directory_in_the_way_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_bytes(b"keep")
    with pytest.raises(OSError):
        atomic_write(target, b"x")
    assert (target / "inside").read_bytes() == b"keep"
    assert _leftovers(tmp_path) == []
