"""Read any saved Fuse answer, choosing JSON or XML by sniffing the content (never the name).

Every failure is a :class:`ReadError`: a :class:`FuseErrorAnswer` for Plum's own error answers,
a :class:`FormatError` (naming the source, what is wrong, and line/column when the parser knows
it) for everything else.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fuse_tui.core.formats.detect import preview, sniff
from fuse_tui.core.formats.document import CallListDocument, Document
from fuse_tui.core.formats.errors import FormatError
from fuse_tui.core.formats.json_reader import parse_json, read_json
from fuse_tui.core.formats.shape import json_type_name
from fuse_tui.core.formats.xml_reader import read_xml
from fuse_tui.core.model import CallLog


def load(data: bytes, *, source: str) -> Document:
    """Read any Fuse answer: one call log, several (all_logs), or a call list."""
    kind = sniff(data)
    if kind == "json":
        return read_json(data, source)
    if kind == "xml":
        return read_xml(data, source)
    if kind == "empty":
        raise FormatError(source, "the file is empty" if not data else "the file is blank")
    if kind == "binary":
        start = preview(data, as_bytes=True)
        raise FormatError(source, f"this is not text (it starts with bytes {start})")
    if kind == "html":
        raise FormatError(
            source,
            "this is an HTML page, not a Fuse answer (a login or proxy error page saved instead "
            "of the API's answer?)",
        )
    # Neither '[', '{' nor '<': a JSON scalar at best.
    try:
        value = parse_json(data, source)
    except FormatError as exc:
        raise FormatError(
            source, f"this is neither JSON nor XML (it starts with {preview(data)})"
        ) from exc
    raise FormatError(
        source,
        f"the top level is {json_type_name(value)}; expected a list of log entries "
        "or a Fuse answer object",
    )


def load_call_log(data: bytes, *, source: str) -> CallLog:
    """Read exactly one call log (an ``/api/call`` answer, or an all_logs answer with one call)."""
    document = load(data, source=source)
    if isinstance(document, CallListDocument):
        raise FormatError(source, "this is a call list (/api/calls), not the log of one call")
    if len(document.logs) != 1:
        raise FormatError(
            source, f"this holds {len(document.logs)} call logs, expected the log of one call"
        )
    return document.logs[0]


def load_file(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise FormatError(str(path), "this is a directory, not a file") from exc
    except FileNotFoundError as exc:
        raise FormatError(str(path), "no such file") from exc
    except OSError as exc:
        raise FormatError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return load(data, source=str(path))


def load_stdin() -> Document:
    return load(sys.stdin.buffer.read(), source="stdin")
