"""A big NDJSON file's first lines, read from its head before the whole file (issue 10).

The head road hands out the first lines when they show one call; the whole read then gives the
same entries after them, or, when the file holds several calls after all, the whole document
(the first entries were ``provisional``); what the head cannot tell, the whole read decides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import FormatError, LogsDocument, load, progressive
from fuse_tui.core.formats.progressive import Finished, FirstEntries, MoreEntries, Piece

from .test_read_ndjson_lines import ndjson_texts

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _entry(i: int, session: str | None = "300;1") -> dict[str, Any]:
    entry: dict[str, Any] = {
        "event": {"line": f"line {i} }}\\n{{", "data": {"module_type": "m"}},
        "class": "info",
        "timestamp": 1_529_552_581 + i,
    }
    if session is not None:
        entry["session_id"] = session
    return entry


def _ndjson(entries: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(entry) + "\n" for entry in entries).encode()


@pytest.fixture
def small_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Heads of a few hundred bytes, so that small files take the head road."""
    monkeypatch.setattr(progressive, "HEAD_BYTES", 300)
    monkeypatch.setattr(progressive, "MOST_HEAD_BYTES", 4800)


def _check(path: Path, first: int) -> list[Piece]:
    """The contract of core.formats.progressive for the file ``path``, head road included."""
    pieces = list(progressive.read_progressively(path, first=first))
    kinds = [type(piece) for piece in pieces]
    assert kinds.count(Finished) == 1 and kinds[-1] is Finished
    assert kinds.count(FirstEntries) <= 1 and set(kinds[1:-1]) <= {MoreEntries}
    finished = pieces[-1]
    assert isinstance(finished, Finished)
    expected = load(path.read_bytes(), source=str(path), partial=True)
    assert finished.document == expected
    if FirstEntries not in kinds:
        assert len(pieces) == 1
        return pieces
    head = pieces[0]
    assert isinstance(head, FirstEntries) and kinds[0] is FirstEntries
    assert 1 <= len(head.entries) <= first
    streamed = [e for p in pieces[:-1] for e in p.entries]  # type: ignore[union-attr]
    assert isinstance(expected, LogsDocument)
    if len(expected.logs) == 1:
        assert streamed == list(expected.logs[0].entries)
    else:
        # Only the head may have judged wrongly, and it says so; nothing follows it then.
        assert head.provisional and len(pieces) == 2
    return pieces


@pytest.mark.usefixtures("small_head")
@pytest.mark.parametrize("session", ["300;1", None])
def test_the_first_lines_come_before_the_file_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session: str | None
) -> None:
    path = tmp_path / "log.ndjson"
    path.write_bytes(_ndjson([_entry(i, session) for i in range(60)]))
    whole_reads: list[object] = []
    read_file = progressive.read_file

    def counted(source: Any) -> bytes:
        whole_reads.append(source)
        return read_file(source)

    monkeypatch.setattr(progressive, "read_file", counted)
    stream = progressive.read_progressively(path, first=4)
    piece = next(stream)
    assert whole_reads == []  # from the head alone
    assert isinstance(piece, FirstEntries) and piece.provisional
    assert [entry.event.line for entry in piece.entries] == [f"line {i} }}\\n{{" for i in range(4)]
    assert piece.session_id == session
    assert not any("session_id" in (entry.model_extra or {}) for entry in piece.entries)
    list(stream)
    assert whole_reads == [path]
    pieces = _check(path, 4)
    assert sum(len(p.entries) for p in pieces[:-1]) == 60  # type: ignore[union-attr]


@pytest.mark.usefixtures("small_head")
def test_several_calls_after_a_one_call_head_give_the_whole_document(tmp_path: Path) -> None:
    path = tmp_path / "calls.ndjson"
    path.write_bytes(_ndjson([_entry(i, "A") for i in range(30)] + [_entry(0, "B")]))
    pieces = _check(path, 4)
    assert isinstance(pieces[0], FirstEntries) and pieces[0].provisional
    document = pieces[-1].document  # type: ignore[union-attr]
    assert [log.session_id for log in document.logs] == ["A", "B"]


@pytest.mark.usefixtures("small_head")
@pytest.mark.parametrize(
    "text",
    [
        _ndjson([_entry(i, str(i % 2)) for i in range(30)]),  # the head holds two calls
        _ndjson([_entry(i) for i in range(30)]).replace(b"\n", b"\r\n"),  # CR LF
        b"\xef\xbb\xbf" + _ndjson([_entry(i) for i in range(30)]),  # a BOM
        _ndjson([_entry(i) for i in range(30)]).replace(b"\n", b"\n\n", 1),  # a blank line
        json.dumps({"entries": [_entry(i) for i in range(30)]}).encode() + b"\n",  # one object
        b'{"a":\n1}\n' + _ndjson([_entry(i) for i in range(30)]),  # a record over two lines
    ],
)
def test_what_the_head_cannot_tell_the_whole_read_decides(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "log.ndjson"
    path.write_bytes(text)
    try:
        load(text, source=str(path), partial=True)
    except FormatError as exc:
        with pytest.raises(FormatError) as raised:
            list(progressive.read_progressively(path, first=4))
        assert raised.value.message == exc.message
        return
    pieces = _check(path, 4)
    assert not (isinstance(pieces[0], FirstEntries) and pieces[0].provisional)


@pytest.mark.usefixtures("small_head")
def test_a_broken_line_after_the_head_fails_after_the_first_piece(tmp_path: Path) -> None:
    lines = _ndjson([_entry(i) for i in range(40)]).splitlines()
    lines[30] = lines[30].replace(b'"info"', b"info")
    path = tmp_path / "log.ndjson"
    path.write_bytes(b"\n".join(lines))
    stream = progressive.read_progressively(path, first=4)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="line 31"):
        list(stream)


@pytest.mark.usefixtures("small_head")
def test_a_too_long_number_after_the_head_is_refused(tmp_path: Path) -> None:
    items = [_entry(i) for i in range(30)]
    items[20]["event"]["data"]["n"] = 0
    path = tmp_path / "log.ndjson"
    path.write_bytes(_ndjson(items).replace(b'"n": 0', b'"n": ' + b"9" * 5000))
    stream = progressive.read_progressively(path, first=4)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="number"):
        list(stream)


@pytest.mark.usefixtures("small_head")
def test_a_file_changed_between_the_head_and_the_whole_read_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.ndjson"
    path.write_bytes(_ndjson([_entry(i) for i in range(40)]))
    other = _ndjson([_entry(i) for i in range(1, 41)])
    monkeypatch.setattr(progressive, "read_file", lambda source: other)
    stream = progressive.read_progressively(path, first=4)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="changed while it was read"):
        list(stream)


@SETTINGS
@given(ndjson_texts(), st.integers(1, 5), st.integers(1, 12))
def test_any_ndjson_file_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory, text: bytes, first: int, times: int
) -> None:
    """Generated NDJSON (sessions last, first, nested, absent, in a string; blank lines, CR LF,
    records over two lines), repeated so that its head is a part of it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(progressive, "HEAD_BYTES", 64)
        patch.setattr(progressive, "MOST_HEAD_BYTES", 1024)
        path = tmp_path_factory.mktemp("head") / "log.ndjson"
        data = b"\n".join([text.rstrip(b"\n")] * times) + b"\n"
        path.write_bytes(data)
        try:
            load(data, source=str(path), partial=True)
        except FormatError as exc:
            with pytest.raises(FormatError) as raised:
                list(progressive.read_progressively(path, first=first))
            assert raised.value.message == exc.message
            return
        _check(path, first)
