"""atomic_write to something that is not a plain file: a FIFO, a device, a symlink.

``fuse-tui get ID -o /dev/null`` (or ``-o /dev/stdout``, or a named pipe) must write *through*
to it: renaming a temporary file over a device node replaced /dev/null with a regular file when
run as root, and failed with "Permission denied" (no temp file allowed in /dev) otherwise.
A symlink is followed, so the link survives and its target gets the new bytes.

(No test writes to /dev/null itself: as root, a regression would replace the real device.)
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from fuse_tui.core.formats import atomic_write

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
def test_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    atomic_write(pipe, [b"first chunk, ", b"second chunk"])
    reader.join(timeout=10)
    assert received == [b"first chunk, second chunk"]
    assert stat.S_ISFIFO(pipe.lstat().st_mode), "the pipe was replaced by a regular file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    atomic_write(link, b"new")
    assert link.is_symlink(), "the symlink was replaced by a regular file"
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    atomic_write(link, b"bytes")
    assert link.is_symlink()
    assert (tmp_path / "made.json").read_bytes() == b"bytes"
