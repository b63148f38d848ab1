"""prefetch_file: a file read ahead in a thread is what read_file gives, or read_file reads it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, reader
from fuse_tui.core.formats.reader import prefetch_file, read_file

NDJSON = b"".join(json.dumps({"class": "info", "n": i}).encode() + b"\n" for i in range(50))


def test_a_prefetched_file_is_read_once_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.ndjson"
    path.write_bytes(NDJSON)
    prefetch_file(str(path))
    reader._prefetched[str(path)][1].join()
    reads: list[object] = []
    monkeypatch.setattr(reader, "_read_file", lambda p: reads.append(p) or b"again")
    assert read_file(path) == NDJSON and reads == []
    assert read_file(path) == b"again"  # once only: a later read reads the file


def test_a_file_changed_since_the_prefetch_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "log.ndjson"
    path.write_bytes(NDJSON)
    prefetch_file(str(path))
    reader._prefetched[str(path)][1].join()
    path.write_bytes(NDJSON + NDJSON)
    os.utime(path, ns=(1, 1))  # whatever the clock's resolution: its times changed
    assert read_file(path) == NDJSON + NDJSON


def test_a_prefetch_that_failed_leaves_read_file_its_error(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(b"\x00\x01" * 100)  # binary: refused
    prefetch_file(str(path))
    with pytest.raises(FormatError, match="this is not text"):
        read_file(path)
    prefetch_file(str(tmp_path / "missing.json"))  # nothing to read: no prefetch
    prefetch_file(str(tmp_path))  # a directory: no prefetch
    assert str(tmp_path) not in reader._prefetched
    with pytest.raises(FormatError, match="no such file"):
        read_file(tmp_path / "missing.json")


def test_a_fifo_is_never_read_ahead(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    prefetch_file(str(fifo))
    assert str(fifo) not in reader._prefetched


def test_a_json_array_is_left_to_its_head_road(tmp_path: Path) -> None:
    """Its first entries come from its head; read ahead, its whole read would hold the GIL."""
    path = tmp_path / "log.json"
    path.write_bytes(b"  [" + NDJSON.replace(b"\n", b",")[:-1] + b"]")
    prefetch_file(str(path))
    reader._prefetched[str(path)][1].join()
    assert reader._prefetched.pop(str(path))[2] == []
