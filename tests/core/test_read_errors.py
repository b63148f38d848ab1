"""Bad input of every kind is one FormatError naming the source and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuse_tui.core.formats import FormatError, ReadError, load, load_file


def _error(data: bytes, source: str = "dump.json") -> FormatError:
    with pytest.raises(FormatError) as caught:
        load(data, source=source)
    assert str(caught.value).startswith(f"{source}: ")
    assert "\n" not in str(caught.value)
    return caught.value


def test_truncated_json_names_line_and_column(data_dir: Path) -> None:
    with pytest.raises(FormatError) as caught:
        load_file(data_dir / "truncated.json")
    error = caught.value
    assert "truncated" in str(error)
    assert error.line is not None and error.line > 1 and error.column is not None
    assert f"line {error.line}, column {error.column}" in str(error)


@pytest.mark.parametrize(
    ("data", "source"),
    [
        (b'[{"event": {"line": "a cut li', "dump.json"),
        (b'{"logs": [{"event": {"line": "a cut li', "dump.json"),
        (b'{"event": {"line": "one"}}\n{"event": {"line": "a cut li', "dump.ndjson"),
        (b'{"event": {"line": "one"}}\n{"event": {"line": "two"', "dump.ndjson"),
    ],
)
def test_a_dump_cut_inside_its_last_entry_says_it_ends_too_early(data: bytes, source: str) -> None:
    error = _error(data, source=source)
    assert "ends too early" in str(error) and "truncated" in str(error)


def test_an_unfinished_ndjson_line_before_others_is_not_called_truncated() -> None:
    error = _error(b'{"event": {"line": "one"}}\n{"event": {"line": "two\n{"event": {}}\n')
    assert "this NDJSON line is not valid JSON" in str(error) and error.line == 2


def test_invalid_json_in_the_middle() -> None:
    error = _error(b'[\n  {"event": {}},\n  {"event": {} oops}\n]')
    assert "not valid JSON" in str(error)
    assert (error.line, error.column) == (3, 16)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b" " * 10_000])
def test_empty_input(data: bytes) -> None:
    assert "empty" in str(_error(data)) or "blank" in str(_error(data))


def test_binary_garbage() -> None:
    error = _error(bytes(range(256)) * 4)
    assert "not text" in str(error)


def test_gzip_file_is_not_text() -> None:
    import gzip

    assert "not text" in str(_error(gzip.compress(b"[]")))


def test_html_error_page(data_dir: Path) -> None:
    with pytest.raises(FormatError, match="HTML page"):
        load_file(data_dir / "proxy_error.html")
    assert "HTML page" in str(_error(b"<html><body>Login</body></html>"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"42", "the top level is a number"),
        (b'"hello"', "the top level is a string"),
        (b"null", "the top level is null"),
        (b"true", "the top level is a boolean"),
        (b"hello world", "neither JSON nor XML"),
    ],
)
def test_top_level_scalar_or_plain_text(data: bytes, expected: str) -> None:
    assert expected in str(_error(data))


def test_entry_that_is_not_an_object_is_named() -> None:
    error = _error(b'[{"event": {}, "class": "info"}, "oops"]')
    assert "entry 2 is a string, not an object" in str(error)


def test_bad_timestamp_is_named() -> None:
    error = _error(b'[{"event": {}}, {"event": {}}, {"event": {}, "timestamp": "soon"}]')
    assert "entry 3 timestamp" in str(error) and "not a UNIX time" in str(error)


def test_event_that_is_not_an_object_is_named() -> None:
    assert "entry 1 event is a number, not an object" in str(_error(b'[{"event": 5}]'))


def test_data_that_is_not_an_object_is_named() -> None:
    assert "entry 1 event.data is a string" in str(_error(b'[{"event": {"data": "x"}}]'))


def test_wrong_shape_object_names_its_keys() -> None:
    error = _error(b'{"results": [], "status": "ok"}')
    assert "keys: results, status" in str(error)


def test_bad_ndjson_line_is_named() -> None:
    error = _error(b'{"event": {}}\n{"event": {}}\n{"event": oops}\n')
    assert "NDJSON line is not valid JSON" in str(error) and error.line == 3
    assert "line 2 is a number" in str(_error(b'{"event": {}}\n5\n'))


def test_calls_not_a_list() -> None:
    assert '"calls" is a string' in str(_error(b'{"calls": "many"}'))


def test_all_logs_bad_entry_names_the_call() -> None:
    error = _error(b'{"calls": [{"session_id": "s;1", "detail": [1]}]}')
    assert "call 1 (s;1): entry 1 is a number, not an object" in str(error)


def test_malformed_xml_names_line_and_column() -> None:
    error = _error(b"<result>\n  <item>\n    <event></item>\n</result>", source="d.xml")
    assert "not well-formed XML" in str(error)
    assert error.line == 3 and error.column is not None


def test_truncated_xml(data_dir: Path) -> None:
    data = (data_dir / "seed_call.xml").read_bytes()[:500]
    assert "truncated" in str(_error(data, source="d.xml"))


def test_xml_with_another_root() -> None:
    assert "root is <project>" in str(_error(b"<project><a/></project>", source="pom.xml"))


def test_invalid_utf8_in_json() -> None:
    assert "not valid UTF-8" in str(_error(b'[{"event": {"line": "\xff\xfe\xfa"}}]'))


def test_deeply_nested_json_and_xml_are_errors_not_crashes() -> None:
    assert "nested too deeply" in str(_error(b"[" * 100_000 + b"]" * 100_000))
    deep = b"<result>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</result>"
    assert "nested too deeply" in str(_error(deep, source="d.xml"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        load_file(tmp_path / "absent.json")
    with pytest.raises(ReadError, match="directory"):
        load_file(tmp_path)


def test_control_characters_in_the_start_of_garbage_are_escaped() -> None:
    error = _error(b"\x1b[31mnot a log")
    assert "\x1b" not in str(error) and "not text" in str(error) and "1b 5b" in str(error)
    error = _error(b"not a log \x1b]52;c;aGk=\x07")
    assert "\x1b" not in str(error) and "\x07" not in str(error)
    assert "neither JSON nor XML" in str(error) and "\\x1b]52" in str(error)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"calls": [{"src": "1"}], "total_calls": 1}', "call 1 session_id is missing"),
        (
            b'{"calls": [{"session_id": "a", "start": "soon"}], "total_calls": 1}',
            "call 1 start is 'soon', not a UNIX time",
        ),
        (b'{"calls": [], "total_calls": "many"}', "total_calls is 'many', not a whole number"),
        (b'{"calls": [7], "total_calls": 1}', "call 1 is a number, not an object"),
    ],
)
def test_bad_call_lists_name_the_call_and_field(data: bytes, expected: str) -> None:
    assert expected in str(_error(data))


def test_long_run_of_blank_lines_before_a_document() -> None:
    document = load(b"\n" * 10_000 + b"<result/>", source="blank.xml")
    assert document.format == "xml"


# Numbers no parser should choke on: a reader error naming the source, never a ValueError.
#
# Python refuses to convert integers longer than 4300 digits (CVE-2020-10735 guard), and
# ``json.loads`` lets that ValueError escape instead of a JSONDecodeError.


HUGE = "9" * 5000


@pytest.mark.parametrize(
    "text",
    [
        '[{"event":{"line":"x","data":{"n":N}},"class":"info","timestamp":1}]'.replace("N", HUGE),
        '[{"event":{"line":"x"},"class":"info","timestamp":N}]'.replace("N", HUGE),
        '{"calls":[{"session_id":"a","start":N,"detail":[]}]}'.replace("N", HUGE),
        '{"calls":[{"session_id":"a"}],"total_calls":N}'.replace("N", HUGE),
        '{"event":{"line":"a"},"class":"info","timestamp":1}\n'
        '{"event":{"line":"b","data":{"n":N}},"class":"info","timestamp":2}\n'.replace("N", HUGE),
    ],
    ids=["data", "timestamp", "all_logs", "calls", "ndjson"],
)
def test_a_5000_digit_number_is_a_format_error(text: str) -> None:
    with pytest.raises(FormatError) as caught:
        load(text.encode(), source="dump.json")
    message = str(caught.value)
    assert message.startswith("dump.json: ")
    assert "number" in message and "4300" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b'[{"event":{"line":"x"},"class":"info","timestamp":NaN}]', "nan"),
        (b'[{"event":{"line":"x"},"class":"info","timestamp":Infinity}]', "inf"),
        (
            b"<result><item><event><line>x</line></event><timestamp>"
            + b"9" * 5000
            + b"</timestamp></item></result>",
            "'9999",
        ),
    ],
    ids=["nan", "infinity", "xml-5000-digits"],
)
def test_an_unusable_timestamp_is_named_in_our_words(data: bytes, shown: str) -> None:
    # pydantic's own wording ("Input should be a finite number") read as a broken sentence.
    with pytest.raises(FormatError) as caught:
        load(data, source="dump")
    message = str(caught.value)
    assert "entry 1 timestamp is " in message and "not a UNIX time" in message
    assert shown in message
    assert "Input should" not in message and "Unable to parse" not in message
