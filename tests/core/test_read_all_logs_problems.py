"""An all_logs answer with one unreadable call: that call is reported, the others are read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fuse_tui.core.formats import (
    CallProblem,
    FormatError,
    LogsDocument,
    dump_document_xml,
    load,
    load_file,
)

GOOD = [{"event": {"line": "hello"}, "class": "info", "timestamp": 1529552692}]


def _answer(*details: Any) -> dict[str, Any]:
    calls = []
    for number, detail in enumerate(details, start=1):
        if detail is NOT_AN_OBJECT:
            calls.append(7)
            continue
        calls.append({"session_id": f"300;{number}", "src": "212", "detail": detail})
    return {"calls": calls}


NOT_AN_OBJECT = object()


def _logs(answer: dict[str, Any]) -> LogsDocument:
    document = load(json.dumps(answer).encode(), source="dump.json", partial=True)
    assert isinstance(document, LogsDocument) and document.kind == "all_logs"
    return document


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ([{"event": {"line": "x"}, "timestamp": "soon"}], "entry 1 timestamp is 'soon'"),
        ("not entries", "expected a list of log entries, found a string"),
        ([{"event": "wrong"}], "entry 1 event is a string, not an object"),
        ([[1, 2]], "entry 1 is a list, not an object"),
    ],
)
def test_one_bad_call_is_a_problem_and_the_others_are_read(bad: Any, says: str) -> None:
    document = _logs(_answer(GOOD, bad, GOOD))
    assert [log.session_id for log in document.logs] == ["300;1", "300;3"]
    assert [log.entries[0].event.line for log in document.logs] == ["hello", "hello"]
    (problem,) = document.problems
    assert problem.index == 2 and problem.session_id == "300;2"
    assert problem.message.startswith("call 2 (300;2): ") and says in problem.message
    assert problem.meta == {"session_id": "300;2", "src": "212"}


def test_a_call_that_is_not_an_object_is_a_problem() -> None:
    document = _logs(_answer(GOOD, NOT_AN_OBJECT))
    assert len(document.logs) == 1
    assert document.problems == [CallProblem(2, None, "call 2 is a number, not an object")]


def test_the_same_in_xml() -> None:
    document = _logs(_answer(GOOD, GOOD))
    xml = dump_document_xml(document).replace(b"1529552692</timestamp>", b"soon</timestamp>", 1)
    read = load(xml, source="dump.xml", partial=True)
    assert isinstance(read, LogsDocument)
    assert [log.session_id for log in read.logs] == ["300;2"]
    assert [(p.index, p.session_id) for p in read.problems] == [(1, "300;1")]


def test_when_no_call_can_be_read_the_read_fails_naming_the_first() -> None:
    bad = [{"timestamp": "soon"}]
    with pytest.raises(FormatError, match=r"call 1 \(300;1\): entry 1 .*and 1 more call that"):
        load(json.dumps(_answer(bad, bad)).encode(), source="dump.json")
    with pytest.raises(FormatError, match=r"call 1 \(300;1\): entry 1 timestamp") as caught:
        load(json.dumps(_answer(bad)).encode(), source="dump.json")
    assert "more call" not in str(caught.value)


def test_a_readable_answer_has_no_problems_and_the_old_constructor_still_works() -> None:
    assert _logs(_answer(GOOD, GOOD)).problems == []
    assert LogsDocument([], "all_logs", "xml").problems == []


def test_ndjson_groups_are_read_call_by_call() -> None:
    lines = [
        {"session_id": "a", "event": {"line": "1"}},
        {"session_id": "b", "event": {"line": "2"}, "timestamp": "soon"},
        {"session_id": "c", "event": {"line": "3"}},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    document = load(data, source="x.ndjson", partial=True)
    assert isinstance(document, LogsDocument)
    assert [log.session_id for log in document.logs] == ["a", "c"]
    assert [(p.index, p.session_id) for p in document.problems] == [(2, "b")]
    assert document.problems[0].message.startswith("call b: entry 1 timestamp")


def test_without_partial_the_first_problem_fails_the_read_as_before(tmp_path: Path) -> None:
    """Callers that cannot show problems (or page by count) keep the whole-answer error."""
    data = json.dumps(_answer(GOOD, [{"timestamp": "soon"}], GOOD)).encode()
    with pytest.raises(FormatError, match=r"^dump.json: call 2 \(300;2\): entry 1 timestamp"):
        load(data, source="dump.json")
    path = tmp_path / "dump.json"
    path.write_bytes(data)
    with pytest.raises(FormatError, match="call 2"):
        load_file(path)
    document = load_file(path, partial=True)
    assert isinstance(document, LogsDocument) and len(document.problems) == 1
