"""Packed entries (issue 10, memory): a span of the input instead of a view object per entry,
and the input held compressed once a viewer has read it. The same entries either way."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries, _Packed
from fuse_tui.core.formats import load
from fuse_tui.core.formats.json_fast import array_item_starts, array_raws, one_apart
from fuse_tui.core.formats.progressive import Finished, read_progressively

from .log_strategies import json_entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _entries(count: int) -> list[dict[str, Any]]:
    return [
        {
            "event": {"line": f"step {i}", "data": {"module_type": f"m{i % 3}", "n": i}},
            "class": ["info", "error", "debug"][i % 3],
            "timestamp": 1_529_552_581 + i,
        }
        for i in range(count)
    ]


def _compact_array(items: list[Any]) -> bytes:
    return json.dumps(items, separators=(",", ":")).encode()


def _ndjson(items: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps({**item, "session_id": "s1"}) + "\n" for item in items).encode()


def _streamed(data: bytes, first: int = 3) -> CompactEntries:
    """The one-call store the progressive reader ends with."""
    finished = list(read_progressively("src", data, first=first))[-1]
    assert isinstance(finished, Finished)
    entries = finished.document.logs[0].entries  # type: ignore[union-attr]
    assert isinstance(entries, CompactEntries)
    entries.pack_planned()  # as a viewer does once the log is read
    return entries


def _packed_count(entries: CompactEntries) -> int:
    return sum(type(item) is _Packed for item in entries._items)


def _as_read(entries: CompactEntries) -> list[Any]:
    """What a reader sees of every entry: its text (bytes) or model, its fields, its search
    text."""
    texts = [item if not hasattr(item, "__len__") else bytes(item) for item in entries.raw_items()]
    return [texts, list(entries), entries.search_texts(), entries.fields()]


def test_a_compact_array_and_ndjson_lines_are_packed_with_the_same_entries() -> None:
    items = _entries(40)
    # Bytes already read (stdin) have no head read apart; NDJSON's first lines are a copy.
    for data, packed in ((_compact_array(items), 40), (_ndjson(items), 40 - 3)):
        entries = _streamed(data)
        whole = load(data, source="src").logs[0].entries  # type: ignore[union-attr]
        assert _packed_count(entries) == packed
        assert list(entries) == list(whole)
        assert entries.search_texts() == CompactEntries(whole).search_texts()


def test_items_the_same_bytes_apart_are_proved_else_kept_as_views() -> None:
    items = _entries(5)
    # Compact (Fuse's answers), Python's default (", "), indented (fuse-tui get, indent=2).
    for data in (
        _compact_array(items),
        json.dumps(items).encode(),
        json.dumps(items, indent=2).encode(),
    ):
        starts = array_item_starts(data, array_raws(data))
        assert starts is not None
        assert [data[s : s + 1] for s in starts] == [b"{"] * 5
        assert _packed_count(_streamed(data)) == 5
    # One gap unlike the others: not packed, and the same entries all the same.
    compact = _compact_array(items)
    for data in (compact.replace(b"},{", b"}, {", 1), compact.replace(b"},{", b"}\n,{", 2)):
        assert array_item_starts(data, array_raws(data)) is None
        assert _packed_count(_streamed(data)) == 0
        assert list(_streamed(data)) == list(load(data, source="src").logs[0].entries)  # type: ignore[union-attr]


@SETTINGS
@given(
    count=st.integers(min_value=1, max_value=6),
    gaps=st.lists(st.sampled_from([",", ", ", " ,", ",\n  ", ",\n ", ",\n   "]), min_size=5),
    nested=st.booleans(),
)
def test_starts_are_proved_only_where_they_are_right(
    count: int, gaps: list[str], nested: bool
) -> None:
    """Whatever the gaps between the items (alike or not), the starts given are the items'
    own: those the views were cut from."""
    values = [{"a": {"b": i}} if nested else {"a": i} for i in range(count)]
    texts = [json.dumps(value, separators=(",", ":")) for value in values]
    data = ("[" + "".join(t + gaps[i] for i, t in enumerate(texts[:-1])) + texts[-1] + "]").encode()
    raws = array_raws(data)
    starts = array_item_starts(data, raws)
    alike = len(set(gaps[: count - 1])) <= 1
    assert (starts is not None) == alike  # alike gaps are always proved, others never
    if starts is None:
        return
    assert [data[s : s + len(bytes(raw))] for s, raw in zip(starts, raws, strict=True)] == [
        bytes(raw) for raw in raws
    ]


def test_one_apart_needs_the_sum_to_reach_the_end_exactly() -> None:
    data = b'{"a":1}\n{"b":2}\n{"c":3}'
    raws = msgspec.json.Decoder(msgspec.Raw).decode_lines(data)
    assert list(one_apart(data, raws, 0, len(data)) or []) == [0, 8, 16]
    assert one_apart(data, raws, 0, len(data) - 1) is None  # the last does not end there
    # A blank line: one gap of two bytes, so the sum passes the end; one of three bytes and
    # one of none cannot happen between lines (a line feed always stands between two).
    blank = b'{"a":1}\n\n{"b":2}\n{"c":3}'
    raws = msgspec.json.Decoder(msgspec.Raw).decode_lines(blank)
    assert one_apart(blank, raws, 0, len(blank)) is None


@SETTINGS
@given(items=json_entries, first=st.integers(min_value=0, max_value=4), ndjson=st.booleans())
def test_packed_then_compressed_entries_read_as_the_whole_read_gives_them(
    items: list[Any], first: int, ndjson: bool
) -> None:
    try:
        data = _ndjson(items) if ndjson else _compact_array(items)
    except (TypeError, ValueError):
        return
    try:
        whole = load(data, source="src", partial=True)
        entries = _streamed(data, first)
    except Exception:  # a read that fails, fails both ways: the reader's own tests hold that
        return
    if len(whole.logs) != 1:  # type: ignore[union-attr]
        return
    expected = list(whole.logs[0].entries)  # type: ignore[union-attr]
    before = _as_read(entries)
    assert list(entries) == expected
    entries.compress_texts(least=0)
    assert all(packed.view is None for packed in entries._inputs)
    assert _as_read(entries) == before
    assert list(entries[1:]) == expected[1:] and list(entries[::2]) == expected[::2]


def test_compressed_texts_cross_blocks_and_parts_share_the_input() -> None:
    items = _entries(3000)  # ~300 KB: entries across 64 KiB blocks
    entries = _streamed(_compact_array(items), first=10)
    part = entries[100:2900]
    before = [bytes(text) for text in part.raw_items()]
    entries.compress_texts(least=0)  # the part shares the input: compressed for it too
    assert [bytes(text) for text in part.raw_items()] == before
    assert list(part) == list(entries)[100:2900]
    rebuilt = CompactEntries()
    rebuilt.extend(entries[:1500])
    rebuilt.extend(entries[1500:])
    assert rebuilt.same_as(entries) and list(rebuilt) == list(entries)


def test_same_as_tells_the_reader_store_from_another() -> None:
    entries = _streamed(_compact_array(_entries(20)), first=5)
    rows = CompactEntries()
    rows.extend(entries[:5])
    rows.extend(entries[5:])
    assert rows.same_as(entries) and entries.same_as(rows)
    other = _streamed(_compact_array(_entries(20)), first=5)  # equal entries, other objects
    assert not rows.same_as(other)
    assert not rows.same_as(entries[:19]) and not rows.same_as(list(entries))
