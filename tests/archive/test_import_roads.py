"""The roads a big import takes give what the others give.

``json_all_logs`` reads the calls of a dump in groups, each group's entries into one
``CompactEntries`` sliced into the calls' (a call's own from the start before): the same
documents, columns included. Inside ``bulk_writes``'s one transaction the rows' values are
bound from Python, not taken apart from JSON by SQLite: the same archive.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.archive import Archive, import_file, store
from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, json_all_logs
from fuse_tui.core.formats.json_all_logs import read_all_logs
from tests.archive.test_fast_import import (
    SETTINGS,
    _content,
    _same_document,
    _slow_road,
    entry_lists,
)
from tests.core.log_strategies import json_values

many_calls = st.lists(
    st.fixed_dictionaries(
        {"detail": st.one_of(entry_lists, st.none(), st.just(""))},
        optional={"session_id": st.one_of(st.text(max_size=3), st.none()), "src": json_values},
    ),
    max_size=12,
)


def _columns(entries: Any) -> tuple[list[Any], list[Any], list[Any]]:
    assert isinstance(entries, CompactEntries)
    return entries.kinds(), entries.timestamps(), entries.module_types()


@SETTINGS
@given(many_calls, st.sampled_from([2, 3, 5]))
def test_a_dump_read_in_groups_reads_as_one_read_call_by_call(
    items: list[dict[str, Any]], per_group: int
) -> None:
    data = json.dumps({"calls": items}).encode()
    with mock.patch.object(json_all_logs, "_CALLS_PER_GROUP", 1):
        alone = read_all_logs(data, "d")
    with mock.patch.object(json_all_logs, "_CALLS_PER_GROUP", per_group):
        grouped = read_all_logs(data, "d")
    assert (grouped is None) == (alone is None)
    if grouped is None or alone is None:
        return
    _same_document(grouped, alone)
    for got, want in zip(grouped.logs, alone.logs, strict=True):
        assert _columns(got.entries) == _columns(want.entries)
        assert list(got.entries[1:3]) == list(want.entries[1:3])
    try:
        slow = _slow_road(data, "d")
    except FormatError:
        pytest.fail("the fast road read a dump the slow one refuses")
    assert isinstance(slow, LogsDocument)
    _same_document(grouped, slow)


def test_a_dump_of_many_calls_is_read_in_groups_of_them() -> None:
    detail = [{"event": {"line": "x"}, "class": "info", "timestamp": 1}]
    items = [{"session_id": f"s{n}", "detail": detail * (n % 3)} for n in range(40)]
    data = json.dumps({"calls": items}).encode()
    made: list[int] = []
    real = json_all_logs.CompactEntries

    def counted(*args: Any, **kwargs: Any) -> CompactEntries:
        made.append(1)
        return real(*args, **kwargs)

    with mock.patch.object(json_all_logs, "CompactEntries", counted):
        document = read_all_logs(data, "d")
    assert document is not None
    assert [len(log.entries) for log in document.logs] == [n % 3 for n in range(40)]
    assert len(made) == -(-40 // json_all_logs._CALLS_PER_GROUP)


# Values the JSON road of inserts.json_rows_insert declines (a NUL, lone surrogates) or carries.
odd_texts = st.one_of(
    st.text(max_size=4),
    st.sampled_from(["a\x00b", "\ud800", "x\udfffy", "menu", ""]),
)
odd_entries = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries(
                {"line": odd_texts},
                optional={
                    "data": st.dictionaries(
                        st.sampled_from(["module_type", "result_variable", "k", "n"]),
                        st.one_of(odd_texts, json_values),
                        max_size=3,
                    )
                },
            ),
            "class": st.one_of(st.none(), st.sampled_from(["info", "error"]), odd_texts),
            "timestamp": st.one_of(st.none(), st.integers(-(2**70), 2**70)),
        }
    ),
    min_size=1,
    max_size=6,
)


def _import(folder: Path, name: str, data: bytes, rebuild_from: int) -> list[Any]:
    dump = folder / f"{name}.json"
    dump.write_bytes(data)
    with (
        mock.patch.object(store, "REBUILD_MIN_EVENTS", rebuild_from),
        # The same import time for both (a call without times has the import's as its moment).
        mock.patch.object(store, "time", SimpleNamespace(time=lambda: 1_800_000_000.0)),
        Archive.open(folder / f"{name}.sqlite3") as archive,
    ):
        import_file(archive, dump)
        return _content(archive)


@SETTINGS
@given(st.lists(odd_entries, min_size=1, max_size=5))
def test_a_bulk_import_stores_what_batches_do_by_either_road_of_values(
    details: list[list[dict[str, Any]]],
) -> None:
    """One transaction (bulk) or a transaction per batch; the rows as JSON texts that SQLite
    takes apart, or bound value by value (an SQLite without json_each, and the values the
    JSON road declines): the same archive."""
    items = [{"session_id": f"s{n}", "detail": detail} for n, detail in enumerate(details)]
    data = json.dumps({"calls": items}).encode()
    with tempfile.TemporaryDirectory() as folder:
        roads: list[bool] = []
        real = store._call_inserts

        def spy(*args: Any, json_rows: bool = True) -> Any:
            roads.append(json_rows)
            return real(*args, json_rows=json_rows)

        with mock.patch.object(store, "_call_inserts", spy):
            bulk = _import(Path(folder), "bulk", data, 0)
            assert roads and all(roads)  # this SQLite has json_each
            roads.clear()
            with mock.patch.object(store, "has_json_each", lambda conn: False):
                bound = _import(Path(folder), "bound", data, 0)
            assert roads and not any(roads)
        assert bulk == bound == _import(Path(folder), "batches", data, 10**9)
