"""The JSON writers' fast road (formats.api_json): entries kept as JSON text are written without
a model, byte for byte as the model's road (``to_api`` + ``json.dumps``) writes them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import LogsDocument, dump_document_json, dump_json, dump_ndjson, load
from fuse_tui.core.formats.json_writer import json_text, standard_json_value
from fuse_tui.core.formats.xml_writer import dump_xml
from fuse_tui.core.model import CallLog
from fuse_tui.core.textsafe import FORMAT_CHARS, SURROGATES

from .log_strategies import json_entries, json_values, keys, texts, xml_entries

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_UNSAFE = re.compile(f"[{FORMAT_CHARS}{SURROGATES}]")


def _model_text(value: Any, *, pretty: bool) -> str:
    """json_text as it was before the fast road: Python's json, then unsafe characters escaped."""
    options: dict[str, Any] = {"ensure_ascii": False, "allow_nan": False}
    options.update({"indent": 2} if pretty else {"separators": (",", ":")})
    try:
        text = json.dumps(value, **options)
    except ValueError:
        text = json.dumps(standard_json_value(value), **options)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _model_ndjson(logs: list[CallLog]) -> bytes:
    lines = []
    for log in logs:
        for entry in log.entries:
            record = entry.to_api()
            if log.session_id:
                record["session_id"] = log.session_id
            lines.append(_model_text(record, pretty=False))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _model_json(log: CallLog, *, pretty: bool) -> bytes:
    text = _model_text([entry.to_api() for entry in log.entries], pretty=pretty)
    return (text + "\n" if pretty else text).encode("utf-8")


def _logs(data: bytes) -> list[CallLog]:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return document.logs


def _assert_same_as_model(data: bytes) -> None:
    logs = _logs(data)
    assert dump_ndjson(logs) == _model_ndjson(logs)
    for log in logs:
        assert dump_json(log) == _model_json(log, pretty=True)
        assert dump_json(log, pretty=False) == _model_json(log, pretty=False)


@SETTINGS
@given(json_entries)
def test_generated_json_logs_are_written_as_the_model_writes_them(items: list[Any]) -> None:
    _assert_same_as_model(json.dumps(items).encode())


@SETTINGS
@given(json_entries, st.permutations(range(6)))
def test_keys_in_any_order_come_out_in_the_models_order(items: list[Any], order: Any) -> None:
    shuffled = []
    for item in items:
        pairs = list(item.items())
        pairs.sort(key=lambda kv: order[hash(kv[0]) % 6])
        event = dict(pairs).get("event")
        if isinstance(event, dict):
            pairs = [(k, dict(reversed(event.items())) if k == "event" else v) for k, v in pairs]
        shuffled.append(dict(pairs))
    _assert_same_as_model(json.dumps(shuffled).encode())


@SETTINGS
@given(json_entries, st.one_of(st.none(), texts, st.integers()))
def test_ndjson_sources_keep_their_session_ids_as_the_model_does(
    items: list[Any], session: Any
) -> None:
    lines = [json.dumps({**item, "session_id": session}) for item in items]
    if len(lines) >= 2:  # one object alone is read as NDJSON only when it is an entry
        _assert_same_as_model("\n".join(lines).encode())


@SETTINGS
@given(xml_entries)
def test_xml_logs_are_written_as_the_model_writes_them(items: list[Any]) -> None:
    logs = _logs(json.dumps(items).encode())
    _assert_same_as_model(dump_xml(logs[0]))


@pytest.mark.parametrize(
    "number",
    [
        "-0",
        "-0.0",
        "0.0",
        "1E5",
        "1e16",
        "1e-7",
        "0.00001",
        "0.0001",
        "0.1e1",
        "2.5e-300",
        "1.7976931348623157e308",
        "5e-324",
        "123456789012345678901234567890",
        "-9223372036854775809",
        "1" * 4300,
    ],
)
def test_numbers_are_written_as_pythons_json_writes_them(number: str) -> None:
    data = f'[{{"event":{{"line":"x","data":{{"n":{number},"l":[{number}]}}}},"x":{number}}}]'
    _assert_same_as_model(data.encode())


@pytest.mark.parametrize(
    "entry",
    [
        '{"class_":"named by the field","timestamp":1}',
        '{"class":"a","class_":"b"}',
        '{"event":{"data":{"a":1,"b":2,"a":3},"line":"dup","line":"last"},"class":"x","class":"y"}',
        '{"zz":1,"timestamp":2,"event":{"z":0,"data":null},"class":null}',
        '{"event":{}}',
        "{}",
        '{"event":{"line":"\\u2028 \\u007f \\u009b \\u202e \\u00e9 \\u0000 \\ud83d\\ude00"}}',
        '{"event":{"line":"raw \u2028 \u007f \u00e9"},"\u202e":"\u202e"}',
        '{"event":{"line":"esc \\" \\\\ \\/ \\b\\f\\n\\r\\t"}}',
        '{"kind":"not a field","model_config":{},"__dict__":1,"_private":2}',
    ],
)
def test_odd_entries_are_written_as_the_model_writes_them(entry: str) -> None:
    _assert_same_as_model(f"[{entry},{entry}]".encode())
    with_session = f'{entry[:-1]}{"," if entry != "{}" else ""}"session_id":"s"}}'
    _assert_same_as_model(f"{with_session}\n{with_session}".encode())


def test_plain_entries_are_written_without_building_a_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = json.dumps(
        [
            {"event": {"line": f"l{i}", "data": {"v": i / 3}}, "class": "info", "timestamp": i}
            for i in range(50)
        ]
    )
    log = _logs(data.encode())[0]
    assert isinstance(log.entries, CompactEntries)
    expected = _model_ndjson([log]), _model_json(log, pretty=True)

    def no_model(self: CompactEntries, index: Any) -> Any:
        raise AssertionError("a model was built")

    monkeypatch.setattr(CompactEntries, "__getitem__", no_model)
    monkeypatch.setattr(CompactEntries, "__iter__", no_model)
    assert (dump_ndjson([log]), dump_json(log)) == expected
    assert dump_document_json(LogsDocument([log], "call", "json")) == expected[1]


@SETTINGS
@given(st.one_of(json_values, st.dictionaries(keys, json_values)))
def test_pretty_json_text_is_pythons_indented_json(value: Any) -> None:
    assert json_text(value) == _model_text(value, pretty=True)
    assert json_text(value, pretty=False) == _model_text(value, pretty=False)
