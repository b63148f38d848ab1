"""An entry holding a number of more digits than Python reads (over 4300) is never handed out
in a first piece: every view of it would fail building its model (the TUI crashed opening such
a file). The file is refused in the whole read's words, whatever road its first piece takes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.formats import FormatError, progressive
from fuse_tui.core.formats.progressive import FirstEntries

LONG = "9" * 5000


def _entries(count: int) -> list[dict[str, Any]]:
    return [
        {
            "event": {"line": f"line {i}", "data": {"module_type": "m", "n": i}},
            "class": "info",
            "timestamp": 1_529_552_581 + i,
        }
        for i in range(count)
    ]


def _with_long_number(text: str, at: int) -> str:
    """``text`` with entry ``at``'s number ``n`` made 5,000 digits long."""
    return text.replace(f'"n": {at}}}', f'"n": {LONG}}}', 1)


def _pieces(path: Path, first: int = 50) -> list[object]:
    pieces: list[object] = []
    with pytest.raises(FormatError, match="number too long"):
        for piece in progressive.read_progressively(path, first=first):
            pieces.append(piece)
    return pieces


@pytest.mark.parametrize("count", [200, 60_000])  # a small array; one read from its head
def test_a_json_array_with_one_in_its_first_piece_hands_out_nothing(
    tmp_path: Path, count: int
) -> None:
    path = tmp_path / "long.json"
    path.write_text(_with_long_number(json.dumps(_entries(count)), 3), encoding="utf-8")
    if count > 1000:
        assert path.stat().st_size > progressive.HEAD_BYTES  # the head road is taken
    assert _pieces(path) == []


def test_one_call_ndjson_with_one_in_its_first_lines_hands_out_nothing(tmp_path: Path) -> None:
    lines = [json.dumps({**entry, "session_id": "s1"}) for entry in _entries(200)]
    path = tmp_path / "long.ndjson"
    path.write_text(_with_long_number("\n".join(lines) + "\n", 3), encoding="utf-8")
    assert _pieces(path) == []


def test_one_after_the_first_piece_comes_after_the_first_entries(tmp_path: Path) -> None:
    """The first piece holds no such entry: it is shown, then the read says why it stopped."""
    path = tmp_path / "late.json"
    path.write_text(_with_long_number(json.dumps(_entries(200)), 150), encoding="utf-8")
    pieces = _pieces(path, first=50)
    assert len(pieces) == 1 and isinstance(pieces[0], FirstEntries)
    shown = pieces[0].entries
    assert [entry.event.line for entry in shown] == [f"line {i}" for i in range(50)]
