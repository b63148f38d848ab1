"""What copy and export put out, from a log view: the bytes/text, built by the core writers."""

from __future__ import annotations

from fuse_tui.core import formats
from fuse_tui.core.formats.json_writer import json_text
from fuse_tui.core.model import CallLog, LogEntry

EXPORT_FORMATS = ("json", "xml", "ndjson", "csv")


def entry_json(entry: LogEntry) -> str:
    """One entry as the API's JSON, with every control and format character ``\\u``-escaped (the
    JSON writer's rule): the same value, but safe to paste into a terminal."""
    return json_text(entry.to_api(), pretty=True)


def shown_log(log: CallLog, entries: list[LogEntry]) -> CallLog:
    """The log as shown: same identity and metadata, only the entries that pass the filter."""
    return CallLog(session_id=log.session_id, entries=entries, source=log.source, meta=log.meta)


def export_bytes(log: CallLog, fmt: str) -> bytes:
    """``log`` in ``fmt`` through the core writers; ValueError for a format they lack."""
    if fmt == "json":
        return formats.dump_json(log)
    if fmt == "xml":
        return formats.dump_xml(log)
    if fmt == "ndjson":
        return formats.dump_ndjson([log])
    if fmt == "csv":
        return formats.dump_csv([log])
    raise ValueError(f"unknown export format {fmt!r}")
