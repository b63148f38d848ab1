"""Write call logs as JSON in the API's own shape (pretty or compact) and as NDJSON.

Characters that could act on a terminal or reorder text (DEL, C1 controls, bidi overrides, line
separators) and lone surrogates are written as ``\\uXXXX`` escapes: the same JSON value, but
safe to print and always valid UTF-8. C0 controls are escaped by ``json`` itself.

The output is always standard JSON (RFC 8259). A value it cannot hold as a number — ``NaN``,
``Infinity`` and ``-Infinity`` (a source's ``1e999`` reads as infinity), or an integer longer
than Python's ``str()`` writes (4,300 digits) — is written as a string of its text:
``"Infinity"``, ``"NaN"``, ``"999…"``. Read back, such a string stays that string (the model
refuses it as an entry's timestamp, as it refuses the number), and writes the same again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec

from fuse_tui.core.formats.document import CallListDocument, Document, LogsDocument
from fuse_tui.core.textsafe import FORMAT_CHARS, SURROGATES
from fuse_tui.core.timestamps import raw_text

if TYPE_CHECKING:  # json_text needs no model (`show -d` of a plain log loads none)
    from fuse_tui.core.model import CallList, CallLog

_UNSAFE_IN_JSON = re.compile(f"[{FORMAT_CHARS}{SURROGATES}]")


def _u_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def json_text(value: Any, *, pretty: bool = True) -> str:
    """``value`` as standard JSON text, terminal-unsafe characters escaped and numbers JSON
    cannot carry written as strings (see the module docstring)."""
    try:
        text = _dumps(value, pretty)
    except ValueError:  # NaN or ±Infinity (allow_nan=False), or a number too long for str()
        text = _dumps(standard_json_value(value), pretty)
    return unsafe_escaped(text)


def unsafe_escaped(text: str) -> str:
    """JSON ``text`` with its terminal-unsafe characters written as ``\\uXXXX`` escapes."""
    return _UNSAFE_IN_JSON.sub(_u_escape, text)


def _dumps(value: Any, pretty: bool) -> str:
    compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    if not pretty:
        return compact
    # The bytes of json.dumps(indent=2) (a property test checks it), from the compact text:
    # Python's indenting encoder is pure Python, ~10x slower than its compact one.
    indented = _indented(compact)
    if indented is None:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return indented


def _indented(compact: str) -> str | None:
    """Compact JSON text indented as ``json.dumps(indent=2)`` does; None if msgspec cannot
    (a lone surrogate: not UTF-8, and refused as a ``\\uXXXX`` escape)."""
    try:
        return msgspec.json.format(compact, indent=2)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return None


def standard_json_value(value: Any) -> Any:
    """``value`` with every number standard JSON (or Python's ``json``) cannot write replaced
    by a string of its text: ``"NaN"``, ``"Infinity"``, ``"-Infinity"``, or all the digits of an
    integer longer than ``str()`` writes. Everything else is the same object."""
    if isinstance(value, float) and not math.isfinite(value):
        return raw_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            str(value)
        except ValueError:
            return str(Decimal(value))  # Decimal has no digit limit
        return value
    if isinstance(value, dict):
        return {key: standard_json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [standard_json_value(item) for item in value]
    return value


def entries_api(log: CallLog) -> list[dict[str, Any]]:
    return [entry.to_api() for entry in log.entries]


def all_logs_api(logs: Iterable[CallLog]) -> dict[str, Any]:
    """Several logs in the ``/api/all_logs`` shape: their metadata plus ``detail``."""
    calls = []
    for log in logs:
        call = dict(log.meta)
        if log.session_id is not None:
            call["session_id"] = log.session_id
        call["detail"] = entries_api(log)
        calls.append(call)
    return {"calls": calls}


# The key order of Plum's own /api/calls example.
_CALL_KEY_ORDER = ("dest", "src", "start", "end", "session_id", "type", "log")


def call_list_api(calls: CallList) -> dict[str, Any]:
    """A call list in the ``/api/calls`` shape, keys in the order Plum's example uses."""
    dumped = calls.model_dump(mode="json")
    ordered = []
    for call in dumped["calls"]:
        known = {key: call[key] for key in _CALL_KEY_ORDER if key in call}
        ordered.append({**known, **{k: v for k, v in call.items() if k not in known}})
    return {**dumped, "calls": ordered}


def document_api(document: Document) -> Any:
    """The API shape a document came in: an entry array, an all_logs object or a call list."""
    if isinstance(document, CallListDocument):
        return call_list_api(document.calls)
    if document.kind == "all_logs":
        return all_logs_api(document.logs)
    if len(document.logs) == 1:
        return entries_api(document.logs[0])
    return all_logs_api(document.logs)


def dump_json(log: CallLog, *, pretty: bool = True) -> bytes:
    """One call log as the ``/api/call`` answer: an array of entries."""
    from fuse_tui.core.formats.api_json import entry_lines  # it builds on this module

    compact = b"[" + b",".join(entry_lines(log.entries)) + b"]"
    if not pretty:
        return compact
    try:
        return msgspec.json.format(compact, indent=2) + b"\n"  # as _dumps indents
    except (msgspec.DecodeError, RecursionError):  # a lone surrogate escape, deep nesting
        return _finish(json_text(entries_api(log), pretty=True), pretty)


def dump_document_json(document: Document, *, pretty: bool = True) -> bytes:
    if (
        isinstance(document, LogsDocument)
        and document.kind != "all_logs"
        and len(document.logs) == 1
    ):  # one call's entries (see document_api): the fast way
        return dump_json(document.logs[0], pretty=pretty)
    return _finish(json_text(document_api(document), pretty=pretty), pretty)


def dump_ndjson(logs: Iterable[CallLog]) -> bytes:
    """One entry per line in the API shape, plus ``session_id`` when the log has one."""
    from fuse_tui.core.formats.api_json import entry_lines  # it builds on this module

    lines: list[bytes] = []
    for log in logs:
        lines.extend(entry_lines(log.entries, log.session_id or None))
    return b"\n".join(lines) + (b"\n" if lines else b"")


def _finish(text: str, pretty: bool) -> bytes:
    return (text + "\n" if pretty else text).encode("utf-8")
