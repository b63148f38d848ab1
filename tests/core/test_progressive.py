"""The progressive-reading contract (core.formats.progressive)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, LogsDocument
from fuse_tui.core.formats.progressive import (
    Finished,
    FirstEntries,
    MoreEntries,
    read_progressively,
)


def _dump(path: Path, count: int) -> Path:
    entries = [
        {"event": {"line": f"line {i}"}, "class": "info", "timestamp": 1529552581 + i}
        for i in range(count)
    ]
    path.write_text(json.dumps(entries))
    return path


def test_one_call_comes_in_pieces_then_finished_with_the_same_entries(tmp_path: Path) -> None:
    pieces = list(read_progressively(_dump(tmp_path / "big.json", 5000), first=100))
    assert isinstance(pieces[0], FirstEntries)
    assert len(pieces[0].entries) == 100
    assert all(isinstance(p, MoreEntries) for p in pieces[1:-1])
    finished = pieces[-1]
    assert isinstance(finished, Finished)
    assert isinstance(finished.document, LogsDocument)
    streamed = [e for p in pieces[:-1] for e in p.entries]  # type: ignore[union-attr]
    assert [e.event.line for e in streamed] == [f"line {i}" for i in range(5000)]
    assert [e.event.line for e in finished.document.logs[0].entries] == [
        e.event.line for e in streamed
    ]


def test_many_calls_give_only_the_whole_document(tmp_path: Path) -> None:
    data = Path(__file__).parents[1] / "data" / "all_logs.json"
    pieces = list(read_progressively(data))
    assert len(pieces) == 1 and isinstance(pieces[0], Finished)


def test_bytes_already_read_are_read_the_same(tmp_path: Path) -> None:
    data = _dump(tmp_path / "x.json", 10).read_bytes()
    pieces = list(read_progressively("stdin", data))
    assert isinstance(pieces[0], FirstEntries) and len(pieces[0].entries) == 10


def test_a_bad_file_raises_a_format_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    with pytest.raises(FormatError):
        list(read_progressively(bad))
