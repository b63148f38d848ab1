"""Sniff the content and read it into the model.

First version: a working baseline that the readers issue hardens (encodings, XML attacks,
line/column errors, performance).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]
from pydantic import ValidationError

from fuse_tui.core.formats.document import CallListDocument, Document, LogsDocument
from fuse_tui.core.formats.errors import FormatError, FuseErrorAnswer
from fuse_tui.core.model import CallList, CallLog, LogEntry


def load(data: bytes, *, source: str) -> Document:
    text_start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not text_start:
        raise FormatError(source, "the file is empty")
    if text_start == b"<":
        return _from_tree(_xml_to_python(data, source), source, "xml")
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError(source, "this is not text (not valid UTF-8)") from exc
    except json.JSONDecodeError as exc:
        raise FormatError(
            source, f"this is not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from exc
    return _from_tree(value, source, "json")


def load_call_log(data: bytes, *, source: str) -> CallLog:
    document = load(data, source=source)
    if isinstance(document, CallListDocument) or len(document.logs) != 1:
        raise FormatError(source, "this is not the detailed log of one call")
    return document.logs[0]


def load_file(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return load(data, source=str(path))


def load_stdin() -> Document:
    return load(sys.stdin.buffer.read(), source="stdin")


def _entries(value: Any, source: str) -> list[LogEntry]:
    if not isinstance(value, list):
        raise FormatError(source, "expected a list of log entries")
    try:
        return [LogEntry.model_validate(item) for item in value]
    except ValidationError as exc:
        raise FormatError(source, f"a log entry has the wrong shape: {exc.errors()[0]['msg']}") from exc


def _from_tree(value: Any, source: str, fmt: str) -> Document:
    if isinstance(value, list):
        return LogsDocument([CallLog(entries=_entries(value, source), source=source)], "call", fmt)
    if isinstance(value, dict):
        if "error" in value and len(value) == 1:
            raise FuseErrorAnswer(source, str(value["error"]))
        if "calls" in value:
            calls = value["calls"] or []
            if isinstance(calls, list) and any(isinstance(c, dict) and "detail" in c for c in calls):
                logs = []
                for call in calls:
                    meta = {k: v for k, v in call.items() if k != "detail"}
                    logs.append(
                        CallLog(
                            session_id=str(call.get("session_id")) if call.get("session_id") else None,
                            entries=_entries(call.get("detail") or [], source),
                            source=source,
                            meta=meta,
                        )
                    )
                return LogsDocument(logs, "all_logs", fmt)
            try:
                return CallListDocument(CallList.model_validate(value), fmt)
            except ValidationError as exc:
                raise FormatError(source, "this call list has the wrong shape") from exc
    raise FormatError(source, "this is neither a Fuse call log nor a known Fuse answer")


def _xml_to_python(data: bytes, source: str) -> Any:
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise FormatError(source, "this is not valid XML", line=line, column=column) from exc
    except Exception as exc:  # defusedxml's refusals (entities, DTDs)
        raise FormatError(source, f"this XML was refused as unsafe: {type(exc).__name__}") from exc
    return _element_value(root)


def _element_value(element: Any) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if all(child.tag == "item" for child in children):
        return [_element_value(child) for child in children]
    return {child.tag: _element_value(child) for child in children}
