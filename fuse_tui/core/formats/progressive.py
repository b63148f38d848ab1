"""Reading a dump in pieces, so a viewer can show the first rows while the rest is read.

The contract (the TUI depends on it; the reader behind it may change):

- :func:`read_progressively` yields :class:`FirstEntries` at most once, then any number of
  :class:`MoreEntries`, and always ends with exactly one :class:`Finished` — or raises a
  ``ReadError`` (a ``FormatError`` names the source and what is wrong), before or after some
  entries were yielded.
- The entries of FirstEntries and MoreEntries, in order, are the entries of the one call log the
  source holds. A source that is not one call log (an all_logs dump of several calls, a call
  list, NDJSON of several sessions) yields no entries: only Finished, with the whole document.
- ``Finished.document`` is what :func:`fuse_tui.core.formats.load` (``partial=True``) returns for
  the same input. For a one-call source its one log holds the same entries, in the same order, as
  those yielded (the same objects where the representation allows it), so a viewer can keep the
  rows it already shows.
- ``first`` is how many entries FirstEntries holds at most; later pieces may be any size.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding, sniff
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.json_reader import NdjsonLines, is_array, ndjson_lines, ndjson_raws
from fuse_tui.core.formats.reader import load, read_file, read_file_head
from fuse_tui.core.formats.shape import gc_paused
from fuse_tui.core.model import CallLog, LogEntry

FIRST_ENTRIES = 2000
CHANGED_WHILE_READ = "the file changed while it was read; open it again"
MORE_ENTRIES = 50_000
# Later pieces of a JSON read double up to this: each piece costs the viewer a repaint and
# some bookkeeping, and the reader waits for it, so a 1M-entry log comes in ~8 pieces, not 20.
MOST_ENTRIES = 200_000


@dataclass(frozen=True)
class FirstEntries:
    """The first entries of a one-call source, and its session ID when known so far."""

    entries: Sequence[LogEntry]
    session_id: str | None = None
    # Judged one call from the head of the file only (NDJSON): see the module's contract.
    provisional: bool = False


@dataclass(frozen=True)
class MoreEntries:
    """The next entries, in order."""

    entries: Sequence[LogEntry]


@dataclass(frozen=True)
class Finished:
    """The whole document, as ``load(..., partial=True)`` reads it."""

    document: Document


Piece = FirstEntries | MoreEntries | Finished


def read_progressively(
    source: str | Path, data: bytes | None = None, *, first: int = FIRST_ENTRIES
) -> Iterator[Piece]:
    """The pieces of ``source`` (a file path, or a name for ``data`` already read: stdin).

    A one-call JSON array, NDJSON of one call and an XML ``<result>`` of ``<item>`` are read
    as they are handed out: the first ``first`` entries are parsed and yielded before the rest
    (at 1M entries, well under a second). A big JSON array or NDJSON *file* gives its first
    entries from its head alone, before the whole file is read (at 1M entries, 7 ms instead of
    0.3 s for an array, ~0.5 s for NDJSON, whose whole text is searched for its calls; see
    :func:`_head_piece`); should the whole file then differ from that head (it changed while
    read), a FormatError says so. Anything else is read whole (``load``), then handed out.
    When the streaming road meets what only the whole read explains (an entry the model
    refuses, a syntax error), the whole read takes over: it either raises its precise error or
    gives the same entries, of which those not yet yielded follow.
    """
    name = str(source)
    first_sent = False
    sent = 0
    head: _Head | None = None
    if data is None:
        head = _head_piece(source, first)
        if head is not None:
            first_sent, sent = True, len(head.store)
            yield FirstEntries(head.store[:sent], head.session_id, provisional=head.ndjson)
        data = read_file(source)
    try:
        stream = _stream(data, name, first, head)
        for store, session_id, ready in stream:
            if not first_sent:
                first_sent, sent = True, min(first, ready)
                yield FirstEntries(store[:sent], session_id)
            if ready > sent:
                yield MoreEntries(store[sent:ready])
                sent = ready
        yield Finished(_one_call(store, name, session_id, sniff(data)))
        return
    except _NotStreamable:
        pass
    document = load(data, source=name, partial=True)
    if isinstance(document, LogsDocument) and len(document.logs) == 1:
        log = document.logs[0]
        entries = log.entries
        if not first_sent and document.kind == "call":
            first_sent, sent = True, min(first, len(entries))
            yield FirstEntries(entries[:sent], log.session_id)
        if first_sent:
            for start in range(sent, len(entries), MORE_ENTRIES):
                yield MoreEntries(entries[start : start + MORE_ENTRIES])
    yield Finished(document)


def _too_long_number_in(raws: Sequence[object]) -> bool:
    """Whether one of these entries (JSON texts) holds a number of more digits than Python
    reads: such an entry handed out would fail in every view that builds its model. The rest
    of the file is checked once the first piece is out."""
    return json_fast.has_too_long_number(b"\n".join(bytes(raw) for raw in raws))  # type: ignore[call-overload]


# Where each view of a source starts in it, when that can be proved (else None): worked out
# once the source is read, not while its rows wait (~0.2 s at 1M entries).
_Starts = Callable[[], "array[int] | None"]


class _NotStreamable(Exception):
    """Read this source whole instead."""


# A big JSON array or NDJSON file hands out its first entries from its head, before the whole
# file is read and cut into items (at 1M entries, 0.3 s; NDJSON's text is also searched whole
# for its calls, ~0.3 s more): the head read is enough while the first entries fit in it, else
# it grows (an entry may be long) up to a point, then the whole read decides. Smaller files
# are read whole at once, which costs little.
HEAD_BYTES = 1 << 20
MOST_HEAD_BYTES = 1 << 23


@dataclass(frozen=True)
class _Head:
    """The first entries of a JSON array or NDJSON file, read from the start of it (``text``)."""

    store: CompactEntries
    text: bytes
    last: bytes  # the JSON text of the last entry read, to check the whole read against
    ndjson: bool = False
    session_id: str | None = None  # NDJSON: the one call its first lines are of


def _head_piece(path: str | Path, first: int) -> _Head | None:
    """The first entries (at most ``first``) of a big JSON array or NDJSON file, read from its
    head alone; None for any other file, or when the head does not tell (the whole read
    decides)."""
    if first < 1:
        return None
    size = HEAD_BYTES
    while True:
        head = read_file_head(path, size)
        if head is None or sniff(head) != "json" or detect_encoding(head) != ("utf-8", 0):
            return None
        ndjson = not is_array(head)
        found = _ndjson_head_lines(head, first) if ndjson else _array_head(head)
        if found is None and ndjson and head.find(b"\n", head.find(b"\n") + 1) > 0:
            return None  # two lines or more, not NDJSON of one call: a longer head is no more
        if found is not None and (len(found[0]) >= first or size >= MOST_HEAD_BYTES):
            raws, cut, session_id = found
            if json_fast.has_too_long_number(head[:cut]):
                return None  # an entry no view can read: the whole read refuses the file
            break
        if size >= MOST_HEAD_BYTES:
            return None
        size *= 4
    count = min(first, len(raws))
    store = CompactEntries(drop_key="session_id" if ndjson else None)
    try:
        with gc_paused():
            json_fast.add_entries(store, raws, 0, count)
    except json_fast.NotFast:
        return None  # an entry the model refuses: the whole read explains it
    return _Head(store, head[:cut], bytes(raws[count - 1]), ndjson, session_id)


# The items a head holds, where the last ends in it, and the call they are of (NDJSON).
_HeadItems = tuple[list[Any], int, str | None]


def _array_head(head: bytes) -> _HeadItems | None:
    found = json_fast.array_head_raws(head)
    return None if found is None else (found[0], found[1], None)


def _ndjson_head_lines(head: bytes, first: int) -> _HeadItems | None:
    """The first lines (at most ``first``) of the NDJSON text ``head`` starts, as views of a
    copy of them (a view of ``head`` would keep it all), when they are whole records of one
    call, one a line; None otherwise."""
    cut = count = 0
    while count < first:
        end = head.find(b"\n", cut)
        if end < 0:
            break
        cut, count = end + 1, count + 1
    text = head[:cut]
    lines = ndjson_lines(text) if count else None
    if lines is None or not lines.one_session:
        return None  # one line is a JSON object, not NDJSON; or the head may be several calls
    try:
        raws = json_fast.line_raws(text, lines.start, lines.end)
    except json_fast.NotFast:
        return None  # the whole read words it
    if len(raws) != lines.records:
        return None  # several records on a line
    return raws, cut, lines.session_id


def _one_call(store: CompactEntries, name: str, session_id: str | None, kind: str) -> Document:
    """The document ``load`` gives for the one-call source just streamed into ``store``."""
    log = CallLog(session_id=session_id, entries=store, source=name)
    fmt = "xml" if kind == "xml" else "json"
    # NDJSON names its session on every line: load reads that as an all_logs answer of one call.
    return LogsDocument([log], "call" if session_id is None else "all_logs", fmt)


def _stream(
    data: bytes, name: str, first: int, head: _Head | None = None
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """(store, session ID, entries read so far) as the entries of a one-call source are read.

    ``head``: the first entries, already handed out, of the file ``data`` was read from.
    """
    if head is not None:
        try:
            if head.ndjson:
                yield from _stream_after_ndjson_head(data, name, head)
            else:
                yield from _stream_after_head(data, name, head)
        except json_fast.NotFast as exc:
            raise _NotStreamable from exc
        return
    kind = sniff(data)
    if kind == "xml":
        # The XML reader (ElementTree, defusedxml) loads for an XML source only.
        from fuse_tui.core.formats.xml_reader import NotStreamable, stream_entries

        store = CompactEntries()
        counts = stream_entries(data, name, store, piece=MORE_ENTRIES, first=first)
        told, size = 0, MORE_ENTRIES
        try:
            while True:
                # The parser makes an element per tag, each a reason for the cyclic GC to run
                # and walk everything read so far (the stream took twice the whole read's
                # time); it makes no cycles. Paused only while a piece is read, not between.
                with gc_paused():
                    count = next(counts, None)
                if count is None:
                    if told < len(store) or not told:
                        yield store, None, len(store)
                    return
                if not told or count - told >= size:  # pieces double, as JSON's do
                    if told:
                        size = min(size * 2, MOST_ENTRIES)
                    told = count
                    yield store, None, count
        except NotStreamable as exc:
            raise _NotStreamable from exc
    encoding, bom = detect_encoding(data)
    if kind != "json" or encoding != "utf-8":
        raise _NotStreamable
    try:
        yield from _stream_json(data[bom:] if bom else data, first)
    except json_fast.NotFast as exc:
        raise _NotStreamable from exc


def _stream_after_head(
    data: bytes, name: str, head: _Head
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """The entries after those of ``head``, from the whole file ``data``."""
    count = len(head.store)
    if not data.startswith(head.text):
        raise FormatError(name, CHANGED_WHILE_READ)
    raws = json_fast.array_raws(data, check_numbers=False)
    if len(raws) < count or bytes(raws[count - 1]) != head.last:
        raise FormatError(name, CHANGED_WHILE_READ)  # cannot be, unless the file changed
    if json_fast.has_too_long_number(data):
        raise _NotStreamable  # the whole read refuses it in its own words
    if count == len(raws):
        yield head.store, None, count
        return
    starts = partial(json_fast.array_item_starts, data, raws)
    yield from _fill(head.store, data, raws, count, MORE_ENTRIES, None, False, starts)


def _stream_after_ndjson_head(
    data: bytes, name: str, head: _Head
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """The lines after those of ``head``, from the whole NDJSON file ``data``: streamed when its
    text shows it one call, that of the head; else the whole read decides (several calls)."""
    if not data.startswith(head.text):
        raise FormatError(name, CHANGED_WHILE_READ)
    lines = ndjson_lines(data)
    if lines is None or not lines.one_session or lines.session_id != head.session_id:
        raise _NotStreamable
    yield from _rest_of_lines(head.store, data, lines, (name, head.last))


def _stream_json(body: bytes, first: int) -> Iterator[tuple[CompactEntries, str | None, int]]:
    session_id: str | None = None
    drop_key: str | None = None
    check_numbers = True  # after the first piece, which needs none of it
    starts: _Starts | None = None
    if is_array(body):
        raws = json_fast.array_raws(body, check_numbers=False)
        starts = partial(json_fast.array_item_starts, body, raws)
    else:
        lines = ndjson_lines(body)
        if lines is not None and lines.one_session:
            yield from _stream_ndjson_lines(body, lines, first)
            return
        raws, _ = ndjson_raws(body, check_numbers=False)
        groups = json_fast.session_groups(raws)
        if len(groups) != 1:
            raise _NotStreamable  # several calls: no entries, the whole document
        session_id, drop_key = groups[0][0], "session_id"
    store = CompactEntries(drop_key=drop_key)
    yield from _fill(store, body, raws, 0, first, session_id, check_numbers, starts)


def _stream_ndjson_lines(
    body: bytes, lines: NdjsonLines, first: int
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """NDJSON that the text shows to be one call: its first lines are read before the rest."""
    cut, head_lines = lines.start, min(first, lines.records)
    for _ in range(head_lines):
        cut = body.find(b"\n", cut, lines.end) + 1 or lines.end
    # The first lines' views are of a copy of them: handed out before the rest is packed,
    # views of ``body`` would keep it whole (~200 MB at 1M) once it is held compressed.
    head_text = body[lines.start : cut]
    head = json_fast.line_raws(head_text, 0, len(head_text))
    if len(head) != head_lines:
        raise _NotStreamable  # several records on a line: the whole read words it
    if json_fast.has_too_long_number(head_text):
        raise _NotStreamable  # an entry no view can read: the whole read refuses the file
    store = CompactEntries(drop_key="session_id")
    with gc_paused():
        json_fast.add_entries(store, head)
    yield store, lines.session_id, len(store)
    yield from _rest_of_lines(store, body, lines)


def _rest_of_lines(
    store: CompactEntries, body: bytes, lines: NdjsonLines, last: tuple[str, bytes] | None = None
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """The lines of the one-call NDJSON ``body`` after the first ones, in ``store`` already.
    ``last``: the file's name and the text of the last line in ``store``, read again from a
    file that ``body`` must still hold as it was (else FormatError)."""
    count = len(store)
    if json_fast.has_too_long_number(body):
        raise _NotStreamable  # the whole read refuses it in its own words
    raws = json_fast.line_raws(body, lines.start, lines.end)
    if len(raws) != lines.records:
        raise _NotStreamable
    if last is not None and (len(raws) < count or bytes(raws[count - 1]) != last[1]):
        raise FormatError(last[0], CHANGED_WHILE_READ)  # cannot be, unless the file changed
    if count == len(raws):
        yield store, lines.session_id, count
        return
    # One record a line, each line feed between '}' and '{' (ndjson_lines): a byte apart.
    starts = partial(json_fast.one_apart, body, raws, lines.start, lines.end)
    yield from _fill(store, body, raws, count, MORE_ENTRIES, lines.session_id, False, starts)


def _fill(
    store: CompactEntries,
    body: bytes,
    raws: Sequence[object],
    start: int,
    size: int,
    session_id: str | None,
    check_numbers: bool,
    starts: _Starts | None = None,
) -> Iterator[tuple[CompactEntries, str | None, int]]:
    """Validate ``raws[start:]`` into ``store`` by pieces of ``size``, then MORE_ENTRIES,
    doubling up to MOST_ENTRIES; ``starts``: where each of ``raws`` starts in ``body``, when
    it proves it (None when not): the entries can be packed later, off the reading (see
    ``CompactEntries.plan_pack``)."""
    if starts is not None:
        store.plan_pack(body, len(store), raws, start, starts)
    first_piece = True
    while True:  # once at least: an empty array is an empty first piece
        stop = min(len(raws), start + size)
        if check_numbers and first_piece and _too_long_number_in(raws[start:stop]):
            raise _NotStreamable  # an entry no view can read: the whole read refuses the file
        with gc_paused():
            json_fast.add_entries(store, raws, start, stop)
        yield store, session_id, stop
        if check_numbers:
            check_numbers = False
            if json_fast.has_too_long_number(body):
                raise _NotStreamable  # the whole read refuses it in its own words
        if stop >= len(raws):
            return
        start = stop
        size = MORE_ENTRIES if first_piece else min(max(size, MORE_ENTRIES) * 2, MOST_ENTRIES)
        first_piece = False
