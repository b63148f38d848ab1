"""The model's tolerance rules: Plum says the structure "can change at any time"."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fuse_tui.core.formats import LogsDocument, dump_json, load, load_file
from fuse_tui.core.model import CallLog, LogEntry


def test_missing_class_is_kept_as_absent_and_shown_as_unknown() -> None:
    entry = LogEntry.model_validate({"event": {"line": "x"}, "timestamp": 1})
    assert entry.class_ is None
    assert entry.kind == "unknown"
    assert "class" not in entry.to_api()


def test_unknown_class_is_kept_not_coerced() -> None:
    entry = LogEntry.model_validate({"event": {"line": "x"}, "class": "trace", "timestamp": 1})
    assert entry.class_ == "trace"
    assert entry.kind == "trace"
    assert not entry.is_error


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1529552692, 1529552692),
        ("1529552692", 1529552692),
        (" 1529552692 ", 1529552692),
        (1529552692.9, 1529552692),
        ("1529552692.5", 1529552692),
        ("", None),
        (None, None),
    ],
)
def test_timestamps_are_coerced_to_int(raw: object, expected: int | None) -> None:
    entry = LogEntry.model_validate({"event": {}, "class": "info", "timestamp": raw})
    assert entry.timestamp == expected


@pytest.mark.parametrize("raw", ["yesterday", float("nan"), {"a": 1}])
def test_unusable_timestamp_is_rejected(raw: object) -> None:
    with pytest.raises(ValidationError):
        LogEntry.model_validate({"event": {}, "class": "info", "timestamp": raw})


def test_extra_keys_are_kept_and_written_back() -> None:
    raw = (
        b'[{"event": {"line": "x", "data": {"module_type": "m", "result_variable": "r"},'
        b' "ev_extra": [1, {"k": null}]}, "class": "info", "timestamp": 5, "severity": 3}]'
    )
    log = _one_log(raw)
    entry = log.entries[0]
    assert entry.model_extra == {"severity": 3}
    assert entry.event.model_extra == {"ev_extra": [1, {"k": None}]}
    again = _one_log(dump_json(log))
    assert again.entries[0].to_api() == entry.to_api()
    assert again.entries[0].to_api()["severity"] == 3


def test_missing_data_and_module_type_are_allowed() -> None:
    entry = LogEntry.model_validate({"event": {"line": "x"}, "class": "info", "timestamp": 1})
    assert entry.event.data is None
    assert entry.event.module_type is None and entry.event.result_variable is None
    entry = LogEntry.model_validate({"event": {"data": {"k": "v"}}})
    assert entry.event.module_type is None and entry.event.line == ""


@pytest.mark.parametrize(
    "raw",
    [
        b'[{"event": {"data": []}}]',
        b'[{"event": {"data": ""}}]',
        b'[{"event": {"line": "", "data": {}}}]',
        b"<result><item><event><line/><data/></event></item></result>",
    ],
)
def test_php_empty_array_and_empty_xml_element_are_empty_data(raw: bytes) -> None:
    assert _one_log(raw).entries[0].event.data == {}


@pytest.mark.parametrize("event", [b"null", b'""', b"[]"])
def test_empty_event_reads_as_an_empty_event(event: bytes) -> None:
    entry = _one_log(b'[{"event": ' + event + b', "class": "info"}]').entries[0]
    assert entry.event.line == "" and entry.event.data is None and entry.class_ == "info"


def test_numbers_where_text_is_expected_become_text() -> None:
    entry = LogEntry.model_validate({"event": {"line": 42}, "class": 7})
    assert entry.event.line == "42" and entry.class_ == "7"


def test_tolerant_fixture_reads_with_every_oddity(data_dir: Path) -> None:
    document = load_file(data_dir / "tolerant.json")
    assert isinstance(document, LogsDocument)
    entries = document.logs[0].entries
    assert [e.kind for e in entries] == ["unknown", "trace", "info", "debug"]
    assert [e.timestamp for e in entries] == [1529552692, 1529552693, 1529552694, 1529552695]
    assert entries[1].model_extra == {"severity": 3}
    assert entries[1].event.data is not None
    assert entries[1].event.data["nested"] == {"scores": [0.9, 0.1], "labels": ["yes", "no"]}
    assert entries[2].event.data is None
    assert entries[3].event.data == {}


def test_call_log_helpers() -> None:
    log = CallLog(
        entries=[
            LogEntry.model_validate({"class": "error", "timestamp": 9}),
            LogEntry.model_validate({"class": "info", "timestamp": 3}),
            LogEntry.model_validate({"class": "error"}),
        ]
    )
    assert log.class_counts() == {"error": 2, "info": 1}
    assert (log.first_timestamp, log.last_timestamp) == (3, 9)


def _one_log(data: bytes) -> CallLog:
    document = load(data, source="test")
    assert isinstance(document, LogsDocument)
    assert len(document.logs) == 1
    return document.logs[0]
