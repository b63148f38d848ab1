"""An all_logs dump cut short: the calls it still holds whole, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.formats import FormatError, load
from fuse_tui.core.formats.salvage import whole_calls

DUMP = (Path(__file__).parent.parent / "data" / "all_logs.json").read_bytes()
CALLS = json.loads(DUMP)["calls"]


def _ends_of_calls(data: bytes) -> list[int]:
    """Where each call's object ends in ``data`` (its closing brace + 1)."""
    text = data.decode()
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    ends = []
    for _ in CALLS:
        pos = text.index("{", pos)
        _, pos = decoder.raw_decode(text, pos)
        ends.append(pos)
    return ends


@given(st.integers(min_value=0, max_value=len(DUMP) - 1))
def test_a_cut_dump_gives_the_calls_that_end_before_the_cut(cut: int) -> None:
    assert len(CALLS) >= 2  # else the test could not tell a prefix from the whole
    salvaged = whole_calls(DUMP[:cut])
    whole = sum(end <= cut for end in _ends_of_calls(DUMP))
    if whole == 0:
        assert salvaged is None
        return
    assert salvaged is not None
    data, count = salvaged
    assert count == whole
    assert json.loads(data)["calls"] == CALLS[:whole]  # the same calls, unchanged
    document = load(data, source="cut.json")
    assert [log.session_id for log in document.logs] == [c["session_id"] for c in CALLS[:whole]]


def test_the_whole_dump_is_its_own_salvage() -> None:
    salvaged = whole_calls(DUMP)
    assert salvaged is not None and salvaged[1] == len(CALLS)


@pytest.mark.parametrize(
    "data",
    [
        b'[{"event": {"line": "a call log, not a dump"}}',
        b'{"logs": [{"event": {}}',  # another shape
        b'{"calls": [',
        b'{"calls": [{"session_id": "1", "detail": [',
        b'{"calls": [1, {"session_id": "1"}',  # not a call
        b"\xff\xfe\x00",
        b"",
    ],
)
def test_what_holds_no_whole_call_gives_nothing(data: bytes) -> None:
    assert whole_calls(data) is None


def test_the_reader_still_refuses_the_cut_dump() -> None:
    # The salvage is asked for by the one who decides to keep part of a file (archive import).
    with pytest.raises(FormatError, match="ends too early"):
        load(DUMP[: len(DUMP) // 2], source="cut.json")


def test_read_partially_a_cut_dump_gives_its_whole_calls_and_the_cut_as_its_last_problem() -> None:
    # What show, the TUI and archive import read (load with partial=True).
    cut = DUMP[: DUMP.index(b'"session_id"', DUMP.index(b"detail")) + 20]
    document = load(cut, source="cut.json", partial=True)
    assert [log.session_id for log in document.logs] == [CALLS[0]["session_id"]]
    (problem,) = document.problems
    assert problem.cut and problem.index == 2 and problem.session_id is None
    assert problem.message.startswith("the JSON ends too early (truncated?)")
    assert "stops inside the call after call 1" in problem.message
