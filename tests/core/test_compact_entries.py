"""Compact entries (core.entries): a Sequence[LogEntry] whose columns match the models exactly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import FormatError, LogsDocument, load
from fuse_tui.core.formats.shape import interpret, interpret_ndjson
from fuse_tui.core.model import LogEntry
from fuse_tui.core.query import search_text

from .log_strategies import json_entries, json_values, texts

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Entries whose data holds module_type and result_variable as Fuse writes them (or oddly).
with_modules = st.lists(
    st.fixed_dictionaries(
        {
            "event": st.fixed_dictionaries(
                {"line": texts},
                optional={
                    "data": st.fixed_dictionaries(
                        {},
                        optional={
                            "module_type": st.one_of(texts, json_values),
                            "result_variable": st.one_of(texts, json_values),
                            "nested": json_values,
                        },
                    )
                },
            ),
            "class": st.one_of(st.none(), st.sampled_from(["info", "error", "", "odd"]), texts),
            "timestamp": st.one_of(st.none(), st.integers(), st.integers().map(str)),
        }
    ),
    max_size=6,
)


def _read(items: list[Any]) -> Any:
    document = load(json.dumps(items).encode(), source="t")
    assert isinstance(document, LogsDocument)
    return document.logs[0].entries


def _slow(items: list[Any]) -> list[LogEntry]:
    document = interpret(json.loads(json.dumps(items)), "t", "json")
    assert isinstance(document, LogsDocument)
    return list(document.logs[0].entries)


@SETTINGS
@given(st.one_of(json_entries, with_modules))
def test_columns_and_search_texts_equal_the_models(items: list[Any]) -> None:
    try:
        expected = _slow(items)
    except FormatError:  # a log the model refuses is not this test's subject
        return
    entries = _read(items)
    if not isinstance(entries, CompactEntries):
        return  # msgspec could not take it (a lone surrogate): the slow road read it
    assert entries.kinds() == [e.kind for e in expected]
    assert entries.timestamps() == [e.timestamp for e in expected]
    assert entries.module_types() == [e.event.module_type for e in expected]
    assert entries.search_texts() == [search_text(e) for e in expected]
    assert [e.to_api() for e in entries] == [e.to_api() for e in expected]


def test_a_plain_log_is_held_compactly() -> None:
    items = [
        {"event": {"line": f"l{i}", "data": {"module_type": "m", "x": i}}, "class": "info"}
        for i in range(5)
    ]
    assert isinstance(_read(items), CompactEntries)


def test_it_reads_as_a_sequence_of_models() -> None:
    items = [{"event": {"line": str(i)}, "class": "info", "timestamp": i} for i in range(6)]
    entries = _read(items)
    expected = _slow(items)
    assert len(entries) == 6
    assert entries[0] == expected[0] and entries[-1] == expected[-1]
    assert entries[0] is entries[0]  # a shown row stays the same object
    assert list(entries[1:4]) == expected[1:4] and list(entries[::2]) == expected[::2]
    assert entries[2:4].timestamps() == [2, 3]
    assert list(entries) == expected and entries == expected
    with pytest.raises(IndexError):
        entries[6]
    with pytest.raises(IndexError):
        entries[-7]


def test_it_grows_with_models_and_with_other_compact_entries() -> None:
    entries = _read([{"event": {"line": "a"}, "class": "info", "timestamp": 1}])
    more = _read([{"event": {"line": "b"}, "class": "error", "timestamp": 2}])
    odd = LogEntry.model_validate({"event": {"line": "c"}, "class": "x", "timestamp": 10**30})
    entries.extend(more)
    entries.append(odd)
    assert [e.event.line for e in entries] == ["a", "b", "c"]
    assert entries.kinds() == ["info", "error", "x"]
    assert entries.timestamps() == [1, 2, 10**30]
    assert entries[2] is odd
    assert entries.search_texts() == [search_text(e) for e in entries]


def test_hundreds_of_classes_still_fit() -> None:
    items = [{"event": {"line": "x"}, "class": f"c{i}"} for i in range(300)]
    entries = _read(items)
    assert entries.kinds() == [f"c{i}" for i in range(300)]


session_ids = st.one_of(st.none(), st.sampled_from(["", "s1", "s2", 1, "1"]))


@SETTINGS
@given(st.lists(st.tuples(session_ids, st.sampled_from(["a", "b"])), min_size=2, max_size=8))
def test_ndjson_groups_as_the_slow_road_does(records: list[tuple[Any, str]]) -> None:
    items = []
    for session, line in records:
        item: dict[str, Any] = {"event": {"line": line}, "class": "info"}
        if session is not None:
            item["session_id"] = session
        items.append(item)
    data = "\n".join(json.dumps(item) for item in items).encode() + b"\n"
    fast = load(data, source="t", partial=True)
    slow = interpret_ndjson([json.loads(line) for line in data.splitlines()], "t")
    assert isinstance(fast, LogsDocument) and isinstance(slow, LogsDocument)
    assert fast.kind == slow.kind
    assert [log.session_id for log in fast.logs] == [log.session_id for log in slow.logs]
    for got, want in zip(fast.logs, slow.logs, strict=True):
        assert isinstance(got.entries, CompactEntries)
        assert [e.to_api() for e in got.entries] == [e.to_api() for e in want.entries]
        assert "session_id" not in got.entries[0].to_api()


def test_a_record_spread_over_lines_is_not_joined_into_another() -> None:
    data = b'{"event": {"line": "a"}, "class": "info"}\n{"event": {"line": "b",\n "x": 1}}\n'
    with pytest.raises(FormatError, match=r"NDJSON line is not valid JSON.*line 2"):
        load(data, source="t")


@pytest.mark.parametrize("separator", [b"\n", b"\r\n", b"\n\n  \n", b" \r\n\t\n"])
def test_ndjson_line_ends_and_blank_lines_read_fast_and_alike(separator: bytes) -> None:
    items = [{"event": {"line": f"l{i}"}, "class": "info", "timestamp": i} for i in range(4)]
    data = separator.join(json.dumps(item).encode() for item in items) + separator
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    assert isinstance(entries, CompactEntries)
    assert [e.to_api() for e in entries] == items


def test_data_nested_deeper_than_pydantics_json_parser_goes_is_read() -> None:
    depth = 900  # json.loads and msgspec read it; pydantic's JSON parser stops near 250
    data = json.loads('{"k":' + "[" * depth + '"deep value"' + "]" * depth + "}")
    items = [{"event": {"line": "nested", "data": data}, "class": "info", "timestamp": 1}]
    entries = _read(items)
    assert entries[0].to_api() == items[0]
    assert "deep value" in entries.search_texts()[0]


def test_a_class_given_by_the_models_field_name_is_that_class_in_the_columns() -> None:
    from fuse_tui.core.formats import load
    from fuse_tui.ui.rows import EventRows

    document = load(b'[{"class_": "error", "event": {"line": "x"}}]', source="t")
    log = document.logs[0]  # type: ignore[union-attr]
    assert log.entries[0].kind == "error"
    assert EventRows(log.entries).counts["error"] == 1


def test_models_in_one_pass_are_the_models_access_builds() -> None:
    from fuse_tui.core.entries import CompactEntries, held
    from fuse_tui.core.formats import load

    data = (
        b'[{"event": {"line": "a", "data": {"module_type": "menu", "x": [1, {"y": null}]}},'
        b' "class": "info", "timestamp": 5, "extra": true}, {},'
        b' {"event": {"line": "b"}, "class": "odd"}, {"class": "error", "timestamp": "7"}]'
    )
    entries = load(data, source="t").logs[0].entries  # type: ignore[union-attr]
    assert isinstance(entries, CompactEntries)
    built = held(entries)
    assert isinstance(built, list)
    assert [e.to_api() for e in built] == [entries[i].to_api() for i in range(len(entries))]
    assert built == list(entries)


def test_a_number_out_of_range_in_data_reads_as_its_model_in_every_view() -> None:
    # The reader keeps such an entry as text; msgspec's untyped decode refuses 1e400 where the
    # model reads inf: the field views and search texts fall back to the model, never raise.
    from fuse_tui.core.query import search_text

    text = b'[{"class":"info","timestamp":1,"event":{"line":"x","data":{"big":1e400}}}]'
    document = load(text, source="t")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    model = entries[0]
    assert model.event.data == {"big": float("inf")}
    if isinstance(entries, CompactEntries):
        assert entries.search_texts() == [search_text(model)]
        assert entries.fields()[0].event.data == {"big": float("inf")}


BAD_KEY_ENTRY = b'{"class":"info","event":{"line":"x","data":{"\xed\xa0\x80":true}}}'


@pytest.mark.parametrize(
    "data",
    [
        b"[" + BAD_KEY_ENTRY + b"]",
        BAD_KEY_ENTRY + b"\n" + BAD_KEY_ENTRY + b"\n",
        b'{"calls":[{"session_id":"1","detail":[' + BAD_KEY_ENTRY + b"]}]}",
    ],
    ids=["array", "ndjson", "all_logs"],
)
def test_bytes_that_are_not_utf8_where_an_entry_is_kept_as_text_are_refused_on_read(
    data: bytes,
) -> None:
    # msgspec does not check what it keeps as text: without a check the file read, and the
    # entry raised when it was shown, exported or archived.
    from fuse_tui.core.formats.json_all_logs import read_all_logs
    from fuse_tui.core.formats.progressive import read_progressively

    with pytest.raises(FormatError, match="not valid UTF-8"):
        load(data, source="t", partial=True)
    with pytest.raises(FormatError, match="not valid UTF-8"):
        list(read_progressively("t", data))
    assert read_all_logs(data, "t") is None  # the all_logs fast road leaves it to the slow one


_CLASSES = st.sampled_from([None, "", "unknown", "error", "info", "ERROR", 5, "é"])
_ODD_NAMED = st.sampled_from(["@fuse-tui:kind", "@fuse-tui:timestamp", "kind", "class_"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "event": st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "line": texts,
                            "data": st.one_of(
                                st.none(), st.dictionaries(st.text(max_size=5), json_values)
                            ),
                        },
                    ),
                )
            },
            optional={
                "class": _CLASSES,
                "timestamp": st.one_of(st.none(), st.integers(0, 2**34)),
                "odd": st.dictionaries(_ODD_NAMED, json_values, max_size=2),
            },
        ),
        max_size=6,
    )
)
def test_field_views_read_what_the_models_hold(raw: list[dict[str, Any]]) -> None:
    # Flatten "odd": keys named like the views' own slots must not leak into them.
    for entry in raw:
        entry.update(entry.pop("odd", {}))
    try:
        document = load(json.dumps(raw).encode(), source="t")
    except FormatError:
        return  # an entry the model refuses (a class_ list): nothing to view
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    if not isinstance(entries, CompactEntries):
        return
    for view, model in zip(entries.fields(), entries.models(), strict=True):
        assert (view.kind, view.class_, view.is_error, view.timestamp) == (
            model.kind,
            model.class_,
            model.is_error,
            model.timestamp,
        )
        assert (view.event.line, view.event.data) == (model.event.line, model.event.data)
        assert (view.event.module_type, view.event.result_variable) == (
            model.event.module_type,
            model.event.result_variable,
        )
