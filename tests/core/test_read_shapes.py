"""Every Fuse answer shape is recognised, in JSON and in XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.formats import (
    CallListDocument,
    FormatError,
    FuseErrorAnswer,
    LogsDocument,
    load,
    load_call_log,
    load_file,
)


def _logs(data: bytes) -> LogsDocument:
    document = load(data, source="t")
    assert isinstance(document, LogsDocument)
    return document


@pytest.mark.parametrize("name", ["expired.json", "expired.xml"])
def test_five_day_answer_is_recognised_as_expired(data_dir: Path, name: str) -> None:
    with pytest.raises(FuseErrorAnswer) as caught:
        load_file(data_dir / name)
    assert caught.value.is_expired
    assert caught.value.fuse_message == FuseErrorAnswer.EXPIRED_MESSAGE
    assert "There are no call log details available" in str(caught.value)


def test_error_answer_with_control_characters_is_escaped() -> None:
    with pytest.raises(FuseErrorAnswer) as caught:
        load(b'{"error": "bad\\u001b[31m thing"}', source="t")
    assert "\x1b" not in str(caught.value)
    assert "\\x1b[31m" in caught.value.fuse_message


def test_empty_xml_error_element_still_is_an_error_answer() -> None:
    with pytest.raises(FuseErrorAnswer) as caught:
        load(b"<result><error></error></result>", source="t")
    assert caught.value.fuse_message == "(no message)"


@pytest.mark.parametrize("name", ["all_logs.json", "all_logs.xml"])
def test_all_logs_reads_as_several_logs_with_session_ids(data_dir: Path, name: str) -> None:
    document = load_file(data_dir / name)
    assert isinstance(document, LogsDocument)
    assert document.kind == "all_logs"
    first = document.logs[0]
    assert first.session_id == "300060;001;1529552581"
    # start/end are strings in all_logs: they stay in meta as they came.
    assert first.meta["start"] == "1529552691" and first.meta["src"] == "2125551234"
    assert "detail" not in first.meta
    assert first.entries[0].event.module_type == "start"
    assert first.entries[0].timestamp == 1529552692


def test_all_logs_json_keeps_every_call(data_dir: Path) -> None:
    document = load_file(data_dir / "all_logs.json")
    assert isinstance(document, LogsDocument)
    assert [len(log.entries) for log in document.logs] == [2, 3]
    assert document.logs[1].entries[1].is_error


@pytest.mark.parametrize("name", ["calls.json", "calls.xml"])
def test_calls_answer_reads_as_a_call_list(data_dir: Path, name: str) -> None:
    document = load_file(data_dir / name)
    assert isinstance(document, CallListDocument)
    call = document.calls.calls[0]
    assert call.session_id == "300060;001;1529552581"
    assert (call.start, call.end, call.duration, call.log) == (1529552691, 1529552697, 6, True)
    assert document.calls.total_calls == len(document.calls.calls)


def test_empty_calls_with_total_is_an_empty_call_list() -> None:
    document = load(b'{"calls": [], "total_calls": 0}', source="t")
    assert isinstance(document, CallListDocument)
    assert document.calls.calls == [] and document.calls.total_calls == 0
    document = load(b"<result><calls></calls><total_calls>0</total_calls></result>", source="t")
    assert isinstance(document, CallListDocument) and document.calls.calls == []


def test_empty_calls_without_total_is_an_empty_all_logs() -> None:
    assert _logs(b'{"calls": []}').kind == "all_logs"
    assert _logs(b'{"calls": []}').logs == []
    assert _logs(b"<result><calls/></result>").logs == []


def test_all_logs_call_with_empty_detail() -> None:
    document = _logs(
        b"<result><calls><item><session_id>s1</session_id><detail></detail></item></calls></result>"
    )
    assert document.kind == "all_logs"
    assert document.logs[0].session_id == "s1" and document.logs[0].entries == []


def test_empty_result_is_an_empty_log() -> None:
    for data in (b"<result></result>", b"<result/>", b'<?xml version="1.0"?>\n<result>\n</result>'):
        document = _logs(data)
        assert document.kind == "call" and document.format == "xml"
        assert document.logs[0].entries == []
    assert _logs(b"[]").logs[0].entries == []


def test_single_xml_item_is_a_list_of_one() -> None:
    log = _logs(
        b"<result><item><event><line>only</line></event><class>info</class>"
        b"<timestamp>7</timestamp></item></result>"
    ).logs[0]
    assert len(log.entries) == 1
    assert log.entries[0].event.line == "only" and log.entries[0].timestamp == 7


def test_xml_empty_elements() -> None:
    log = _logs(
        b"<result><item><event><line/><data/></event><class></class><timestamp/></item>"
        b"<item/></result>"
    ).logs[0]
    first, second = log.entries
    assert first.event.line == "" and first.event.data == {}
    assert first.class_ == "" and first.timestamp is None
    assert second.kind == "unknown" and second.event.line == ""


def test_xml_nested_objects_and_lists_keep_data_values_as_text() -> None:
    log = _logs(
        b"<result><item><event><line>x</line><data><module_type>rest</module_type>"
        b"<has_audio>false</has_audio><count>007</count>"
        b"<headers><accept>json</accept><tries><item>1</item><item>2</item></tries></headers>"
        b"<one><item>only</item></one>"
        b"</data></event><class>info</class><timestamp>1</timestamp></item></result>"
    ).logs[0]
    data = log.entries[0].event.data
    assert data == {
        "module_type": "rest",
        "has_audio": "false",
        "count": "007",
        "headers": {"accept": "json", "tries": ["1", "2"]},
        "one": ["only"],
    }


def test_xml_text_is_kept_exactly_including_spaces() -> None:
    log = _logs(b"<result><item><event><line>  two  spaces </line></event></item></result>")
    assert log.logs[0].entries[0].event.line == "  two  spaces "


def test_load_call_log_accepts_exactly_one_log(data_dir: Path) -> None:
    log = load_call_log((data_dir / "seed_call.json").read_bytes(), source="seed")
    assert len(log.entries) == 7 and log.source == "seed"
    with pytest.raises(FormatError, match="call list"):
        load_call_log((data_dir / "calls.json").read_bytes(), source="c")
    with pytest.raises(FormatError, match="holds 2 call logs"):
        load_call_log((data_dir / "all_logs.json").read_bytes(), source="a")


def test_ndjson_groups_entries_by_session_id(data_dir: Path) -> None:
    from fuse_tui.core.formats import dump_ndjson

    original = load_file(data_dir / "all_logs.json")
    assert isinstance(original, LogsDocument)
    document = _logs(dump_ndjson(original.logs))
    assert document.kind == "all_logs"
    assert [log.session_id for log in document.logs] == [log.session_id for log in original.logs]
    assert [log.entries for log in document.logs] == [log.entries for log in original.logs]


def test_ndjson_without_session_ids_is_one_log() -> None:
    document = _logs(b'{"event": {"line": "a"}}\n\n{"event": {"line": "b"}}\n')
    assert document.kind == "call"
    assert [e.event.line for e in document.logs[0].entries] == ["a", "b"]


def test_a_single_entry_object_reads_as_a_log_of_one() -> None:
    document = _logs(b'{"event": {"line": "x"}, "class": "info", "session_id": "s"}\n')
    assert document.logs[0].session_id == "s"
    assert document.logs[0].entries[0].event.line == "x"


def test_a_saved_expired_answer_says_the_log_expired_and_what_to_do() -> None:
    body = b'{"error": "There are no call log details available for this call."}'
    with pytest.raises(FuseErrorAnswer) as caught:
        load(body, source="expired.json")
    text = str(caught.value)
    assert caught.value.is_expired
    assert "expired" in text and "5 days" in text and "archive list" in text
    assert "Fuse answered with an error" not in text
