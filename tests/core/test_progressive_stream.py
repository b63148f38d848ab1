"""The streaming reader behind the progressive contract: pieces first, the same document last."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, dump_xml, load, xml_reader
from fuse_tui.core.formats.progressive import (
    Finished,
    FirstEntries,
    MoreEntries,
    Piece,
    read_progressively,
)
from fuse_tui.core.model import CallLog

from .log_strategies import json_entries

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _entries(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "event": {"line": f"line {i}", "data": {"module_type": "m"}},
            "class": "info",
            "timestamp": 1_529_552_581 + i,
        }
        for i in range(start, start + count)
    ]


def _ndjson(items: list[dict[str, Any]], session: str | None) -> bytes:
    extra = {} if session is None else {"session_id": session}
    return "".join(json.dumps({**item, **extra}) + "\n" for item in items).encode()


def _xml(items: list[dict[str, Any]]) -> bytes:
    return dump_xml(CallLog(entries=items))  # type: ignore[arg-type]


def check_contract(data: bytes, first: int = 7) -> list[Piece]:
    """Assert the contract of core.formats.progressive for ``data``; return the pieces."""
    pieces = list(read_progressively("src", data, first=first))
    kinds = [type(piece) for piece in pieces]
    assert kinds.count(Finished) == 1 and kinds[-1] is Finished
    assert kinds.count(FirstEntries) <= 1
    if FirstEntries in kinds:
        assert kinds[0] is FirstEntries
        assert len(pieces[0].entries) <= first  # type: ignore[union-attr]
    assert set(kinds[1:-1]) <= {MoreEntries}
    finished = pieces[-1]
    assert isinstance(finished, Finished)
    expected = load(data, source="src", partial=True)
    assert finished.document == expected
    streamed = [e for p in pieces[:-1] for e in p.entries]  # type: ignore[union-attr]
    if FirstEntries in kinds:
        assert isinstance(expected, LogsDocument) and len(expected.logs) == 1
        assert streamed == list(expected.logs[0].entries)
    else:
        assert streamed == []
    return pieces


@pytest.mark.parametrize("count", [0, 1, 6, 7, 8, 40])
@pytest.mark.parametrize("shape", ["array", "ndjson", "ndjson-session", "xml"])
def test_every_one_call_shape_streams_the_same_entries(shape: str, count: int) -> None:
    items = _entries(count)
    data = {
        "array": lambda: json.dumps(items).encode(),
        "ndjson": lambda: _ndjson(items, None),
        "ndjson-session": lambda: _ndjson(items, "300;1"),
        "xml": lambda: _xml(items),
    }[shape]()
    if shape.startswith("ndjson") and count < 2:
        return  # one line is a plain JSON object, not NDJSON
    pieces = check_contract(data)
    if count:
        assert isinstance(pieces[0], FirstEntries)
        assert isinstance(pieces[0].entries, CompactEntries)
    if shape == "ndjson-session":
        assert isinstance(pieces[0], FirstEntries) and pieces[0].session_id == "300;1"


@SETTINGS
@given(json_entries, st.sampled_from(["array", "ndjson", "xml"]), st.integers(1, 4))
def test_any_log_keeps_the_contract(items: list[Any], shape: str, first: int) -> None:
    if shape == "array":
        data = json.dumps(items).encode()
    elif shape == "ndjson":
        data = "".join(json.dumps(item) + "\n" for item in items).encode()
        if len(items) < 2 or not all(isinstance(item, dict) for item in items):
            return
    else:
        try:
            document = load(json.dumps(items).encode(), source="t")
        except FormatError:
            return
        assert isinstance(document, LogsDocument)
        data = dump_xml(document.logs[0])
    try:
        load(data, source="src", partial=True)
    except FormatError:
        with pytest.raises(FormatError):
            list(read_progressively("src", data, first=first))
        return
    check_contract(data, first)


def test_several_sessions_give_only_the_whole_document() -> None:
    data = _ndjson(_entries(3), "a") + _ndjson(_entries(3, 3), "b")
    pieces = check_contract(data)
    assert len(pieces) == 1


@pytest.mark.parametrize("shape", ["array", "ndjson", "xml"])
def test_a_bad_entry_late_in_the_source_fails_after_the_first_pieces(
    shape: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xml_reader, "_FEED_BYTES", 256)  # XML is fed 64 KB at a time
    items: list[dict[str, Any]] = _entries(60)
    items[50]["timestamp"] = "soon"
    data = {
        "array": lambda: json.dumps(items).encode(),
        "ndjson": lambda: _ndjson(items, None),
        "xml": lambda: _xml_with_bad_timestamp(),
    }[shape]()
    stream = read_progressively("src", data, first=10)
    first = next(stream)
    assert isinstance(first, FirstEntries) and len(first.entries) == 10
    with pytest.raises(FormatError, match="entry 51 timestamp is 'soon'"):
        list(stream)


def _xml_with_bad_timestamp() -> bytes:
    good = _xml(_entries(60))
    return good.replace(b"<timestamp>1529552631</timestamp>", b"<timestamp>soon</timestamp>")


def test_a_file_streams_and_a_missing_one_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(json.dumps(_entries(30)).encode())
    pieces = list(read_progressively(path, first=5))
    assert isinstance(pieces[0], FirstEntries) and len(pieces[0].entries) == 5
    with pytest.raises(FormatError, match="no such file"):
        list(read_progressively(tmp_path / "missing.json"))


def test_the_first_piece_comes_before_the_rest_is_read() -> None:
    """The first piece of 200k entries costs a small part of the whole read."""
    data = json.dumps(_entries(200_000)).encode()
    started = time.perf_counter()
    stream = read_progressively("src", data, first=100)
    next(stream)
    first_piece = time.perf_counter() - started
    for _ in stream:
        pass
    whole = time.perf_counter() - started
    assert first_piece < whole / 3, (first_piece, whole)


@pytest.mark.parametrize("shape", ["array", "ndjson"])
def test_a_too_long_number_is_refused_after_the_first_piece(shape: str) -> None:
    items: list[dict[str, Any]] = _entries(30)
    items[20]["event"]["data"]["n"] = 0
    text = json.dumps(items) if shape == "array" else _ndjson(items, None).decode()
    data = text.replace('"n": 0', '"n": ' + "9" * 5000).encode()
    stream = read_progressively("src", data, first=5)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="number"):
        list(stream)
