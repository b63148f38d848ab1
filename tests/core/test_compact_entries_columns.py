"""Compact entries sliced and grown column by column hold what entry-by-entry copies hold."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, load
from fuse_tui.core.formats.shape import interpret
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import search_text

from .log_strategies import json_entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(items: list[Any]) -> Any:
    document = load(json.dumps(items).encode(), source="t")
    assert isinstance(document, LogsDocument)
    return document.logs[0].entries


def _models(items: list[Any]) -> list[LogEntry] | None:
    try:
        document = interpret(json.loads(json.dumps(items)), "t", "json")
    except FormatError:
        return None
    assert isinstance(document, LogsDocument)
    return list(document.logs[0].entries)


def _same(entries: CompactEntries, expected: list[LogEntry]) -> None:
    assert len(entries) == len(expected)
    assert entries.kinds() == [e.kind for e in expected]
    assert entries.timestamps() == [e.timestamp for e in expected]
    assert entries.module_types() == [e.event.module_type for e in expected]
    assert entries.search_texts() == [search_text(e) for e in expected]
    assert [e.to_api() for e in entries] == [e.to_api() for e in expected]


@SETTINGS
@given(json_entries, st.integers(0, 8), st.integers(0, 8), st.integers(-3, 3).filter(bool))
def test_slices_hold_the_entries_they_cover(items: list[Any], a: int, b: int, step: int) -> None:
    expected = _models(items)
    entries = _read(items)
    if expected is None or not isinstance(entries, CompactEntries):
        return
    _same(entries[a:b], expected[a:b])
    _same(entries[a:b:step], expected[a:b:step])
    _same(entries[-b:], expected[-b:] if b else expected[0:])


@SETTINGS
@given(json_entries, json_entries, st.integers(0, 8))
def test_grown_by_pieces_it_holds_the_whole_log(
    first: list[Any], second: list[Any], cut: int
) -> None:
    expected = _models(first + second)
    whole = _read(first + second)
    if expected is None or not isinstance(whole, CompactEntries):
        return
    grown = whole[:cut]  # as a loading log: the first piece, then the next ones
    grown.extend(whole[cut:])
    _same(grown, expected)
    stop = min(len(whole), cut + 3)
    assert whole.search_texts(cut, stop) == whole.search_texts()[cut:stop]
    assert whole.module_types(cut, stop) == whole.module_types()[cut:stop]
    other = _read(second) if second else None
    if isinstance(other, CompactEntries):  # its own tables of names, numbered apart
        part = _read(first) if first else CompactEntries()
        if isinstance(part, CompactEntries):
            part.extend(other)
            extra = _models(second) or []
            _same(part, (_models(first) or []) + extra)


def test_a_sequence_extended_by_itself_doubles() -> None:
    entries = _read([{"event": {"line": "a"}, "class": "info", "timestamp": 10**30}])
    entries.extend(entries)
    assert [e.event.line for e in entries] == ["a", "a"]
    assert entries.timestamps() == [10**30, 10**30]


def test_pieces_with_hundreds_of_classes_join_up() -> None:
    items = [{"event": {"line": str(i)}, "class": f"c{i}"} for i in range(300)]
    entries = _read(items)
    other = _read([*reversed(items), {"event": {"line": "x"}, "class": "new"}])
    head = entries[:200]
    head.extend(other)
    assert head.kinds() == [f"c{i}" for i in range(200)] + [
        f"c{i}" for i in reversed(range(300))
    ] + ["new"]
    small = _read(items[:2])
    small.extend(entries[250:])
    assert small.kinds() == ["c0", "c1"] + [f"c{i}" for i in range(250, 300)]
