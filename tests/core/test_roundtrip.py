"""Writing then reading gives back an equal model (property tests over generated logs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings

from fuse_tui.core.formats import LogsDocument, dump_json, dump_xml, load, load_file
from fuse_tui.core.model import CallLog
from tests.core.log_strategies import json_entries, xml_entries

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes) -> CallLog:
    document = load(data, source="roundtrip")
    assert isinstance(document, LogsDocument) and len(document.logs) == 1
    return document.logs[0]


def _from_api(raw: list[dict[str, Any]]) -> CallLog:
    return _read(json.dumps(raw).encode())


@SETTINGS
@given(json_entries)
def test_json_round_trip_any_log(raw: list[dict[str, Any]]) -> None:
    log = _from_api(raw)
    for pretty in (True, False):
        again = _read(dump_json(log, pretty=pretty))
        assert again.entries == log.entries
        assert [e.to_api() for e in again.entries] == [e.to_api() for e in log.entries]


@SETTINGS
@given(xml_entries)
@example([{"\x1f": "\\n"}])  # a key written escaped="json" with a backslash in its value
def test_xml_round_trip_logs_with_text_data(raw: list[dict[str, Any]]) -> None:
    log = _from_api(raw)
    written = dump_xml(log)
    # Never a raw C0 control (XML 1.0 cannot carry them) nor a terminal-unsafe character.
    text = written.decode("utf-8")
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in text)
    assert not any(0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in text)
    again = _read(written)
    assert again.entries == log.entries


@SETTINGS
@given(xml_entries)
def test_xml_to_json_to_xml_changes_nothing(raw: list[dict[str, Any]]) -> None:
    from_xml = _read(dump_xml(_from_api(raw)))
    via_json = _read(dump_json(from_xml))
    back = _read(dump_xml(via_json))
    assert via_json.entries == from_xml.entries == back.entries
    assert dump_xml(back) == dump_xml(from_xml)


def test_seed_xml_through_json_and_back(data_dir: Path) -> None:
    original = (data_dir / "seed_call.xml").read_bytes()
    document = load_file(data_dir / "seed_call.xml")
    assert isinstance(document, LogsDocument)
    via_json = _read(dump_json(document.logs[0]))
    assert dump_xml(via_json) == original
