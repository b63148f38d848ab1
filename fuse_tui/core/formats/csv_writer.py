"""Export call logs as CSV for spreadsheets: one row per entry.

Columns: session_id, timestamp (epoch seconds), iso_time (UTC, ``2018-06-21T03:44:52Z``),
class, module_type, result_variable, line, data (the event data as compact JSON).
Values are written as they are (no formula neutralising): open untrusted exports with care.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime

from fuse_tui.core.formats.json_writer import json_text
from fuse_tui.core.model import CallLog

CSV_COLUMNS = (
    "session_id",
    "timestamp",
    "iso_time",
    "class",
    "module_type",
    "result_variable",
    "line",
    "data",
)


def iso_utc(timestamp: int | None) -> str:
    if timestamp is None:
        return ""
    try:
        return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return ""


def dump_csv(logs: Iterable[CallLog]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for log in logs:
        for entry in log.entries:
            event = entry.event
            writer.writerow(
                (
                    log.session_id or "",
                    "" if entry.timestamp is None else entry.timestamp,
                    iso_utc(entry.timestamp),
                    "" if entry.class_ is None else entry.class_,
                    event.module_type or "",
                    event.result_variable or "",
                    event.line,
                    "" if event.data is None else json_text(event.data, pretty=False),
                )
            )
    return buffer.getvalue().encode("utf-8", "backslashreplace")
