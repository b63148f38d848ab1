"""Export call logs as CSV for spreadsheets: one row per entry.

Columns: session_id, timestamp (epoch seconds), iso_time (UTC, ``2018-06-21T03:44:52Z``),
class, module_type, result_variable, line, data (the event data as compact JSON).

Log lines carry what callers said and typed, so a cell a spreadsheet would run as a formula
(``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``) is written with a leading ``'``, as OWASP
advises for CSV injection: a spreadsheet then shows it as text. Plain numbers (``-1``,
``+18005551234``) are left alone. To get the log's own text back, take one ``'`` off each
cell whose text after its leading ``'`` characters starts with ``= + - @``, a tab or a CR
and is not a plain number (text that itself began ``'=`` was written ``''=``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from fuse_tui.core.formats.json_writer import json_text, standard_json_value
from fuse_tui.core.model import CallLog
from fuse_tui.core.timestamps import to_datetime

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


# What spreadsheets read as the start of a formula (or, for tab and CR, may strip to reach one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Text that already starts with ``'`` before a formula start gets one more, so that taking
    one ``'`` off every cell whose text after its ``'`` characters starts a formula gives back
    exactly the log's text.
    """
    core = cell.lstrip("'")
    if core.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(core):
        return "'" + cell
    return cell


def iso_utc(timestamp: int | None) -> str:
    """The time in UTC, or "" when it is no time (the timestamp column keeps the raw value)."""
    moment = to_datetime(timestamp, utc=True)
    return "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dump_csv(logs: Iterable[CallLog]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for log in logs:
        for entry in log.entries:
            event = entry.event
            writer.writerow(
                (
                    neutralise(log.session_id or ""),
                    "" if entry.timestamp is None else standard_json_value(entry.timestamp),
                    iso_utc(entry.timestamp),
                    neutralise("" if entry.class_ is None else entry.class_),
                    neutralise(event.module_type or ""),
                    neutralise(event.result_variable or ""),
                    neutralise(event.line),
                    "" if event.data is None else json_text(event.data, pretty=False),
                )
            )
    return buffer.getvalue().encode("utf-8", "backslashreplace")
