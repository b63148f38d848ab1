"""An all_logs dump of plain JSON read on the fast road: msgspec, no model per entry.

The slow road reads an all_logs answer (``{"calls": [{…, "detail": [entries]}]}``) with
``json.loads`` and a pydantic model per entry: at 1M events that was most of an archive import,
and four times a one-call log's read in ``show`` and the TUI. Here the dump is cut by msgspec
into views (``msgspec.Raw``) of each call and each entry, and every call's entries go into
:class:`~fuse_tui.core.entries.CompactEntries` through ``json_fast.add_entries`` — the road a
bare ``/api/call`` answer takes, whose entries are the models the slow road builds (its own
property tests say so).

The document is the one the slow road gives (``shape.interpret`` of ``json.loads``): the same
calls in order, each with its session ID, metadata and entries. Only the plain case is read
here: UTF-8 without a BOM, an object with a ``calls`` array of objects of which one at least
has ``detail``, every ``detail`` an array (or null / ``""``: no entries), every entry one the
fast road takes, every value one msgspec reads as ``json`` does. Anything else — a call that
cannot be read (the slow road names it as a problem), odd numbers, lone surrogates — returns
None, and ``json_reader`` reads the dump the slow, exact way.
"""

from __future__ import annotations

from typing import Any

import msgspec

from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.detect import detect_encoding, sniff
from fuse_tui.core.formats.document import LogsDocument
from fuse_tui.core.formats.shape import gc_paused
from fuse_tui.core.model import CallLog

_OBJECT_RAWS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_ANY = msgspec.json.Decoder()
_RAWS = msgspec.json.Decoder(list[msgspec.Raw]).decode
_BLANKS = b" \t\r\n"


def read_all_logs(data: bytes, source: str) -> LogsDocument | None:
    """The all_logs dump ``data`` as the slow road reads it, or None when it is not the plain
    case (see the module docstring)."""
    calls = plain_dump_calls(data)
    if calls is None:
        return None
    try:
        with gc_paused(len(data)):
            logs = _call_logs(calls, source)
    except (msgspec.DecodeError, ValueError, RecursionError, json_fast.NotFast):
        return None
    if logs is None:
        return None
    return LogsDocument(logs, "all_logs", "json")


def plain_dump_calls(data: bytes) -> list[dict[str, msgspec.Raw]] | None:
    """The calls of the all_logs dump ``data``, each an object cut into its values (not
    decoded), when the dump passes :func:`read_all_logs`'s checks of the whole (UTF-8 without
    a BOM, an object with a ``calls`` array of objects, one at least with ``detail``, no number
    too long): else None. Its calls' entries are not looked at."""
    start = len(data) - len(data.lstrip(_BLANKS)) if data[:1] in (b" ", b"\t", b"\r", b"\n") else 0
    if data[start : start + 1] != b"{" or detect_encoding(data) != ("utf-8", 0):
        return None
    # Every JSON object now comes here first (load): a call list or an error answer, with no
    # "detail" key spelt plainly, goes to the slow road without being decoded twice (one that
    # spells it with \u escapes is read there the same).
    if b'"detail"' not in data:
        return None
    if sniff(data) != "json" or json_fast.has_too_long_number(data):
        return None
    try:
        # Once for the whole dump, not per call (array_raws checks what it is given): every
        # value cut out of valid UTF-8 at JSON's ASCII delimiters is valid UTF-8.
        json_fast.check_utf8(data)
        top = _OBJECT_RAWS.decode(data)
        calls_raw = top.get("calls")
        if calls_raw is None or not _starts_with(calls_raw, b"["):
            return None
        calls = [_OBJECT_RAWS.decode(call) for call in _RAWS(calls_raw)]
    except (msgspec.DecodeError, ValueError, RecursionError, json_fast.NotFast):
        return None
    if not any("detail" in call for call in calls):
        return None
    return calls


def call_parts(
    call: dict[str, msgspec.Raw],
) -> tuple[dict[str, Any], msgspec.Raw | None, list[msgspec.Raw]] | None:
    """A call of :func:`plain_dump_calls` as :func:`read_all_logs` reads it: its metadata
    (decoded), its ``detail`` array's text (None when it has none) and that array's entries
    (cut out, not decoded); None when ``detail`` is neither an array nor ``""`` or null (the
    slow road names that call as a problem). Raises what msgspec raises for a value it
    refuses (then read_all_logs declines the dump)."""
    meta: dict[str, Any] = {}
    detail: msgspec.Raw | None = None
    for key, raw in call.items():
        if key == "detail":
            detail = raw
        else:
            meta[key] = _value(raw)
    if detail is not None and _starts_with(detail, b"["):
        return meta, detail, _RAWS(detail)  # as array_raws, the dump checked
    if detail is not None and _ANY.decode(detail) not in ("", None):
        return None
    return meta, None, []


def _starts_with(raw: msgspec.Raw, opening: bytes) -> bool:
    return bytes(memoryview(raw)[:1]) == opening


# Calls whose entries are read into one CompactEntries, then sliced into each call's. A
# sequence of its own per call met each class and module type as new (the slow way in, once
# per class per call: half of a 1M-event dump's entries); in a shared one, once per group.
# Small, as a slice scans the group's entries of odd timestamps (see CompactEntries._part).
_CALLS_PER_GROUP = 16


def _call_logs(calls: list[dict[str, msgspec.Raw]], source: str) -> list[CallLog] | None:
    """The calls of the dump, each as ``shape._all_logs_call`` reads it; None: the slow road."""
    logs: list[CallLog] = []
    for first in range(0, len(calls), _CALLS_PER_GROUP):
        raws: list[msgspec.Raw] = []
        read: list[tuple[dict[str, Any], int, int]] = []  # (metadata, its entries' span)
        for call in calls[first : first + _CALLS_PER_GROUP]:
            parts = call_parts(call)
            if parts is None:
                return None  # not a list: the slow road names the problem
            meta, _detail, entries = parts
            start = len(raws)
            raws += entries
            read.append((meta, start, len(raws)))
        group = CompactEntries()
        json_fast.add_entries(group, raws)
        for meta, start, stop in read:
            session = meta.get("session_id")
            session_id = None if session is None or session == "" else str(session)
            logs.append(
                CallLog(session_id=session_id, entries=group[start:stop], source=source, meta=meta)
            )
    return logs


def _value(raw: msgspec.Raw) -> Any:
    """A metadata value as ``json.loads`` reads it: both read integers of any size as ints and
    round floats correctly; what msgspec refuses (1e999, which json reads as inf; a lone
    surrogate escape) raises, and the caller takes the slow road."""
    return _ANY.decode(raw)
