"""NDJSON read in place, line by line, and streamed once its text shows one call (issue 10).

The fast road must read exactly what the slow road (``json.loads`` per line, then
``interpret_ndjson``) reads, and refuse what it refuses; the progressive reader may hand out
the first lines before the rest is read only when the source is surely one call.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import FormatError, LogsDocument, dump_ndjson, json_fast, load
from fuse_tui.core.formats.json_reader import ndjson_lines
from fuse_tui.core.formats.progressive import Finished, FirstEntries, read_progressively
from fuse_tui.core.formats.shape import interpret_ndjson

from .test_progressive_stream import check_contract

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _entry(i: int) -> dict[str, Any]:
    return {
        "event": {"line": f"line {i}", "data": {"module_type": "m"}},
        "class": "info",
        "timestamp": 1_529_552_581 + i,
    }


def _slow_road(data: bytes) -> Any:
    """What the slow road reads (a FormatError class when it refuses)."""
    try:
        records = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
        return interpret_ndjson(records, "src")
    except (ValueError, FormatError):
        return FormatError


# One record: where its session is (last, first, absent, nested, decoy in a string), which one.
_sessions = st.sampled_from(["X", "Y", "", None])
_places = st.sampled_from(["last", "first", "nested", "decoy", "absent"])
_styles = st.sampled_from([(", ", ": "), (",", ":")])
# Between two records: a line feed mostly; sometimes what NDJSON must not or may hold.
_joins = st.sampled_from(["\n"] * 8 + ["\n\n", "\r\n", " ", "\n \n", "\n\t"])


@st.composite
def ndjson_texts(draw: st.DrawFn) -> bytes:
    count = draw(st.integers(2, 9))
    style = draw(_styles)
    parts: list[str] = []
    for i in range(count):
        session, place = draw(_sessions), draw(_places)
        record: dict[str, Any] = _entry(i)
        if place == "first" and session is not None:
            record = {"session_id": session, **record}
        elif place == "last" and session is not None:
            record["session_id"] = session
        elif place == "nested":
            record["event"]["data"]["session_id"] = session
            record["session_id"] = "X"
        elif place == "decoy":  # the text of a real last member, inside a string
            record["session_id"] = "Y"
            record["note"] = f'q", "session_id": "{session}'
        text = json.dumps(record, separators=style)
        if draw(st.integers(0, 30)) == 0:
            text = text.replace(style[0], style[0] + "\n", 1)  # a record over two lines
        parts.append(text)
        if i < count - 1:
            parts.append(draw(_joins) if draw(st.booleans()) else "\n")
    return ("".join(parts) + draw(st.sampled_from(["", "\n"]))).encode()


@SETTINGS
@given(ndjson_texts(), st.integers(1, 4))
def test_the_fast_road_reads_what_the_slow_road_reads(data: bytes, first: int) -> None:
    expected = _slow_road(data)
    if expected is FormatError:
        with pytest.raises(FormatError):
            load(data, source="src", partial=True)
        with pytest.raises(FormatError):
            list(read_progressively("src", data, first=first))
        return
    assert load(data, source="src", partial=True) == expected
    check_contract(data, first)


def _lines(entries: list[dict[str, Any]], session: str | None) -> list[str]:
    extra = {} if session is None else {"session_id": session}
    return [json.dumps({**entry, **extra}) for entry in entries]


def test_one_call_is_handed_out_before_a_late_broken_line_is_read() -> None:
    """The first piece comes from the first lines, not after the whole text is decoded."""
    lines = _lines([_entry(i) for i in range(40)], "300;1")
    lines[30] = lines[30].replace('"info"', "info")  # a broken line, late in the file
    stream = read_progressively("src", "\n".join(lines).encode(), first=10)
    piece = next(stream)
    assert isinstance(piece, FirstEntries) and len(piece.entries) == 10
    assert piece.session_id == "300;1"
    with pytest.raises(FormatError, match="line 31"):
        list(stream)


@pytest.mark.parametrize("session", ["300;1", None])
def test_the_text_tells_one_call(session: str | None) -> None:
    data = "\n".join(_lines([_entry(i) for i in range(5)], session)).encode()
    lines = ndjson_lines(data)
    assert lines is not None and lines.one_session and lines.records == 5
    assert lines.session_id == session


@pytest.mark.parametrize(
    "tail",
    [
        '"session_id": "b"}',  # another call at the end
        '"note": "a\\", \\"session_id\\": \\"a"}',  # the text of a member, inside a string
        '"event": {"line": "", "session_id": "a"}}',  # nested, not the entry's own
    ],
)
def test_what_may_be_another_call_is_not_streamed(tail: str) -> None:
    lines = _lines([_entry(i) for i in range(4)], "a")
    lines.append('{"class": "info", ' + tail)
    data = "\n".join(lines).encode()
    found = ndjson_lines(data)
    assert found is not None and not found.one_session
    pieces = check_contract(data, first=2)
    assert isinstance(pieces[-1], Finished) and isinstance(pieces[-1].document, LogsDocument)
    assert len(pieces[-1].document.logs) == 2 and len(pieces) == 1


def test_a_session_spelt_with_escapes_is_not_taken_for_none() -> None:
    lines = _lines([_entry(i) for i in range(3)], None)
    lines.append('{"class": "info", "session\\u005fid": "b"}')
    data = "\n".join(lines).encode()
    found = ndjson_lines(data)
    assert found is not None and not found.one_session
    pieces = check_contract(data, first=2)
    assert len(pieces) == 1


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1} {"b": 2}\n{"c": 3}',  # two records on a line
        '{"a":\n1}\n{"c": 3}',  # a record over two lines
    ],
)
def test_not_one_record_per_line_is_refused_as_before(text: str) -> None:
    with pytest.raises(FormatError, match="NDJSON line"):
        load(text.encode(), source="src")


def test_a_big_one_call_text_is_read_in_place() -> None:
    """The records are views of the input (no joined copy), one per line."""
    data = "\n".join(_lines([_entry(i) for i in range(3000)], "s")).encode()
    document = load(data, source="src")
    assert isinstance(document, LogsDocument) and document.logs[0].session_id == "s"
    assert len(document.logs[0].entries) == 3000
    assert document.logs[0].entries[2999].timestamp == 1_529_552_581 + 2999


def test_what_show_writes_as_ndjson_streams_at_once() -> None:
    """``show -f ndjson`` (dump_ndjson) writes the session last on every line: one call."""
    log = load(json.dumps([_entry(i) for i in range(30)]).encode(), source="src")
    assert isinstance(log, LogsDocument)
    data = dump_ndjson([log.logs[0].model_copy(update={"session_id": "300;9"})])
    found = ndjson_lines(data)
    assert found is not None and found.one_session and found.session_id == "300;9"
    pieces = check_contract(data, first=5)
    assert isinstance(pieces[0], FirstEntries) and pieces[0].session_id == "300;9"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
@pytest.mark.parametrize("late", ["", ',"data":{"x":NaN}'])
def test_a_line_separator_inside_a_string_does_not_cut_the_record(
    separator: str, late: str
) -> None:
    """JSON allows U+2028, U+2029 and U+0085 raw in a string: both roads read the record whole
    (the slow road, taken here for a NaN, split lines at them and refused the file)."""
    text = (
        f'{{"event":{{"line":"a{separator}b"}},"class":"info","timestamp":1700000000,'
        '"session_id":"S"}\n'
        f'{{"event":{{"line":"c"{late}}},"class":"info","timestamp":1700000001,'
        '"session_id":"S"}\n'
    )
    document = load(text.encode(), source="sep.ndjson")
    assert isinstance(document, LogsDocument)
    (log,) = document.logs
    assert [entry.event.line for entry in log.entries] == [f"a{separator}b", "c"]


def test_a_broken_line_is_told_by_its_number_of_newlines() -> None:
    """The slow road's line numbers count "\\n" alone, not the separators inside strings."""
    text = (
        '{"event":{"line":"a\u2028b"},"class":"info","timestamp":1,"session_id":"S"}\n'
        '{"event":{"line":"c"},"class":"info","timestamp":2,"session_id":"S"}\n'
        '{"event": oops}\n'
    )
    with pytest.raises(FormatError) as raised:
        load(text.encode(), source="broken.ndjson")
    assert raised.value.line == 3


@SETTINGS
@given(
    st.lists(st.sampled_from([b"a", b"b", b"}", b"\n", b"{", b"ab", b"}\n{"]), max_size=60),
    st.sampled_from([b"a", b"aa", b"ab", b"aba", b"\n", b"}\n{", b"b}\n{"]),
    st.integers(1, 7),
    st.data(),
)
def test_counted_in_pieces_is_counted_as_one_count(
    parts: list[bytes], needle: bytes, piece: int, data: st.DataObject
) -> None:
    text = b"".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_fast, "PIECE_BYTES", piece)
        assert json_fast.count_in_pieces(text, needle, start, end) == text.count(needle, start, end)


@SETTINGS
@given(ndjson_texts(), st.integers(1, 60))
def test_lines_read_in_pieces_are_the_lines_read_whole(data: bytes, piece: int) -> None:
    """The pieces end at '}' before a line feed and '{': the same values, the same failures."""
    whole: object
    try:
        whole = [bytes(raw) for raw in json_fast.line_raws(data, 0, len(data))]
    except json_fast.NotFast:
        whole = json_fast.NotFast
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_fast, "PIECE_BYTES", piece)
        try:
            pieces: object = [bytes(raw) for raw in json_fast.line_raws(data, 0, len(data))]
        except json_fast.NotFast:
            pieces = json_fast.NotFast
    assert pieces == whole
