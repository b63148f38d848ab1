"""A big JSON array file's first entries, read from its head before the whole file.

The head road must give exactly what the whole read gives: the same first items, byte for
byte, then the same document; where it cannot tell, the whole read decides as before.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuse_tui.core.formats import FormatError, LogsDocument, load, progressive
from fuse_tui.core.formats.json_fast import array_head_raws
from fuse_tui.core.formats.progressive import Finished, FirstEntries, MoreEntries, Piece
from fuse_tui.core.formats.reader import read_file_head

from .log_strategies import json_entries, json_values

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_RAWS = msgspec.json.Decoder(list[msgspec.Raw])
# Texts that look like the end of an item, to trip a cut that ignored strings.
_TRICKY = ["},", "],", '"},{', "\\", '\\"},', "}\n,", "] ,[", "x"]


def _entries(count: int) -> list[dict[str, Any]]:
    return [
        {
            "event": {"line": f"line {i} }}], {{", "data": {"module_type": "m"}},
            "class": "info",
            "timestamp": 1_529_552_581 + i,
        }
        for i in range(count)
    ]


def _read(path: Path, first: int) -> list[Piece]:
    return list(progressive.read_progressively(path, first=first))


def _check(path: Path, first: int) -> list[Piece]:
    """The contract of core.formats.progressive for the file ``path``."""
    pieces = _read(path, first)
    finished = pieces[-1]
    assert isinstance(finished, Finished)
    expected = load(path.read_bytes(), source=str(path), partial=True)
    assert finished.document == expected
    streamed = [e for p in pieces[:-1] for e in p.entries]  # type: ignore[union-attr]
    if pieces[:-1]:
        assert isinstance(pieces[0], FirstEntries) and len(pieces[0].entries) <= first
        assert all(isinstance(p, MoreEntries) for p in pieces[1:-1])
        assert isinstance(expected, LogsDocument)
        assert streamed == list(expected.logs[0].entries)
    return pieces


@pytest.fixture
def small_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Heads of a few hundred bytes, so that small files take the head road."""
    monkeypatch.setattr(progressive, "HEAD_BYTES", 200)
    monkeypatch.setattr(progressive, "MOST_HEAD_BYTES", 3200)


# ----- the cut ------------------------------------------------------------------------------


items = st.lists(
    st.one_of(json_values, st.sampled_from(_TRICKY), st.lists(st.sampled_from(_TRICKY))),
    max_size=8,
)
blanks = st.sampled_from(["", " ", "\n", "\t ", "\r\n  "])


@SETTINGS
@given(items, blanks, blanks, st.data())
def test_a_cut_head_gives_the_whole_texts_first_items(
    values: list[Any], before: str, after: str, data: st.DataObject
) -> None:
    ascii = data.draw(st.booleans())
    # A lone surrogate written raw is not UTF-8: the head must not take it.
    parts = [
        json.dumps(value, ensure_ascii=ascii).encode("utf-8", "surrogatepass") for value in values
    ]
    text = (
        b"[" + before.encode() + (after + "," + before).encode().join(parts) + after.encode() + b"]"
    )
    length = data.draw(st.integers(min_value=0, max_value=len(text)))
    found = array_head_raws(text[:length])
    if found is None:
        return
    raws, cut = found
    assert 1 <= len(raws) <= len(parts) and cut <= length
    assert [bytes(raw) for raw in raws] == parts[: len(raws)]
    text[:cut].decode()  # UTF-8


def test_no_cut_inside_a_string_or_a_deeper_array() -> None:
    assert array_head_raws(b'["a}],"b"') is None
    assert array_head_raws(b"[[1],[2],") == ([msgspec.Raw(b"[1]")], 4) or (
        [bytes(r) for r in array_head_raws(b"[[1],[2],")[0]] == [b"[1]", b"[2]"]  # type: ignore[index]
    )
    assert array_head_raws(b'[{"a":[1],"b":2') is None
    assert array_head_raws(b"[,") is None


# ----- the head road ------------------------------------------------------------------------


@SETTINGS
@given(json_entries, st.integers(min_value=1, max_value=8), st.integers(0, 30))
def test_any_array_file_keeps_the_contract(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Any], first: int, padding: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(progressive, "HEAD_BYTES", 64)
        patch.setattr(progressive, "MOST_HEAD_BYTES", 1024)
        path = tmp_path_factory.mktemp("head") / "log.json"
        # Padding between items moves the cuts; repeated entries make the file longer.
        path.write_bytes(
            (
                "["
                + (",\n" + " " * padding).join(json.dumps(entry) for entry in entries * 20)
                + "]"
            ).encode()
        )
        try:
            load(path.read_bytes(), source=str(path), partial=True)
        except FormatError:
            with pytest.raises(FormatError):
                _read(path, first)
            return
        _check(path, first)


@pytest.mark.usefixtures("small_head")
@pytest.mark.parametrize("count", [1, 5, 6, 7, 40, 300])
def test_the_first_entries_come_before_the_file_is_read_whole(
    tmp_path: Path, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(json.dumps(_entries(count), indent=1).encode())
    whole_reads: list[object] = []
    read_file = progressive.read_file

    def counted(source: Any) -> bytes:
        whole_reads.append(source)
        return read_file(source)

    monkeypatch.setattr(progressive, "read_file", counted)
    stream = progressive.read_progressively(path, first=6)
    piece = next(stream)
    assert isinstance(piece, FirstEntries) and len(piece.entries) == min(6, count)
    if count >= 40:  # a file longer than a head that holds 6 entries
        assert whole_reads == []  # from the head alone
    list(stream)
    assert whole_reads == [path]
    _check(path, 6)


@pytest.mark.usefixtures("small_head")
def test_entries_longer_than_the_head_grow_it_up_to_a_point(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(json.dumps([{"event": {"line": "x" * 250}}] * 20).encode())
    pieces = _check(path, 5)  # heads of 200 and 800 bytes hold fewer: 3200 holds them
    assert len(pieces[0].entries) == 5  # type: ignore[union-attr]
    path.write_bytes(json.dumps([{"event": {"line": "x" * 1000}}] * 20).encode())
    pieces = _check(path, 5)  # the largest head holds 3: they come first
    assert len(pieces[0].entries) == 3  # type: ignore[union-attr]
    path.write_bytes(json.dumps([{"event": {"line": "x" * 5000}}] * 20).encode())
    pieces = _check(path, 5)  # no item ends in the largest head: the whole read's pieces
    assert len(pieces[0].entries) == 5  # type: ignore[union-attr]


@pytest.mark.usefixtures("small_head")
@pytest.mark.parametrize(
    "text",
    [
        b"\xef\xbb\xbf" + json.dumps(_entries(20)).encode(),  # a BOM
        json.dumps(_entries(20)).encode("utf-16"),
        b"".join(json.dumps(e).encode() + b"\n" for e in _entries(20)),  # NDJSON
        json.dumps({"entries": _entries(20)}).encode(),
        json.dumps(_entries(20)).encode()[:-1],  # cut short: the whole read says where
        json.dumps(_entries(20)).encode().replace(b'"info"}, {', b'"info"} {', 1),
    ],
)
def test_other_files_take_the_whole_road_with_its_answers(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(text)
    try:
        load(text, source=str(path), partial=True)
    except FormatError as exc:
        with pytest.raises(FormatError) as raised:
            _read(path, 6)
        assert raised.value.message == exc.message
        return
    _check(path, 6)


@pytest.mark.usefixtures("small_head")
def test_a_bad_entry_after_the_head_fails_after_the_first_piece(tmp_path: Path) -> None:
    items = _entries(60)
    items[50]["timestamp"] = "soon"
    path = tmp_path / "log.json"
    path.write_bytes(json.dumps(items).encode())
    stream = progressive.read_progressively(path, first=5)
    first = next(stream)
    assert isinstance(first, FirstEntries) and len(first.entries) == 5
    with pytest.raises(FormatError, match="entry 51 timestamp is 'soon'"):
        list(stream)


@pytest.mark.usefixtures("small_head")
def test_a_too_long_number_after_the_head_is_refused(tmp_path: Path) -> None:
    items: list[dict[str, Any]] = _entries(30)
    items[20]["event"]["data"]["n"] = 0
    path = tmp_path / "log.json"
    path.write_text(json.dumps(items).replace('"n": 0', '"n": ' + "9" * 5000))
    stream = progressive.read_progressively(path, first=5)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="number"):
        list(stream)


@pytest.mark.usefixtures("small_head")
def test_a_file_changed_between_the_head_and_the_whole_read_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(json.dumps(_entries(40)).encode())
    other = json.dumps(_entries(41)[1:]).encode()
    monkeypatch.setattr(progressive, "read_file", lambda source: other)
    stream = progressive.read_progressively(path, first=5)
    assert isinstance(next(stream), FirstEntries)
    with pytest.raises(FormatError, match="changed while it was read"):
        list(stream)


def test_the_head_of_a_file_is_read_only_where_the_whole_read_would_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.json"
    path.write_bytes(b"[" + b" " * 100 + b"]")
    assert read_file_head(path, 50) == b"[" + b" " * 49
    assert read_file_head(path, 102) is None  # not longer than the head: read it whole
    assert read_file_head(tmp_path, 10) is None  # a directory
    assert read_file_head(tmp_path / "missing", 10) is None
    path.write_bytes(b"\x00\x01" * 100)
    assert read_file_head(path, 50) is None  # binary: the whole read refuses it
    monkeypatch.setenv("FUSE_TUI_MAX_INPUT_MB", "1")
    path.write_bytes(b"[" + b" " * (2 << 20) + b"]")
    assert read_file_head(path, 50) is None  # too big: the whole read refuses it
