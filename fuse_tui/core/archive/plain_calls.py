"""A call of an all_logs dump straight from its JSON text into what the archive writes.

The import's usual road reads the dump into logs (``formats.json_all_logs``: each entry cut
out and checked into a ``CompactEntries``), then decodes each call's entries again
(``api_json.entry_records``), makes a view of each (``fields.entry_views``) and walks them
once for the events rows and again for the steps. At 1M events those passes were most of an
import. Here a call's ``detail`` is decoded once, by msgspec, into the very records
``entry_records`` gives, and one walk over them gives the events rows, the class counts, the
time span, the application and the steps.

Only the usual entry is read here: text or null ``class``, integer or null ``timestamp``, an
``event`` object with a text ``line`` and a ``data`` that is absent, null or an object whose
``module_type`` is text or null and whose ``result_variable`` is text, an integer, a flag or
null; and every timestamp of the call in seconds. For such entries the usual road keeps each
as its JSON text and ``fields._plain_views`` reads it inline; their values here are exactly
the ones it reads. Any other call gives None, and the usual road reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import msgspec

from fuse_tui.core.archive.prepared import PreparedCall
from fuse_tui.core.archive.records import StoredAnswer
from fuse_tui.core.archive.rows import SQLITE_INT_MAX, SQLITE_INT_MIN, _collect
from fuse_tui.core.archive.stats import _START_PREFIX, START_LINE
from fuse_tui.core.entries import CompactEntries
from fuse_tui.core.formats import json_fast
from fuse_tui.core.formats.api_json import ApiEntry
from fuse_tui.core.model import LogEntry, plainly_seconds
from fuse_tui.core.steps import step_duration
from fuse_tui.core.timestamps import epoch_seconds, same_unit_span

_UNSET = msgspec.UNSET
_RAWS = msgspec.json.Decoder(list[msgspec.Raw]).decode
# What fields._plain_views takes inline as a result variable (str() gives the same text).
_PLAIN_VARIABLE = frozenset({str, type(None), int, bool})


def plain_call(
    session_id: str,
    meta: dict[str, Any],
    records: list[ApiEntry],
    answer: StoredAnswer,
    origin: str,
    when: float,
) -> PreparedCall | None:
    """The call of ``session_id`` whose entries ``records`` are (``api_json.entry_records``'s
    ApiEntry records), its raw answer ``answer``'s, as ``preparing.prepare`` makes it of the
    usual road's answer; None when one entry is not the usual one (see the module
    docstring)."""
    if not records:
        return None
    rows: list[tuple[Any, ...]] = []
    kinds: list[str] = []
    stamps: list[int | None] = []
    steps: list[tuple[Any, ...]] = []
    add_row, add_kind, add_stamp, add_step = rows.append, kinds.append, stamps.append, steps.append
    unset, plain_variable, collect, join = _UNSET, _PLAIN_VARIABLE, _collect, "\n".join
    low, high = SQLITE_INT_MIN, SQLITE_INT_MAX
    app = version = None
    seeking_app = True
    # The step under way (steps.step_rows, each entry's moment its timestamp: checked below).
    current: Any = None
    first = 0
    start: int | None = None
    end: int | None = None
    for seq, record in enumerate(records):
        class_, stamp, event = record.class_, record.timestamp, record.event
        if not (
            (class_ is None or type(class_) is str)
            and (stamp is None or type(stamp) is int)
            and event is not unset
            and event is not None
        ):
            return None
        line, data = event.line, event.data
        if type(line) is not str:
            return None
        if data is None or data is unset or (not data and type(data) is dict):
            module = None
            key = None
            text = ""
        elif type(data) is dict:
            module = data.get("module_type")
            variable = data.get("result_variable")
            if not (module is None or type(module) is str) or type(variable) not in plain_variable:
                return None
            if module is None and variable is None:
                key = None
            else:
                key = (
                    module,
                    variable if variable is None or type(variable) is str else str(variable),
                )
            # rows._collect(data) inlined for the usual values (text, integers, flags, null);
            # any other (a float, a list, an object) and the rest are collected as it does.
            values: list[str] = []
            add_value = values.append
            items = iter(data.values())
            for value in items:
                kind = type(value)
                if kind is str:
                    if value:
                        add_value(value)
                elif kind is int:
                    add_value(str(value))
                elif kind is bool:
                    add_value("true" if value else "false")
                elif value is not None:
                    collect([value, *items], values)
                    break
            text = join(values)
        else:
            return None
        if seeking_app and line.startswith(_START_PREFIX) and (found := START_LINE.match(line)):
            app, version = found["app"], found["version"]
            seeking_app = False
        add_row(
            (
                session_id,
                seq,
                class_,
                module,
                stamp if stamp is None or low <= stamp <= high else None,
                line,
                text,
            )
        )
        add_kind(class_ or "unknown")
        add_stamp(stamp)
        if seq == 0:
            current = key
        elif key is not None and key != current:
            name, var = current if current is not None else (None, None)
            add_step((name, var, first, start, end))
            current, first, start, end = key, seq, None, None
        if stamp is not None:
            if start is None:
                start = stamp
            end = stamp
    name, var = current if current is not None else (None, None)
    add_step((name, var, first, start, end))
    present = [stamp for stamp in stamps if stamp is not None]
    span: tuple[int, int] | None = None
    if present:
        first_stamp, last_stamp = min(present), max(present)
        # steps.entry_moments: then every timestamp is its own moment (as assumed above), and
        # CallLog.time_span is the lowest and the highest.
        if not (
            plainly_seconds(first_stamp, last_stamp)
            or (
                epoch_seconds(first_stamp) == first_stamp
                and epoch_seconds(last_stamp) == last_stamp
                and same_unit_span(first_stamp, last_stamp)
            )
        ):
            return None
        span = (first_stamp, last_stamp)
    return PreparedCall(
        session_id,
        meta,
        bytes(answer.raw),
        answer.format,
        answer.content_type or "",
        span,
        rows,
        # CallLog.class_counts (a Counter, in the order first met): a count per class, in C
        # (a Counter built per call cost more than the counting; a call has few classes).
        {kind: kinds.count(kind) for kind in dict.fromkeys(kinds)},
        (app, version, []),
        origin,
        when,
        steps=_step_rows(session_id, steps),
    )


def _step_rows(session_id: str, steps: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``stats.step_rows_of`` of the steps (module, variable, first, start, end): each lasts
    until the next one's start (``stats.call_facts``), the last to its own end."""
    low, high = SQLITE_INT_MIN, SQLITE_INT_MAX
    out: list[tuple[Any, ...]] = []
    append = out.append
    last = len(steps) - 1
    for index, (module, variable, _first, start, end) in enumerate(steps):
        next_start = steps[index + 1][3] if index < last else None
        seconds = step_duration(start, end, next_start)
        if seconds is not None and not low <= seconds <= high:
            seconds = None
        append((session_id, index + 1, module, variable, seconds))
    return out


class DetailEntries(Sequence[LogEntry]):
    """The entries of a call of a dump, its ``detail`` array's text: read (as
    ``formats.json_all_logs`` reads them, into a ``CompactEntries``) only when looked at,
    which an import whose calls :func:`plain_call` reads never does."""

    def __init__(self, detail: msgspec.Raw, count: int) -> None:
        self._detail = detail
        self._count = count  # how many entries it holds
        self._compact: CompactEntries | None = None

    def compact(self) -> CompactEntries:
        """The entries read; raises ``json_fast.NotFast`` where json_all_logs would decline
        the dump."""
        if self._compact is None:
            compact = CompactEntries()
            json_fast.add_entries(compact, _RAWS(self._detail))
            self._compact = compact
        return self._compact

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[LogEntry]: ...
    def __getitem__(self, index: int | slice) -> LogEntry | Sequence[LogEntry]:
        return self.compact()[index]
