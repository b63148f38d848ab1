"""The fast road fills a log's columns inline (CompactEntries.appenders) for the usual entry:
what it holds must be what the models say, whatever the mix of classes first seen (over 256
of them widen the class column mid-read), modules, timestamps beyond int64 and entries kept
as models."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast

from .test_compact_entries_columns import _models, _same

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_STAMPS = st.one_of(
    st.none(),
    st.integers(-(2**64), 2**64),
    st.sampled_from([-(2**63), -(2**63) + 1, 2**63 - 1, 2**63, "17", True]),
)
_EVENTS = st.one_of(
    st.just(None),
    st.fixed_dictionaries(
        {"line": st.sampled_from(["a", "b"])},
        optional={
            "data": st.one_of(
                st.none(),
                st.just([]),
                st.fixed_dictionaries(
                    {},
                    optional={
                        "module_type": st.one_of(st.none(), st.integers(0, 3), st.text(max_size=2))
                    },
                ),
            )
        },
    ),
    st.fixed_dictionaries({"line": st.integers(0, 2)}),
)


@st.composite
def _entries(draw: st.DrawFn) -> list[dict[str, Any]]:
    classes = draw(st.integers(1, 300))
    count = draw(st.integers(0, 400))
    items = []
    for index in range(count):
        item: dict[str, Any] = {}
        if draw(st.booleans()):
            item["class"] = (
                f"c{draw(st.integers(0, classes - 1))}"
                if index % 3
                else draw(st.sampled_from([None, "", "info", "error"]))
            )
        stamp = draw(_STAMPS)
        if stamp is not None or draw(st.booleans()):
            item["timestamp"] = stamp
        event = draw(_EVENTS)
        if event is not None:
            item["event"] = event
        items.append(item)
    return items


def _filled(items: list[dict[str, Any]]) -> CompactEntries:
    store = CompactEntries()
    json_fast.add_entries(store, json_fast.array_raws(json.dumps(items).encode()))
    return store


@SETTINGS
@given(_entries())
def test_filled_inline_it_holds_what_the_models_say(items: list[dict[str, Any]]) -> None:
    expected = _models(items)
    try:
        entries = _filled(items)
    except json_fast.NotFast:  # an entry the model refuses: the slow road words it
        assert expected is None or any(not isinstance(e, dict) for e in items)
        return
    assert expected is not None
    _same(entries, expected)


def test_more_classes_than_a_byte_holds() -> None:
    # Each class first seen, then seen again after the column widened at the 257th.
    items = [{"class": f"c{i % 300}", "timestamp": i} for i in range(900)]
    entries = _filled(items)
    assert entries.kinds() == [f"c{i % 300}" for i in range(900)]
    assert entries.timestamps() == list(range(900))
    expected = _models(items)
    assert expected is not None
    _same(entries, expected)


def test_timestamps_at_the_edges_of_int64() -> None:
    stamps = [-(2**63) - 1, -(2**63), -(2**63) + 1, 0, 2**63 - 1, 2**63, None]
    items = [{"class": "info", "timestamp": stamp} for stamp in stamps * 2]
    entries = _filled(items)
    assert entries.timestamps() == stamps * 2
    assert [entries.timestamp(i) for i in range(len(entries))] == stamps * 2
    expected = _models(items)
    assert expected is not None
    _same(entries, expected)
