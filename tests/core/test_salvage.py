"""An all_logs dump cut short: the calls it still holds whole, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuse_tui.core.formats import FormatError, load
from fuse_tui.core.formats.salvage import whole_calls
from fuse_tui.emulator.encoding import to_xml

DUMP = (Path(__file__).parent.parent / "data" / "all_logs.json").read_bytes()
CALLS = json.loads(DUMP)["calls"]


def _ends_of_calls(data: bytes) -> list[int]:
    """Where each call's object ends in ``data`` (its closing brace + 1)."""
    text = data.decode()
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    ends = []
    for _ in CALLS:
        pos = text.index("{", pos)
        _, pos = decoder.raw_decode(text, pos)
        ends.append(pos)
    return ends


def test_the_whole_dump_is_its_own_salvage() -> None:
    salvaged = whole_calls(DUMP)
    assert salvaged is not None and salvaged[1] == len(CALLS)


@pytest.mark.parametrize(
    "data",
    [
        b'[{"event": {"line": "a call log, not a dump"}}',
        b'{"logs": [{"event": {}}',  # another shape
        b'{"calls": [',
        b'{"calls": [{"session_id": "1", "detail": [',
        b'{"calls": [1, {"session_id": "1"}',  # not a call
        b"\xff\xfe\x00",
        b"",
    ],
)
def test_what_holds_no_whole_call_gives_nothing(data: bytes) -> None:
    assert whole_calls(data) is None


def test_the_reader_still_refuses_the_cut_dump() -> None:
    # The salvage is asked for by the one who decides to keep part of a file (archive import).
    with pytest.raises(FormatError, match="ends too early"):
        load(DUMP[: len(DUMP) // 2], source="cut.json")


# ----- the same for an XML dump (what /api/all_logs answers with Accept: application/xml) -----

XML_DUMP = to_xml({"calls": CALLS})
_CALL_END = re.compile(rb"\n    </item>")  # a call's end tag, as the emulator indents it


XML_ENDS = [match.end() for match in _CALL_END.finditer(XML_DUMP)]


def test_the_xml_dump_holds_the_same_calls() -> None:
    assert len(XML_ENDS) == len(CALLS)
    document = load(XML_DUMP, source="dump.xml")
    assert [log.session_id for log in document.logs] == [c["session_id"] for c in CALLS]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@given(share=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_a_cut_dump_gives_the_calls_that_end_before_the_cut(fmt: str, share: float) -> None:
    assert len(CALLS) >= 2  # else the test could not tell a prefix from the whole
    dump, ends = (DUMP, _ends_of_calls(DUMP)) if fmt == "json" else (XML_DUMP, XML_ENDS)
    cut = int(share * len(dump))
    salvaged = whole_calls(dump[:cut])
    whole = sum(end <= cut for end in ends)
    if whole == 0:
        assert salvaged is None
        return
    assert salvaged is not None
    data, count = salvaged
    assert count == whole
    assert data.startswith(dump[: ends[whole - 1]])  # the same calls, as the dump wrote them
    document = load(data, source=f"cut.{fmt}")
    full = load(dump, source=f"dump.{fmt}")
    assert [log.session_id for log in document.logs] == [c["session_id"] for c in CALLS[:whole]]
    assert [log.entries for log in document.logs] == [log.entries for log in full.logs[:whole]]
    assert [log.meta for log in document.logs] == [log.meta for log in full.logs[:whole]]


def test_a_cut_utf16_xml_dump_gives_its_whole_calls_as_utf8() -> None:
    text = XML_DUMP.decode().replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    wide = text.encode("utf-16")
    cut = wide[: len(wide) * 3 // 4 // 2 * 2]
    salvaged = whole_calls(cut)
    assert salvaged is not None and salvaged[1] == 1
    document = load(salvaged[0], source="cut.xml")
    assert [log.session_id for log in document.logs] == [CALLS[0]["session_id"]]


@pytest.mark.parametrize(
    "data",
    [
        b"<result><item><event><line>a call log, not a dump",
        b"<result><calls><item><session_id>1</session_id><detail><item>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><result><calls><item></item>',
        b"<result><other><item></item><item>",  # another shape
    ],
)
def test_what_holds_no_whole_xml_call_gives_nothing(data: bytes) -> None:
    assert whole_calls(data) is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_read_partially_a_cut_dump_gives_its_whole_calls_and_the_cut_as_its_last_problem(
    fmt: str,
) -> None:
    # What show, the TUI and archive import read (load with partial=True).
    if fmt == "json":
        cut = DUMP[: DUMP.index(b'"session_id"', DUMP.index(b"detail")) + 20]
    else:
        cut = XML_DUMP[: XML_ENDS[0] + 40]
    with pytest.raises(FormatError, match="ends too early"):
        load(cut, source=f"cut.{fmt}")
    document = load(cut, source=f"cut.{fmt}", partial=True)
    assert [log.session_id for log in document.logs] == [CALLS[0]["session_id"]]
    (problem,) = document.problems
    assert problem.cut and problem.index == 2 and problem.session_id is None
    assert problem.message.startswith(f"the {fmt.upper()} ends too early (truncated?)")
    assert "stops inside the call after call 1" in problem.message


@pytest.mark.parametrize("call", [b"<item/>", b"<item />", b'<item name="a>b"/>'])
def test_a_call_written_as_an_empty_tag_ends_after_it(call: bytes) -> None:
    # Expat tells an empty element's end after its tag; a '>' in an attribute does not end it.
    data = b"<result><calls>" + call + b"<item><session_id>1</session_id><detail>"
    assert whole_calls(data) == (b"<result><calls>" + call + b"</calls></result>", 1)
    data = b"<result><calls><item><detail/></item>\n" + call + b"\n<item><detail>"
    expected = b"<result><calls><item><detail/></item>\n" + call + b"</calls></result>"
    assert whole_calls(data) == (expected, 2)
