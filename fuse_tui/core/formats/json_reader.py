"""Read a JSON Fuse answer.

NDJSON (one entry object per line, as ``show -f ndjson`` writes) is read too, grouping
consecutive entries by ``session_id``.

Fast path: a bare array (``/api/call``, by far the common and big case) or NDJSON, in UTF-8, is
read by msgspec into compact entries (``core.entries.CompactEntries``: each entry's JSON text
as a view into the input plus a few columns; the pydantic model is built on access), with the
GC paused and the result frozen (see ``shape.gc_paused``); see ``json_fast``. At 1M entries
that is ~1 s and a few hundred MB instead of 4 s and 1.3 GB (benchmarks/bench_read.py).
Anything else, and any failure of the fast path, goes through ``json.loads`` and
:func:`shape.interpret`, which produce the precise error message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.shape import gc_paused, interpret, interpret_ndjson
from fuse_tui.core.model import CallLog

# JSON whitespace then '[' (a regex, not bytes.lstrip(), which would copy a 200 MB input).
_ARRAY_START = re.compile(rb"[ \t\r\n]*\[")
# NDJSON: the text between leading and trailing blanks, which must start with '{'.
_NDJSON_EDGES = re.compile(rb"[ \t\r\n]*(\{.*\})[ \t\r\n]*\Z", re.DOTALL)
# A line feed and the blanks after it: where one NDJSON record ends. Starting with a literal
# lets the regex engine jump from one to the next (a leading [ \t\r]* made it 10x slower);
# blanks before it stay, which JSON allows before a comma. Lines ended by CR alone do not
# join into an array, so they take the slow road, which reads them.
_LINE_BREAKS = re.compile(rb"\n[ \t\r\n]*")
TOO_LONG_NUMBER = "this JSON holds a number too long to read (thousands of digits)"
TOO_DEEP = "the JSON is nested too deeply to read"


def read_json(data: bytes, source: str) -> Document:
    encoding, bom = detect_encoding(data)
    if encoding == "utf-8":
        body = data[bom:] if bom else data
        fast = _try_fast_array(body, source) or _try_fast_ndjson(body, source)
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
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise FormatError(
                error.source,
                f"this NDJSON line is not valid JSON: {exc.msg}",
                line=number,
                column=exc.colno,
            ) from exc
        except ValueError as exc:
            raise FormatError(error.source, TOO_LONG_NUMBER, line=number, column=1) from exc
        except RecursionError as exc:
            raise FormatError(error.source, TOO_DEEP, line=number, column=1) from exc
    return records


def is_array(data: bytes) -> bool:
    """Whether the JSON text ``data`` starts as an array."""
    return _ARRAY_START.match(data) is not None


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


def _try_fast_ndjson(data: bytes, source: str) -> Document | None:
    """NDJSON read by msgspec into compact entries; None: the slow road decides."""
    found = ndjson_array(data)
    if found is None:
        return None
    raws, lines = found
    if len(raws) != lines:
        return None
    try:
        with gc_paused(len(data)):
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
        if not text[exc.pos :].strip():
            problem = "the JSON ends too early (truncated?)"
        else:
            problem = f"this is not valid JSON: {exc.msg}"
        raise FormatError(source, problem, line=exc.lineno, column=exc.colno) from exc
    except ValueError as exc:  # int() refuses > 4300 digits, and json.loads lets it through
        raise FormatError(source, TOO_LONG_NUMBER) from exc
    except RecursionError as exc:
        raise FormatError(source, TOO_DEEP) from exc
