"""Read a JSON Fuse answer.

NDJSON (one entry object per line, as ``show -f ndjson`` writes) is read too, grouping
consecutive entries by ``session_id``.

Fast path: a bare array (``/api/call``, by far the common and big case) in UTF-8 is validated
straight from the bytes by pydantic's JSON parser with the GC paused and the result frozen (see
``shape.gc_paused``): at 100k entries that is faster than a bare ``json.loads`` of the same bytes
with the GC on, and about 2x one with the GC paused (benchmarks/bench_read.py). Anything else,
and any failure of the fast path, goes through ``json.loads`` and :func:`shape.interpret`, which
produce the precise error message.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from fuse_tui.core.formats.detect import detect_encoding
from fuse_tui.core.formats.document import Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.shape import ENTRIES, gc_paused, interpret, interpret_ndjson
from fuse_tui.core.model import CallLog

# JSON whitespace then '[' (a regex, not bytes.lstrip(), which would copy a 200 MB input).
_ARRAY_START = re.compile(rb"[ \t\r\n]*\[")
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
    if _ARRAY_START.match(data) is None:
        return None
    try:
        with gc_paused(len(data)):
            entries = ENTRIES.validate_json(data)
    except (ValidationError, ValueError, RecursionError):
        return None  # the slow path explains what is wrong
    return LogsDocument([CallLog(entries=entries, source=source)], "call", "json")


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
