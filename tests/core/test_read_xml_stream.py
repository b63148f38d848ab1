"""XML is read by a pull parser, item by item, into compact entries: the same log as the tree."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import (
    FormatError,
    LogsDocument,
    ReadError,
    dump_xml,
    load,
    xml_reader,
)
from fuse_tui.core.model import CallLog

from .log_strategies import json_entries, xml_entries

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def facts(entries: Any) -> list[Any]:
    return [(e.to_api(), e.model_extra, e.model_fields_set, e.event.model_extra) for e in entries]


def _whole_tree(data: bytes) -> list[Any]:
    document = xml_reader._read_xml(data, "t")
    assert isinstance(document, LogsDocument)
    return list(document.logs[0].entries)


def _xml_of(raw: list[dict[str, Any]]) -> bytes | None:
    try:
        document = load(json.dumps(raw).encode(), source="t")
    except FormatError:
        return None
    assert isinstance(document, LogsDocument)
    return dump_xml(document.logs[0])


@SETTINGS
@given(xml_entries)
def test_streamed_xml_equals_the_whole_tree_read(raw: list[dict[str, Any]]) -> None:
    data = _xml_of(raw)
    if data is None:
        return
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    log = document.logs[0]
    assert facts(log.entries) == facts(_whole_tree(data))


@SETTINGS
@given(json_entries)
def test_streamed_xml_of_any_json_log_equals_the_whole_tree_read(raw: list[Any]) -> None:
    data = _xml_of(raw)
    if data is None:
        return
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    assert facts(document.logs[0].entries) == facts(_whole_tree(data))


def test_odd_xml_entries_read_as_the_tree_reads_them() -> None:
    data = (
        b"<?xml version='1.0'?>\n<result><item/><item><event></event><timestamp> 17 </timestamp>"
        b"</item><item><event><line>a</line><data></data></event><class></class>"
        b"<timestamp></timestamp><x>1</x></item><item>  </item></result>"
    )
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    assert isinstance(entries, CompactEntries)
    assert facts(entries) == facts(_whole_tree(data))
    assert entries.timestamps() == [None, 17, None, None]


@pytest.mark.parametrize(
    "data",
    [
        b"<result><item><event><line>a</line></event></item><item>",
        b"<result><item><timestamp>soon</timestamp></item></result>",
        b"<result><item><event><line>a</line></event></item><error>x</error></result>",
        b"<result>words</result>",
        b"<other><item/></other>",
    ],
)
def test_what_cannot_stream_is_read_or_refused_as_the_whole_tree(data: bytes) -> None:
    try:
        expected: Any = xml_reader._read_xml(data, "t")
    except ReadError as exc:
        with pytest.raises(type(exc)) as caught:
            load(data, source="t")
        assert str(caught.value) == str(exc)
        return
    assert load(data, source="t") == expected


def test_pieces_come_before_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_reader, "_FEED_BYTES", 64)
    log = CallLog(entries=[{"event": {"line": str(i)}, "class": "info"} for i in range(50)])
    store = CompactEntries()
    counts = list(xml_reader.stream_entries(dump_xml(log), "t", store, piece=10))
    assert counts[0] >= 10 and counts[-1] == 50 and len(counts) >= 5
