"""What the archive reads of each entry it stores, without building a pydantic model per entry.

Storing a call reads every entry's class, timestamp, line and data (the events rows, the FTS
text) and its module and result variable (the call's steps). For entries a reader kept as
JSON text (``core.entries.CompactEntries``: the JSON readers' fast road, which keeps only
*plain* entries that way — text or null ``class``, integer or null ``timestamp``, an ``event``
object with a text ``line`` and an object or null ``data``) those come from one msgspec decode
of the text, which gives the values the model holds. Entries kept as models, and entries of
any other sequence, are used as they are.

Unlike ``CompactEntries.fields()`` the view keeps ``class_`` exactly as read: ``""`` and
``"unknown"`` stay what they are (the events table stores the class as read).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import msgspec

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats.api_json import ApiEntry, entry_records
from fuse_tui.core.model import LogEntry

# The values whose str() is the same whoever decoded them.
_PLAIN_TEXT = frozenset({str, type(None), int, bool})
_DECODE = msgspec.json.Decoder().decode
UNSET = msgspec.UNSET


class EventView(msgspec.Struct, gc=False):
    """An entry's ``event`` as the model reads it: ``line``, ``data``, ``module_type``.
    (Structs: built in C, untracked by the GC; one per entry of an import.)"""

    line: str
    data: dict[str, Any] | None
    module_type: str | None


class EntryView(msgspec.Struct, gc=False):
    """An entry as the model reads it: ``class_`` (as read, None when absent), ``timestamp``
    and ``event``. Read only."""

    class_: str | None
    timestamp: int | None
    event: EventView


_NO_EVENT = EventView("", None, None)


def entry_views(
    entries: Sequence[LogEntry], records: list[Any] | None = None
) -> Sequence[LogEntry]:
    """``entries`` for reading their fields (see the module docstring), in a list.

    ``records``: the entries' ``api_json.entry_records`` when the caller has them (an import
    writes the stored answer from them too: each entry is decoded once); else they are
    decoded here."""
    if not isinstance(entries, CompactEntries):
        return entries if isinstance(entries, list) else list(entries)
    if records is None:
        records = entry_records(entries)
    if records and type(records[0]) is ApiEntry:
        views = _plain_views(records)
        if None not in views:  # every one plain (the usual call)
            return cast(list[LogEntry], views)
        return cast(
            list[LogEntry],
            [entries[i] if view is None else view for i, view in enumerate(views)],
        )
    if records is not None:
        views = [_view(record, None) if type(record) is dict else None for record in records]
        return cast(
            list[LogEntry],
            [entries[i] if view is None else view for i, view in enumerate(views)],
        )
    items = entries.raw_items()
    drop_key = entries.drop_key
    out: list[Any] = []
    append = out.append
    for index, raw in enumerate(items):
        if isinstance(raw, LogEntry):
            append(raw)
            continue
        try:
            record = _DECODE(raw)
        except msgspec.DecodeError:  # what the reader took but msgspec's Any refuses (1e400)
            view = None
        else:
            view = _view(record, drop_key) if type(record) is dict else None
        append(view if view is not None else entries[index])
    return cast(list[LogEntry], out)


def _view(record: dict[str, Any], drop_key: str | None) -> EntryView | None:
    """The view of a plain entry's decoded JSON; None when it is not plain after all."""
    if drop_key is not None and drop_key in record:
        record = {key: value for key, value in record.items() if key != drop_key}
    class_ = record.get("class")
    stamp = record.get("timestamp")
    if "class_" in record or not (class_ is None or type(class_) is str):
        return None
    if not (stamp is None or type(stamp) is int):
        return None
    if "event" not in record:
        return EntryView(class_, stamp, _NO_EVENT)
    event = record["event"]
    if type(event) is not dict:
        return None
    return _event_view(class_, stamp, event.get("line", ""), event.get("data"))


def _plain_views(records: list[ApiEntry]) -> list[EntryView | None]:
    """:func:`_plain_view` of each record. An import runs this once per entry: the usual
    entry (text or null class, integer timestamp, text line, data an object whose module and
    result variable are text or null) is read inline, without two calls each; any other takes
    :func:`_plain_view`, which gives the same view for the usual one."""
    out: list[EntryView | None] = []
    append = out.append
    unset, plain_text = UNSET, _PLAIN_TEXT
    for record in records:
        class_, stamp, event = record.class_, record.timestamp, record.event
        if (
            (class_ is None or type(class_) is str)
            and (stamp is None or type(stamp) is int)
            and event is not unset
            and event is not None
        ):
            line, data = event.line, event.data
            if type(line) is str:
                if data is None or data is unset or (not data and type(data) is dict):
                    append(
                        EntryView(
                            class_, stamp, EventView(line, None if data is unset else data, None)
                        )
                    )
                    continue
                if type(data) is dict:
                    module = data.get("module_type")
                    if (module is None or type(module) is str) and type(
                        data.get("result_variable")
                    ) in plain_text:
                        append(EntryView(class_, stamp, EventView(line, data, module)))
                        continue
        append(_plain_view(record))
    return out


def _plain_view(record: ApiEntry) -> EntryView | None:
    """:func:`_view` of an entry decoded as an ``ApiEntry`` (UNSET: the key was absent)."""
    class_, stamp, event = record.class_, record.timestamp, record.event
    if class_ is UNSET:
        class_ = None
    elif not (class_ is None or type(class_) is str):
        return None
    if stamp is UNSET:
        stamp = None
    elif not (stamp is None or type(stamp) is int):
        return None
    if event is UNSET:
        return EntryView(class_, stamp, _NO_EVENT)
    if event is None:
        return None  # as _view: an event that is not an object
    line, data = event.line, event.data
    return _event_view(
        class_, stamp, "" if line is UNSET else line, None if data is UNSET else data
    )


def _event_view(class_: str | None, stamp: int | None, line: Any, data: Any) -> EntryView | None:
    if type(line) is not str or not (data is None or type(data) is dict):
        return None
    if not data:
        return EntryView(class_, stamp, EventView(line, data, None))
    module = data.get("module_type")
    if not (type(module) in _PLAIN_TEXT and type(data.get("result_variable")) in _PLAIN_TEXT):
        # The steps read these two as text (str()): from a float, or a list or object that may
        # hold one, the model's (entry_records keeps floats as Raw, whose str() is not theirs).
        return None
    if not (module is None or type(module) is str):
        module = str(module)  # as Event.module_type reads it
    return EntryView(class_, stamp, EventView(line, data, module))
