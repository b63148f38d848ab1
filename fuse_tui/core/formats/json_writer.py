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
from typing import Any

from fuse_tui.core.formats.document import CallListDocument, Document
from fuse_tui.core.model import CallList, CallLog
from fuse_tui.core.textsafe import FORMAT_CHARS, SURROGATES
from fuse_tui.core.timestamps import raw_text

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
    return _UNSAFE_IN_JSON.sub(_u_escape, text)


def _dumps(value: Any, pretty: bool) -> str:
    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


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
    return _finish(json_text(entries_api(log), pretty=pretty), pretty)


def dump_document_json(document: Document, *, pretty: bool = True) -> bytes:
    return _finish(json_text(document_api(document), pretty=pretty), pretty)


def dump_ndjson(logs: Iterable[CallLog]) -> bytes:
    """One entry per line in the API shape, plus ``session_id`` when the log has one."""
    lines: list[str] = []
    for log in logs:
        for entry in log.entries:
            record = entry.to_api()
            if log.session_id:
                record["session_id"] = log.session_id
            lines.append(json_text(record, pretty=False))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _finish(text: str, pretty: bool) -> bytes:
    return (text + "\n" if pretty else text).encode("utf-8")
