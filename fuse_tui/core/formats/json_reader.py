"""Read a JSON Fuse answer.

NDJSON (one entry object per line, as ``show -f ndjson`` writes) is read too, grouping
consecutive entries by ``session_id``.

Fast path: a bare array (``/api/call``, by far the common and big case) in UTF-8 is validated
straight from the bytes by pydantic's JSON parser, one slice of about ``CHUNK_BYTES`` at a time
(see :func:`_validated_slices`), with the GC paused and the result frozen (see ``shape.gc_paused``),
and the models compacted (``model.compact_entries``). Validating the whole array at once made
pydantic hold a parse tree of the whole input next to the models (~0.7 GB at 1M entries, kept
by the allocator afterwards); by slices, 1M entries peak at ~1.3 GB instead of 2.6 GB, and the
read is faster than a bare ``json.loads`` of the same bytes (benchmarks/bench_read.py).
Anything else, and any failure of the fast path, goes through ``json.loads`` and
:func:`shape.interpret`, which produce the precise error message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from fuse_tui.core.formats.detect import detect_encoding
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.shape import ENTRIES, gc_paused, interpret, interpret_ndjson
from fuse_tui.core.model import CallLog, LogEntry, compact_entries

# JSON whitespace then '[' (a regex, not bytes.lstrip(), which would copy a 200 MB input).
_ARRAY_START = re.compile(rb"[ \t\r\n]*\[")
# Where one entry may end and the next begin: '}' ',' '{' with JSON whitespace between.
_BETWEEN_OBJECTS = re.compile(rb"\}[ \t\r\n]*,[ \t\r\n]*\{")
# Bytes per slice validated at once (~5,000 entries): big enough that the per-call overhead
# vanishes, small enough that pydantic's parse tree of a slice stays a few MB.
CHUNK_BYTES = 1 << 20
# At most about this many entries per slice: pydantic's bookkeeping for a slice of tiny entries
# (``{}`` is 3 bytes) is ~1 KB each before compaction, so a 1 MB slice of them was ~300 MB.
SLICE_ENTRIES_MAX = 20_000
# After a cut that does not parse, how much further to look for the next one (then x4 each time).
_FIRST_SKIP = 4096
TOO_LONG_NUMBER = "this JSON holds a number too long to read (thousands of digits)"
TOO_DEEP = "the JSON is nested too deeply to read"


def read_json(data: bytes, source: str) -> Document:
    encoding, bom = detect_encoding(data)
    if encoding == "utf-8":
        fast = _try_fast_array(data[bom:] if bom else data, source)
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


def _try_fast_array(data: bytes, source: str) -> Document | None:
    start = _ARRAY_START.match(data)
    if start is None:
        return None
    entries: list[LogEntry] = []
    try:
        with gc_paused(len(data)):
            for part in _validated_slices(data, start.end()):
                compact_entries(part)
                entries += part
    except (ValidationError, ValueError, RecursionError):
        return None  # the slow path explains what is wrong
    return LogsDocument([CallLog(entries=entries, source=source)], "call", "json")


def _validated_slices(data: bytes, start: int) -> Iterator[list[LogEntry]]:
    """The entries of the array whose items begin at ``data[start]``, a slice at a time.

    A slice is cut after a '}' followed by ',' and '{'. Such a cut is usually between two
    top-level entries. When it is not (it falls inside a string, as in a REST body kept as
    text, or inside a nested object), the slice before it ends inside that string or with a
    bracket left open, so it cannot parse: the cut is then tried further on, further each time,
    up to the end of the input. So a slice that parses ends exactly after an entry, and together
    the slices hold the entries of the whole array and accept nothing it would not.
    """
    view = memoryview(data)  # join copies from it once; data[a:b] would copy twice
    end = len(data)
    while True:
        search_from = start + _slice_bytes(data, start)
        skip = 0
        while True:
            cut = _BETWEEN_OBJECTS.search(data, search_from) if search_from < end else None
            if cut is None:
                yield ENTRIES.validate_json(b"".join((b"[", view[start:])))
                return
            try:
                part = ENTRIES.validate_json(b"".join((b"[", view[start : cut.start() + 1], b"]")))
            except ValidationError as exc:
                if exc.errors(include_url=False)[0]["type"] != "json_invalid":
                    raise  # an entry the model refuses: no cut can help
                search_from = cut.start() + 1 + skip
                skip = max(_FIRST_SKIP, skip * 4)
                continue
            yield part
            start = cut.end() - 1
            break


def _slice_bytes(data: bytes, start: int) -> int:
    """CHUNK_BYTES, or less when the entries there are so small it would hold too many."""
    # Each entry ends in '}': their count over-estimates the entries (nested objects count too).
    window = min(CHUNK_BYTES, len(data) - start)
    closes = data.count(b"}", start, start + window)
    if closes <= SLICE_ENTRIES_MAX:
        return CHUNK_BYTES
    return max(1, window * SLICE_ENTRIES_MAX // closes)


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
