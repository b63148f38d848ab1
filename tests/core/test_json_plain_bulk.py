"""The bulk road of a JSON read (``json_plain``) must fill a store exactly as the loop of
``json_fast`` does entry by entry: the same items, class and module tables in the same order,
the same columns and odd timestamps, whatever the mix of plain entries and others."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast, json_plain

from .test_compact_entries_fast_fill import _entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _state(store: CompactEntries) -> tuple[Any, ...]:
    return (
        [bytes(item) if not hasattr(item, "model_dump") else item for item in store._items],
        store._kind_names,
        store._kind_ids.typecode,
        list(store._kind_ids),
        store._module_names,
        list(store._module_ids),
        list(store._stamps),
        store._odd_stamps,
    )


def _by_loop(raws: list[Any]) -> CompactEntries:
    store = CompactEntries()
    json_fast._add_each(store, raws)
    return store


def _plain_only(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries the bulk road takes, most of a drawn mix: odd ones made plain."""
    plain = []
    for item in items:
        item = dict(item)
        if not isinstance(item.get("timestamp", 0), int | None) or item.get("timestamp") is True:
            item["timestamp"] = 1_700_000_000
        event = item.get("event")
        if event is not None and not isinstance(event.get("line"), str):
            item["event"] = {"line": "x"}
        data = (item.get("event") or {}).get("data")
        if isinstance(data, list) or (
            isinstance(data, dict) and not isinstance(data.get("module_type", ""), str | None)
        ):
            item["event"] = {"line": "y", "data": {"module_type": "m"}}
        plain.append(item)
    return plain


@SETTINGS
@given(_entries(), st.integers(1, 40), st.booleans())
def test_the_bulk_road_fills_what_the_loop_fills(
    items: list[dict[str, Any]], piece: int, plain: bool
) -> None:
    if plain:
        items = _plain_only(items)
    raws = json_fast.array_raws(json.dumps(items).encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_fast, "PLAIN_PIECE", piece)
        store = CompactEntries()
        json_fast.add_entries(store, raws)
    assert _state(store) == _state(_by_loop(raws))


@pytest.mark.parametrize(
    "text",
    [
        b'{"class": "info", "timestamp": 1.0}',
        b'{"class": "info", "timestamp": true}',
        b'{"class": "info", "timestamp": "17"}',
        b'{"class_": "error"}',
        b'{"class": 3}',
        b'{"event": null}',
        b'{"event": []}',
        b'{"event": {"line": null}}',
        b'{"event": {"line": "a", "data": [1]}}',
        b'{"event": {"line": "a", "data": 5}}',
        b'{"event": {"line": "a", "data": {"module_type": 5}}}',
    ],
)
def test_what_is_not_plain_is_refused_by_the_bulk_road(text: bytes) -> None:
    store = CompactEntries()
    assert not json_plain.add_plain_entries(store, json_fast.array_raws(b"[" + text + b"]"))
    assert len(store) == 0


@pytest.mark.parametrize(
    "text",
    [
        b"{}",
        b'{"class": null, "timestamp": null, "event": {}}',
        b'{"class": "", "timestamp": 99999999999999999999}',
        b'{"class": "info", "event": {"line": "a", "data": null}}',
        b'{"class": "info", "event": {"data": {"module_type": null, "x": [1]}}, "y": 2}',
    ],
)
def test_what_is_plain_is_taken_by_the_bulk_road(text: bytes) -> None:
    raws = json_fast.array_raws(b"[" + text + b"]")
    store = CompactEntries()
    assert json_plain.add_plain_entries(store, raws)
    assert _state(store) == _state(_by_loop(raws))
