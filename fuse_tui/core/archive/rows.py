"""Encoding a call log and its metadata into the archive's rows.

SQLite holds 64-bit integers and UTF-8 text; the readers keep any integer and any JSON string
(lone surrogates included). What does not fit the indexed columns is stored as unknown or
escaped here; the raw bytes, from which ``ArchivedCall.log`` is read, keep every value as served.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from msgspec import Raw
from pydantic import BaseModel

from fuse_tui.core.archive.fields import EntryView
from fuse_tui.core.model import LogEntry

# SQLite integers are 64-bit; a time beyond them (the readers keep any integer) is stored as
# unknown in the indexed columns. The raw bytes keep the value as served.
SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1
_SQLITE_INT_MIN, _SQLITE_INT_MAX = SQLITE_INT_MIN, SQLITE_INT_MAX


def event_row(session_id: str, seq: int, entry: LogEntry) -> tuple[Any, ...]:
    """The events table's session_id, seq, class, module, timestamp, line and data_text."""
    data = entry.event.data or {}
    return (
        session_id,
        seq,
        storable_text(entry.class_),
        storable_text(entry.event.module_type),
        sqlite_int(entry.timestamp),
        storable_text(entry.event.line or ""),
        storable_text("\n".join(_data_values(data))),
    )


def event_rows(session_id: str, entries: Sequence[LogEntry | EntryView]) -> list[tuple[Any, ...]]:
    """:func:`event_row` of every entry, in order. An ``EntryView`` (``fields``) was decoded by
    msgspec, which reads no lone surrogate: its texts are stored as they are, unchecked."""
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    collect = _collect
    join = "\n".join
    low, high = _SQLITE_INT_MIN, _SQLITE_INT_MAX
    for seq, entry in enumerate(entries):
        if type(entry) is not EntryView:
            append(event_row(session_id, seq, cast(LogEntry, entry)))
            continue
        event = entry.event
        stamp = entry.timestamp
        data = event.data
        if not data:
            text = ""
        else:
            # (Joining the values in C first, falling back on a TypeError, cost more: 4 data
            # in 10 hold a flag or a number.)
            values: list[str] = []
            collect(data, values)
            text = join(values)
        append(
            (
                session_id,
                seq,
                entry.class_,
                event.module_type,
                stamp if stamp is None or low <= stamp <= high else None,
                event.line,
                text,
            )
        )
    return rows


def _data_values(value: Any) -> list[str]:
    """Every scalar inside ``data`` as text (keys left out: they would match every event)."""
    out: list[str] = []
    _collect(value, out)
    return out


def _collect(value: Any, out: list[str]) -> None:
    # An import calls this for every event: exact-type checks first (the JSON readers give
    # dict, list, str, int, float, bool, None), isinstance only for anything else; the usual
    # values of a container (text, flags, numbers, null) without a call each.
    kind = type(value)
    items: Any
    if kind is dict:
        items = value.values()
    elif kind is list or kind is tuple:
        items = value
    elif kind is str:
        if value:
            out.append(value)
        return
    elif isinstance(value, Mapping):
        items = value.values()
    elif isinstance(value, list):
        items = value
    else:
        _collect_scalar(value, out)
        return
    append = out.append
    for item in items:
        kind = type(item)
        if kind is str:
            if item:
                append(item)
        elif kind is bool:
            append("true" if item else "false")
        elif kind is int:
            append(str(item))
        elif item is not None:
            _collect(item, out)


def _collect_scalar(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is bool:
        out.append("true" if value else "false")
    elif kind is Raw:  # a float of api_json.entry_records, as Python writes it: str(float)
        out.append(bytes(value).decode("ascii"))
    elif value is not None:
        text = str(value)
        if text:
            out.append(text)


def sqlite_int(value: int | None) -> int | None:
    if value is None or not _SQLITE_INT_MIN <= value <= _SQLITE_INT_MAX:
        return None
    return value


def storable_text(value: str | None) -> str | None:
    """SQLite text must be UTF-8: a lone surrogate (legal as a JSON ``\\ud800`` escape) is
    stored as that escape. The raw bytes, from which ``ArchivedCall.log`` is read, are untouched."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def normalise_meta(meta: Mapping[str, Any] | BaseModel | None) -> dict[str, Any]:
    if meta is None:
        return {}
    if isinstance(meta, BaseModel):
        return meta.model_dump(exclude_none=True)
    return {k: v for k, v in meta.items() if v is not None and k != "detail"}


def meta_columns(meta: Mapping[str, Any]) -> tuple[Any, ...]:
    """The calls table's src, dest, start, "end", type, number and meta_json for ``meta``."""
    return (
        _str_or_none(meta.get("src")),
        _str_or_none(meta.get("dest")),
        _int_or_none(meta.get("start")),
        _int_or_none(meta.get("end")),
        _str_or_none(meta.get("type")),
        _str_or_none(meta.get("number")),
        storable_text(_META_JSON(meta)),
    )


# json.dumps(meta, ensure_ascii=False, default=str), without building its encoder per call.
_META_JSON = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, int) else int(float(value))
    except (TypeError, ValueError, OverflowError):  # "abc", "nan", "1e400"
        return None
    return sqlite_int(number)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else storable_text(str(value))
