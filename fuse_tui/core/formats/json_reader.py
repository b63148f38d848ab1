"""Read a JSON Fuse answer.

NDJSON (one entry object per line, as ``show -f ndjson`` writes) is read too, grouping
consecutive entries by ``session_id``.

Fast path: a bare array (``/api/call``, by far the common and big case) or NDJSON, in UTF-8, is
read by msgspec into compact entries (``core.entries.CompactEntries``: each entry's JSON text
as a view into the input plus a few columns; the pydantic model is built on access), with the
GC paused and the result frozen (see ``shape.gc_paused``); see ``json_fast``. At 1M entries
that is ~1 s and a few hundred MB instead of 4 s and 1.3 GB (benchmarks/bench_read.py). NDJSON
of one record per line is read in place, line by line (:func:`ndjson_lines`): no joined copy.
Anything else, and any failure of the fast path, goes through ``json.loads`` and
:func:`shape.interpret`, which produce the precise error message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.json_all_logs import read_all_logs
from fuse_tui.core.formats.shape import gc_paused, interpret, interpret_ndjson
from fuse_tui.core.model import CallLog

# NDJSON: the text between leading and trailing blanks, which must start with '{'.
_NDJSON_EDGES = re.compile(rb"[ \t\r\n]*(\{.*\})[ \t\r\n]*\Z", re.DOTALL)
# A line feed and the blanks after it: where one NDJSON record ends. Starting with a literal
# lets the regex engine jump from one to the next (a leading [ \t\r]* made it 10x slower);
# blanks before it stay, which JSON allows before a comma. Lines ended by CR alone do not
# join into an array, so they take the slow road, which reads them.
_LINE_BREAKS = re.compile(rb"\n[ \t\r\n]*")
# The last member of an NDJSON record naming its session, as show -f ndjson writes it: a key
# that is neither escaped nor inside a string (see ndjson_lines), and a value without escapes.
_SESSION_LAST = re.compile(rb'([,{][ \t\r]*"session_id"[ \t\r]*:[ \t\r]*"([^"\\]*)"[ \t\r]*\})\Z')
TOO_LONG_NUMBER = "this JSON holds a number too long to read (thousands of digits)"
TOO_DEEP = "the JSON is nested too deeply to read"


def read_json(data: bytes, source: str) -> Document:
    encoding, bom = detect_encoding(data)
    if encoding == "utf-8":
        body = data[bom:] if bom else data
        fast = (
            _try_fast_array(body, source)
            or _try_fast_ndjson(body, source)
            or read_all_logs(data, source)
        )
        if fast is not None:
            return fast
    try:
        value = parse_json(data, source)
    except FormatError as exc:
        records = _try_ndjson(data, exc)
        if records is None:
            raise
        return interpret_ndjson(records, source)
    return interpret(value, source, "json")


def _try_ndjson(data: bytes, error: FormatError) -> list[Any] | None:
    """Objects one per line (NDJSON), when plain JSON stopped at "Extra data" after line 1."""
    if "Extra data" not in error.message:
        return None
    encoding, bom = detect_encoding(data)
    text = data[bom:].decode(encoding)
    if not text.lstrip().startswith("{"):
        return None
    records = []
    # Lines end at "\n" alone, as the fast road reads them: splitlines() would also cut at
    # U+2028, U+2029 and U+0085, which JSON allows raw inside a string.
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise FormatError(
                error.source,
                _ndjson_problem(exc, line, lines[number:]),
                line=number,
                column=exc.colno,
            ) from exc
        except ValueError as exc:
            raise FormatError(error.source, TOO_LONG_NUMBER, line=number, column=1) from exc
        except RecursionError as exc:
            raise FormatError(error.source, TOO_DEEP, line=number, column=1) from exc
    return records


def _ndjson_problem(exc: json.JSONDecodeError, line: str, after: list[str]) -> str:
    """What is wrong with an NDJSON line: the last line stopping mid-object is a cut file."""
    cut = not line[exc.pos :].strip() or exc.msg.startswith("Unterminated string")
    if cut and not any(rest.strip() for rest in after):
        return "the NDJSON ends too early, inside its last line (truncated?)"
    return f"this NDJSON line is not valid JSON: {exc.msg}"


def is_array(data: bytes) -> bool:
    """Whether the JSON text ``data`` starts as an array."""
    return json_fast.ARRAY_START.match(data) is not None


def _try_fast_array(data: bytes, source: str) -> Document | None:
    """A bare array read by msgspec into compact entries (see ``json_fast``); None: slow road."""
    if not is_array(data):
        return None
    store = CompactEntries()
    try:
        with gc_paused(len(data)):
            json_fast.add_entries(store, json_fast.array_raws(data))
    except json_fast.NotFast:
        return None  # the slow path explains what is wrong
    return LogsDocument([CallLog(entries=store, source=source)], "call", "json")


def ndjson_array(data: bytes, *, check_numbers: bool = True) -> tuple[list[Any], int] | None:
    """NDJSON (UTF-8, no BOM) as views of its records, and how many non-blank lines it has.

    A JSON text never holds a raw line feed inside a string, so each one is where a record
    ends: in a copy of the records, each becomes a comma (in place: no third copy of 200 MB)
    and the whole is read as one array. Blank lines leave empty items, which do not parse:
    then each run of line feeds and blanks becomes one comma instead (a slower regex pass).
    The caller compares the counts: a record spread over several lines (invalid NDJSON) can
    join into fewer items than lines. None when it is not two or more records on their own
    lines. ``check_numbers``: as for ``json_fast.array_raws``.
    """
    edges = _NDJSON_EDGES.match(data)
    if edges is None:
        return None
    start, end = edges.span(1)
    # Appended, not assigned to a slice: slice assignment copies its source first (+200 MB).
    records = bytearray(b"[")
    records += memoryview(data)[start:end]
    records.append(ord("]"))
    lines = 1
    feed = records.find(b"\n")
    while feed >= 0:
        records[feed] = ord(",")
        lines += 1
        feed = records.find(b"\n", feed + 1)
    if lines == 1:
        return None  # one line: plain JSON (an object answer), not NDJSON
    try:
        return json_fast.array_raws(records, check_numbers=check_numbers), lines
    except json_fast.NotFast:
        del records
    body, breaks = _LINE_BREAKS.subn(b",", data[start:end])
    try:
        joined = b"".join((b"[", body, b"]"))
        return json_fast.array_raws(joined, check_numbers=check_numbers), breaks + 1
    except json_fast.NotFast:
        return None


@dataclass(frozen=True)
class NdjsonLines:
    """NDJSON whose every line feed stands between two records (``}\\n{``), told by the text.

    In JSON, ``}`` followed by blanks and ``{`` never occurs inside one value (nor inside a
    string, which holds no raw line feed), so each line feed of such a text ends a record: if
    its lines read as JSON at all, each is one record (``records`` of them) — what
    ``json_fast.line_raws`` confirms by their count. ``one_session``: the text alone shows that
    every record is of the same call, ``session_id`` (None: no record names one), so a reader
    may hand out the first records before the rest is read.
    """

    start: int
    end: int
    records: int
    one_session: bool
    session_id: str | None


def ndjson_lines(data: bytes) -> NdjsonLines | None:
    """``data`` (UTF-8, no BOM) as :class:`NdjsonLines`; None when it is not such a text."""
    edges = _NDJSON_EDGES.match(data)
    if edges is None:
        return None
    start, end = edges.span(1)
    feeds = json_fast.count_in_pieces(data, b"\n", start, end)
    if not feeds:
        return None  # one line: plain JSON (an object answer), not NDJSON
    if data.find(b'"session_id"', start, end) < 0:
        if json_fast.count_in_pieces(data, b"}\n{", start, end) != feeds:
            return None
        # No record names a session, unless a key spells it with \u escapes.
        return NdjsonLines(start, end, feeds + 1, data.find(b"\\u", start, end) < 0, None)
    last = _SESSION_LAST.search(data, data.rfind(b"\n", start, end) + 1, end)
    # The last record's last member is "session_id": "X" before its closing brace (the four
    # quotes around the key and value are unescaped, as no backslash precedes them, so the key
    # is a key of the record itself, and the last one: it wins). When every line feed follows
    # the same text and precedes '{', every record ends so.
    if (
        last is not None
        and last.group(2)
        and json_fast.count_in_pieces(data, last.group(1) + b"\n{", start, end) == feeds
    ):
        try:
            return NdjsonLines(start, end, feeds + 1, True, last.group(2).decode("utf-8"))
        except UnicodeDecodeError:
            return None
    if json_fast.count_in_pieces(data, b"}\n{", start, end) != feeds:
        return None
    return NdjsonLines(start, end, feeds + 1, False, None)


def ndjson_raws(data: bytes, *, check_numbers: bool = True) -> tuple[list[Any], NdjsonLines | None]:
    """NDJSON records as views of ``data``, and its :class:`NdjsonLines` when it is such a text.

    Such a text is read in place by msgspec, line by line; any other (blank lines, CR LF, a
    record over several lines) is joined into an array (:func:`ndjson_array`, a copy).
    NotFast when it is not NDJSON of one record per line that msgspec reads.
    """
    lines = ndjson_lines(data)
    if lines is None:
        found = ndjson_array(data, check_numbers=check_numbers)
        if found is None or len(found[0]) != found[1]:
            raise json_fast.NotFast
        return found[0], None
    if check_numbers and json_fast.has_too_long_number(data):
        raise json_fast.NotFast
    raws = json_fast.line_raws(data, lines.start, lines.end)
    if len(raws) != lines.records:
        raise json_fast.NotFast  # several records on a line: the slow road words it
    return raws, lines


def _try_fast_ndjson(data: bytes, source: str) -> Document | None:
    """NDJSON read by msgspec into compact entries; None: the slow road decides."""
    try:
        raws, lines = ndjson_raws(data)
    except json_fast.NotFast:
        return None
    try:
        with gc_paused(len(data)):
            if lines is not None and lines.one_session:
                groups = [(lines.session_id, 0, len(raws))]
            else:
                groups = json_fast.session_groups(raws)
            logs = []
            for session_id, start, stop in groups:
                store = CompactEntries(drop_key="session_id")
                json_fast.add_entries(store, raws, start, stop)
                logs.append(CallLog(session_id=session_id, entries=store, source=source))
    except json_fast.NotFast:
        return None
    if not any(session_id for session_id, _, _ in groups):
        merged = CompactEntries(drop_key="session_id")
        for log in logs:
            merged.extend(log.entries)
        return LogsDocument([CallLog(entries=merged, source=source)], "call", "json")
    return LogsDocument(logs, "all_logs", "json")


# What a JSON text that stops early is told (readers of a cut file look for it: reader.load).
TRUNCATED = "the JSON ends too early (truncated?)"


def parse_json(data: bytes, source: str) -> Any:
    """``json.loads`` with every failure turned into a FormatError naming line and column."""
    encoding, bom = detect_encoding(data)
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise FormatError(
            source, f"this is not valid {encoding.upper()} text (bad byte at offset {exc.start})"
        ) from exc
    try:
        with gc_paused(len(data)):
            return json.loads(text)
    except json.JSONDecodeError as exc:
        # A string still open at the end is a cut file too: json names where it began.
        if not text[exc.pos :].strip() or exc.msg.startswith("Unterminated string"):
            problem = TRUNCATED
        else:
            problem = f"this is not valid JSON: {exc.msg}"
        raise FormatError(source, problem, line=exc.lineno, column=exc.colno) from exc
    except ValueError as exc:  # int() refuses > 4300 digits, and json.loads lets it through
        raise FormatError(source, TOO_LONG_NUMBER) from exc
    except RecursionError as exc:
        raise FormatError(source, TOO_DEEP) from exc
