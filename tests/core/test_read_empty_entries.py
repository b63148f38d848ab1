"""Near-empty entries cost next to nothing: one shared empty entry and one shared empty event."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from fuse_tui.core.formats import FormatError, LogsDocument, dump_json, load
from fuse_tui.core.formats.xml_writer import dump_document_xml
from fuse_tui.core.model import LogEntry


def _entries(data: bytes) -> list[LogEntry]:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return document.logs[0].entries


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_empty_entries_are_one_shared_instance(fmt: str) -> None:
    data = (
        b"[{}, {}, {}]"
        if fmt == "json"
        else b"<result><item/><item></item><item>  </item></result>"
    )
    first, second, third = _entries(data)
    assert first is second is third
    assert first.to_api() == {} and first.kind == "unknown" and first.event.line == ""
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    assert json.loads(dump_json(document.logs[0])) == [{}, {}, {}]


def test_an_all_logs_dump_in_xml_reads_an_empty_entry_as_its_json_does() -> None:
    """The writers write ``{}`` as an empty <item>: read back in a call's <detail> too (the
    fuzzer's case: the XML of a dump read from JSON was refused). In JSON an empty string is
    still no entry."""
    data = json.dumps(
        {"calls": [{"session_id": "s1", "detail": [{"class": "info", "timestamp": 1}, {}]}]}
    ).encode()
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    again = load(dump_document_xml(document), source="x")
    assert isinstance(again, LogsDocument) and not again.problems
    assert [entry.to_api() for entry in again.logs[0].entries] == [
        {"class": "info", "timestamp": 1},
        {},
    ]
    xml = b"<result><calls><item><session_id>s1</session_id><detail><item/><item>  </item>"
    read = load(xml + b"</detail></item></calls></result>", source="x")
    assert isinstance(read, LogsDocument)
    assert [entry.to_api() for entry in read.logs[0].entries] == [{}, {}]
    bad = json.dumps({"calls": [{"session_id": "s1", "detail": [{}, ""]}]}).encode()
    with pytest.raises(FormatError, match="entry 2 is an empty string"):
        load(bad, source="t")


def test_entries_without_an_event_share_one_empty_event() -> None:
    first, second = _entries(b'[{"class": "info", "timestamp": 1}, {"event": {}, "class": "x"}]')
    assert first is not second
    assert first.event is second.event
    assert first.to_api() == {"class": "info", "timestamp": 1}
    assert second.to_api() == {"event": {}, "class": "x"}


def test_the_shared_instances_refuse_changes_and_copies_do_not() -> None:
    entry, _ = _entries(b"[{}, {}]")
    with pytest.raises(TypeError, match="model_copy"):
        entry.timestamp = 5
    with pytest.raises(TypeError, match="model_copy"):
        entry.event.line = "changed"
    copy = entry.model_copy(deep=True)
    copy.timestamp = 5
    copy.event.line = "changed"
    assert copy.to_api() == {"timestamp": 5}  # the event was not set on the copy either
    assert entry.timestamp is None and entry.event.line == ""
    assert _entries(b"[{}]")[0].to_api() == {}


def test_many_empty_entries_fit_in_little_memory() -> None:
    """100k ``{}`` entries: ~0.75 KB each once (75 MB); now a list of pointers to one entry,
    plus pydantic's bookkeeping for one slice of them while it validates (~20 MB)."""
    data = b"[" + b",".join([b"{}"] * 100_000) + b"]"
    tracemalloc.start()
    try:
        entries = _entries(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(entries) == 100_000
    assert peak < 32 << 20, f"peak {peak >> 20} MB"
