"""Write call logs back out: JSON in the API's shape, XML in Fuse's convention, NDJSON."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from fuse_tui.core.model import CallLog


def dump_json(log: CallLog, *, pretty: bool = True) -> bytes:
    entries = [entry.to_api() for entry in log.entries]
    if pretty:
        return (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return json.dumps(entries, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def dump_ndjson(logs: Iterable[CallLog]) -> bytes:
    lines: list[str] = []
    for log in logs:
        for entry in log.entries:
            record = entry.to_api()
            if log.session_id:
                record["session_id"] = log.session_id
            lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def _xml_value(value: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(value, dict):
        inner = "".join(
            f"{pad}<{k}>{_xml_value(v, indent + 1)}</{k}>\n"
            if not isinstance(v, dict | list) or not v
            else f"{pad}<{k}>\n{_xml_value(v, indent + 1)}{pad}</{k}>\n"
            for k, v in value.items()
        )
        return inner
    if isinstance(value, list):
        return _xml_value_items(value, indent)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return escape(str(value))


def _xml_value_items(items: list[Any], indent: int) -> str:
    pad = "  " * indent
    out = []
    for item in items:
        if isinstance(item, dict | list) and item:
            out.append(f"{pad}<item>\n{_xml_value(item, indent + 1)}{pad}</item>\n")
        else:
            out.append(f"{pad}<item>{_xml_value(item, indent + 1)}</item>\n")
    return "".join(out)


def dump_xml(log: CallLog) -> bytes:
    body = _xml_value_items([entry.to_api() for entry in log.entries], 1)
    return f'<?xml version="1.0"?>\n<result>\n{body}</result>\n'.encode()


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and a rename."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
