"""The JSON fast road (msgspec into compact entries) gives what the plain (slow) road gives.

Every entry, plain or odd, must come out as the slow road's model: same API shape, same extras,
same fields set; and input the fast road cannot take must leave it for the slow road, which
names the problem.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, json_reader, load, shape
from fuse_tui.core.formats.shape import interpret
from fuse_tui.core.model import LogEntry, compact_entries

from .log_strategies import json_entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRAPS = ['[{"a":1},{"b":2}]', "},{", "}, {", "}\n,\n{", '"},{"']


def fast(data: bytes) -> LogsDocument | None:
    document = json_reader._try_fast_array(data, "t")
    assert document is None or isinstance(document, LogsDocument)
    return document


def slow(data: bytes) -> list[LogEntry]:
    document = interpret(json.loads(data), "t", "json")
    assert isinstance(document, LogsDocument)
    return list(document.logs[0].entries)


def facts(entries: Any) -> list[Any]:
    return [(e.to_api(), e.model_extra, e.model_fields_set, e.event.model_extra) for e in entries]


def trap_entry(index: int, trap: str) -> dict[str, Any]:
    return {
        "event": {"line": trap, "data": {"body": trap * 3, "rows": [{"x": trap}, {"y": [{}]}]}},
        "class": "debug",
        "timestamp": 1_700_000_000 + index,
        **({"extra": {"k": trap}} if index % 3 == 0 else {}),
    }


@pytest.mark.parametrize("indent", [None, 2])
def test_brackets_inside_strings_and_nested_objects_read_fast(indent: int | None) -> None:
    items = [trap_entry(i, TRAPS[i % len(TRAPS)]) for i in range(25)]
    data = json.dumps(items, indent=indent).encode()
    document = fast(data)
    assert document is not None
    assert isinstance(document.logs[0].entries, CompactEntries)
    assert facts(document.logs[0].entries) == facts(slow(data))


@SETTINGS
@given(json_entries, st.sampled_from([None, 1]))
def test_the_fast_read_equals_the_plain_read(
    items: list[dict[str, Any]], indent: int | None
) -> None:
    data = json.dumps(items, indent=indent).encode()
    document = fast(data)
    try:
        expected = slow(data)
    except FormatError:
        assert document is None  # the model refuses an entry: the fast road must not accept it
        return
    if document is not None:
        entries = document.logs[0].entries
        assert facts(entries) == facts(expected)
        assert list(entries) == expected
        assert entries == expected


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[:-1],
        lambda d: d[: len(d) // 2],
        lambda d: d + b"x",
        lambda d: d.replace(b'}, {"event"', b'}} {"event"', 1),
        lambda d: d.replace(b'}, {"event"', b'}, 7, {"event"', 4),
        lambda d: d.replace(b'"timestamp": 1700000009', b'"timestamp": "soon"'),
        lambda d: d.replace(b'"timestamp": 1700000009', b'"timestamp": NaN'),
        lambda d: d.replace(b'"timestamp": 1700000009', b'"timestamp": ' + b"9" * 5000),
    ],
)
def test_a_damaged_array_leaves_the_fast_path(damage: Any) -> None:
    items = [trap_entry(i, TRAPS[i % len(TRAPS)]) for i in range(12)]
    data = damage(json.dumps(items).encode())
    assert fast(data) is None
    with pytest.raises(FormatError) as caught:
        load(data, source="t")
    assert "t:" in str(caught.value)


def test_odd_but_valid_entries_are_read_as_the_slow_road_reads_them() -> None:
    items: list[Any] = [
        {"event": {"line": "a", "data": []}, "class": "info", "timestamp": "17"},
        {"event": [], "class": 5, "timestamp": 1.9},
        {"event": {"line": 12, "data": ""}},
        {"event": None, "timestamp": " 3 "},
        {"event": {"line": "plain", "data": {"module_type": 7}}, "class": "", "timestamp": 2**70},
    ]
    data = json.dumps(items).encode()
    document = fast(data)
    assert document is not None
    entries = document.logs[0].entries
    assert isinstance(entries, CompactEntries)
    expected = slow(data)
    assert facts(entries) == facts(expected)
    assert entries.kinds() == [e.kind for e in expected]
    assert entries.timestamps() == [e.timestamp for e in expected]
    assert entries.module_types() == [e.event.module_type for e in expected]


def test_compacted_entries_change_alone() -> None:
    data = json.dumps(
        [{"event": {"line": "a"}, "class": "info"}, {"event": {"line": "b"}, "class": "info"}]
    ).encode()
    document = fast(data)
    assert document is not None
    first, second = document.logs[0].entries
    compact_entries([first, second])
    assert first.model_fields_set is second.model_fields_set  # shared: that is the point
    first.timestamp = 5
    first.mood = "ok"
    first.event.data = {"k": 1}
    assert first.to_api() == {
        "event": {"line": "a", "data": {"k": 1}},
        "class": "info",
        "timestamp": 5,
        "mood": "ok",
    }
    assert first.model_extra == {"mood": "ok"}
    assert second.to_api() == {"event": {"line": "b"}, "class": "info"}
    assert second.model_extra == {} and second.event.model_extra == {}
    del first.mood
    assert first.model_extra == {} and "mood" not in second.to_api()


def test_the_slow_path_names_the_bad_entry_across_slices() -> None:
    # "soon" is no time: the fast road leaves; the slow road goes by slices and names entry 7.
    items: list[dict[str, Any]] = [{"event": [], "class": "info", "timestamp": i} for i in range(9)]
    items[6]["timestamp"] = "soon"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shape, "SLICE_ENTRIES", 2)
        with pytest.raises(FormatError, match="entry 7 timestamp is 'soon', not a UNIX time"):
            load(json.dumps(items).encode(), source="t")
        items[6]["timestamp"] = 6
        document = load(json.dumps(items).encode(), source="t")
    assert isinstance(document, LogsDocument)
    assert [e.timestamp for e in document.logs[0].entries] == list(range(9))
