"""Entries as compact API JSON, one ``bytes`` per entry, without building a model per entry.

The writers' rules (``json_writer``'s docstring) define the output: ``entry.to_api()`` written
by ``json_text(…, pretty=False)``. Building a pydantic model per entry only to dump it again is
most of what ``show -f ndjson`` of a big log costs, so an entry that a reader kept as its JSON
text (``CompactEntries``, see ``core.entries``) is written from that text: decoded by msgspec,
its keys put in the order ``to_api`` gives (the model's fields ``event``, ``class``,
``timestamp`` — and ``line``, ``data`` in the event — first, then the others as they came), and
encoded again. The reader accepted the text only if the model takes it as it is (a *plain*
entry: text ``line``, object ``data``, integer ``timestamp``, text ``class``), so the values are
the model's. Floats are written as Python's ``json`` writes them (its repr, not msgspec's
form). Where the model or ``json`` would read or write something else — a number of more than
4300 digits, a key the model reads as a field name (``class_``) — the entry takes the model's
road. Terminal-unsafe characters are escaped as ``json_text`` escapes them. A property test
checks that both roads give the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from fuse_tui.core.formats.json_writer import json_text, unsafe_escaped
from fuse_tui.core.model import LogEntry


def _python_float(text: str) -> msgspec.Raw:
    """A JSON float as Python's ``json`` writes it (``float.__repr__``: 1e+16, 1e-05), which is
    not msgspec's own form (1e16, 0.00001). Infinite (1e999): the model's road instead."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a standard JSON number")
    return msgspec.Raw(repr(value).encode("ascii"))


_DECODE = msgspec.json.Decoder(float_hook=_python_float).decode


class ApiEvent(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A plain entry's ``event`` as decoded by :func:`entry_records`: its fields in the order
    ``to_api`` writes them, UNSET when absent (and then not written)."""

    line: Any = msgspec.UNSET
    data: Any = msgspec.UNSET


class ApiEntry(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """A plain entry (no key but the model's fields, an object or null ``event`` with no key
    but ``line`` and ``data``) as decoded by :func:`entry_records`; encoded, it is the entry
    in ``to_api``'s order (see :func:`records_json`)."""

    event: ApiEvent | msgspec.UnsetType | None = msgspec.UNSET
    class_: Any = msgspec.field(name="class", default=msgspec.UNSET)
    timestamp: Any = msgspec.UNSET


# Values typed Any are read as _DECODE reads them (floats through the same hook). The archive
# import reads and writes a dump's plain calls with these two (archive/transfer.py).
decode_plain_records = msgspec.json.Decoder(list[ApiEntry], float_hook=_python_float).decode
_ENCODE = msgspec.json.Encoder().encode
# Python writes no int longer than this (sys.get_int_max_str_digits); json_text writes a string.
_MOST_DIGITS = 4300
# A run of more digits than that, found as a run of zeros once every digit is a zero (a
# substring search in C: a regex over a whole call's entries read each digit many times).
_LONG_DIGITS = b"0" * (_MOST_DIGITS + 1)
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_ENTRY_FIELDS = ("event", "class", "timestamp")
_EVENT_FIELDS = ("line", "data")
# A key the model reads as its field ``class`` although it is not the JSON name (populate_by_name).
_FIELD_NAME_NOT_ALIAS = "class_"
# What a CompactEntries keeps of an entry read as JSON text (no model among them).
_TEXT_TYPES = frozenset({msgspec.Raw, bytes, memoryview})


def raw_items(entries: Sequence[LogEntry]) -> Sequence[Any] | None:
    """The JSON texts (or models) a ``CompactEntries`` holds, in order; None for other sequences."""
    from fuse_tui.core.entries import CompactEntries

    if not isinstance(entries, CompactEntries):
        return None
    return entries.raw_items()


def entry_lines(entries: Sequence[LogEntry], session_id: str | None = None) -> Iterator[bytes]:
    """Each entry as ``json_text(entry.to_api() [+ session_id], pretty=False)`` in UTF-8."""
    items = raw_items(entries)
    if items is None:
        for entry in entries:
            yield _model_line(entry, session_id)
        return
    drop_key = getattr(entries, "drop_key", None)
    for index in range(len(items)):  # the entries there are now, as iterating them gives
        item = items[index]
        line = None if isinstance(item, LogEntry) else _raw_line(item, drop_key, session_id)
        yield line if line is not None else _model_line(entries[index], session_id)


def _model_line(entry: LogEntry, session_id: str | None) -> bytes:
    record = entry.to_api()
    if session_id:
        record["session_id"] = session_id
    return json_text(record, pretty=False).encode("utf-8")


def _raw_line(raw: Any, drop_key: str | None, session_id: str | None) -> bytes | None:
    """The line of a plain entry's JSON text, or None when the model's road must write it."""
    try:
        record = _DECODE(raw)
    except (msgspec.DecodeError, RecursionError):
        return None
    if type(record) is not dict or _FIELD_NAME_NOT_ALIAS in record:
        return None
    if drop_key is not None:
        record.pop(drop_key, None)
    ordered = _api_order(record)
    if ordered is None:
        return None
    if session_id:
        ordered["session_id"] = session_id
    return encoded_records(ordered)


def _api_order(record: Any) -> dict[str, Any] | None:
    """A decoded entry with its keys in ``to_api``'s order; None when the model's road must
    write it (not an object, a ``class_`` key, an ``event`` that is not an object)."""
    if type(record) is not dict or _FIELD_NAME_NOT_ALIAS in record:
        return None
    event = record.get("event")
    if event is not None:
        if type(event) is not dict:
            return None
        record["event"] = _fields_first(event, _EVENT_FIELDS)
    return _fields_first(record, _ENTRY_FIELDS)


def encoded_records(value: Any) -> bytes | None:
    """``value`` (an entry, or a list of them, in ``to_api``'s order) as ``json_text`` writes
    it; None when the model's road must write it. On a list: the entries' lines joined, as
    nothing the checks below look at spans two entries."""
    try:
        line = _ENCODE(value)
    except (msgspec.EncodeError, RecursionError, UnicodeError):
        return None
    if len(line) > _MOST_DIGITS and _LONG_DIGITS in line.translate(_DIGITS_AS_ZEROS):
        return None
    if not line.isascii() or b"\x7f" in line:
        line = unsafe_escaped(line.decode("utf-8")).encode("utf-8")
    return line


def entry_records(entries: Sequence[LogEntry]) -> list[Any] | None:
    """Every entry of a ``CompactEntries`` decoded from its JSON text in one msgspec decode
    (each an :class:`ApiEntry` when every one is plain, else a dict; floats as ``msgspec.Raw``
    of Python's form of them), for a writer that
    reads them more than once (``archive import``: the stored answer, the rows). None when one
    entry is kept as a model, a key is dropped, or msgspec refuses a value (1e400, a lone
    surrogate): then each entry takes its own road."""
    items = raw_items(entries)
    if items is None or getattr(entries, "drop_key", None) is not None:
        return None
    if not set(map(type, items)) <= _TEXT_TYPES and any(
        isinstance(item, LogEntry) for item in items
    ):
        return None
    joined = b"[" + b",".join(items) + b"]"
    records: list[Any]
    try:
        records = decode_plain_records(joined)  # the usual entries: as ApiEntry
    except msgspec.ValidationError:  # another key, an event that is not an object, 1e400…
        try:
            records = _DECODE(joined)  # then each as a dict
        except (msgspec.DecodeError, RecursionError):
            return None
    except (msgspec.DecodeError, RecursionError):
        return None
    return records if len(records) == len(items) else None


def records_json(records: list[Any]) -> bytes | None:
    """``dump_json(log, pretty=False)`` of the log whose entries' :func:`entry_records` these
    are, from them: ``b"[" + b",".join(entry_lines(entries)) + b"]"``. None when one entry
    takes the model's road (then :func:`entry_lines` writes them, each its own way). Reorders
    the records' keys in place (their values stay as they are)."""
    if records and type(records[0]) is ApiEntry:
        return encoded_records(records)  # every one an ApiEntry: written in to_api's order
    # _api_order of each record, inlined for the usual entry (its keys in the model's order
    # already): an import runs this once per entry.
    entry_fields, event_fields = _ENTRY_FIELDS, _EVENT_FIELDS
    for index, record in enumerate(records):
        if type(record) is not dict:
            return None
        keys = tuple(record)
        if keys[:3] != entry_fields or _FIELD_NAME_NOT_ALIAS in record:
            ordered = _api_order(record)
            if ordered is None:
                return None
            records[index] = ordered
            continue
        event = record["event"]
        if event is None:
            continue
        if type(event) is not dict:
            return None
        if tuple(event)[:2] != event_fields:
            record["event"] = _fields_first(event, event_fields)
    return encoded_records(records)


def _fields_first(value: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``value`` with ``fields`` first, in that order, then its other keys as they came (the
    order pydantic's dump gives a model with extra keys)."""
    keys = tuple(value)
    if keys[: len(fields)] == fields:  # the usual entry: every field, in the model's order
        return value
    present = tuple(key for key in fields if key in value)
    if keys[: len(present)] == present:
        return value
    ordered = {key: value[key] for key in present}
    ordered.update(value)  # the fields keep their places; the others follow in order
    return ordered
