"""Pydantic models of Fuse call logs.

Plum says the log structure "can change at any time", so the models are tolerant: unknown keys
are kept (``extra="allow"``) and written back out, an unknown or missing ``class`` is kept as
is, and only input that cannot be a log at all is rejected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)

from fuse_tui.core.timestamps import epoch_seconds, same_unit_span, seconds_between

KNOWN_CLASSES: tuple[str, ...] = ("info", "event", "debug", "prompt", "error")


def _coerce_timestamp(value: Any) -> Any:
    """Numeric strings and floats become int epoch seconds; an empty string (an empty XML element)
    means "absent"; anything else (NaN, words, objects) is left to pydantic, which rejects it."""
    if isinstance(value, int):  # bool included
        return value
    if isinstance(value, float):
        try:
            return int(value)
        except (ValueError, OverflowError):
            return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            try:
                return int(float(text))
            except (ValueError, OverflowError):
                return value
    return value


# For readers that build entries' JSON themselves (core.formats.json_fast): the same reading.
coerce_timestamp = _coerce_timestamp


class _Compactable(BaseModel):
    """A model whose pydantic bookkeeping :func:`compact_entries` may share or drop.

    Pydantic gives every instance its own ``__pydantic_fields_set__`` (a 216-byte set) and, with
    ``extra="allow"``, its own ``__pydantic_extra__`` (a 64-byte dict, nearly always empty): 560
    of the ~1,600 bytes of an entry. After a bulk read, entries with the same fields share one
    set and an empty extra becomes None (reads as ``{}``). Any assignment or deletion first gives
    the instance its own copies again, so a change never shows through in another entry.

    Entirely empty entries and events (``{}``, or an entry without ``event``) go further: every
    one of them becomes the same shared instance (:data:`_SHARED_EMPTY_FIELDS` marks it), which
    refuses changes: copy it first (``model_copy()``).
    """

    @property
    def model_extra(self) -> dict[str, Any]:
        extra = self.__pydantic_extra__
        return {} if extra is None else extra

    def __setattr__(self, name: str, value: Any) -> None:
        self._own_bookkeeping()
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._own_bookkeeping()
        super().__delattr__(name)

    def _own_bookkeeping(self) -> None:
        if self.__pydantic_fields_set__ is _SHARED_EMPTY_FIELDS:
            raise TypeError(
                f"this empty {type(self).__name__} is shared by every empty one of a log read "
                "from a file; change a copy (model_copy()) instead"
            )
        extra = self.__pydantic_extra__
        object.__setattr__(self, "__pydantic_fields_set__", set(self.__pydantic_fields_set__))
        object.__setattr__(self, "__pydantic_extra__", {} if extra is None else extra)


class Event(_Compactable):
    """The ``event`` object of one log entry: a human line and free-form ``data``."""

    # Numbers where text is expected become text in pydantic's core. Python validators are kept
    # off the object fields on purpose: a "before" validator on a field makes pydantic build the
    # field's value as Python objects first, ~25% slower for a 100k-entry read. Empty XML elements
    # and PHP's [] where an object is expected are normalised by the readers instead
    # (core.formats.shape.normalize_entry).
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    line: str = ""
    data: dict[str, Any] | None = None

    @property
    def module_type(self) -> str | None:
        value = self.data.get("module_type") if self.data else None
        return None if value is None else str(value)

    @property
    def result_variable(self) -> str | None:
        value = self.data.get("result_variable") if self.data else None
        return None if value is None else str(value)


class LogEntry(_Compactable):
    """One entry of a detailed call log: ``{"event": …, "class": …, "timestamp": …}``."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)

    event: Event = Field(default_factory=Event)
    # ``class`` is a Python keyword; the API name is the alias. None means "absent in the source".
    class_: str | None = Field(default=None, alias="class")
    timestamp: int | None = None

    _coerce = field_validator("timestamp", mode="before")(_coerce_timestamp)

    @property
    def kind(self) -> str:
        """The class for display and filtering: the raw value, or ``"unknown"`` when absent."""
        return self.class_ if self.class_ else "unknown"

    @property
    def is_error(self) -> bool:
        return self.class_ == "error"

    def to_api(self) -> dict[str, Any]:
        """This entry in the API's own JSON shape (aliases, extras kept, absent fields omitted)."""
        return self.model_dump(by_alias=True, exclude_none=False, exclude_unset=True)


# The fields set of the shared empty entry and event (see _Compactable); identity marks them.
_SHARED_EMPTY_FIELDS: set[str] = set()


def _shared_empty(model: type[_Compactable]) -> Any:
    empty = model()
    object.__setattr__(empty, "__pydantic_fields_set__", _SHARED_EMPTY_FIELDS)
    object.__setattr__(empty, "__pydantic_extra__", None)
    return empty


_EMPTY_EVENT: Event = _shared_empty(Event)
_EMPTY_ENTRY: LogEntry = _shared_empty(LogEntry)
object.__setattr__(_EMPTY_ENTRY, "__dict__", {**_EMPTY_ENTRY.__dict__, "event": _EMPTY_EVENT})


# One shared set per combination of declared fields (at most 8 + 4): sets naming extra keys are
# left alone, so hostile input cannot grow this table.
_SHARED_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _shared_fields_set(fields: set[str], declared: frozenset[str]) -> set[str] | None:
    if not fields <= declared:
        return None
    key = frozenset(fields)
    return _SHARED_FIELDS_SETS.setdefault(key, set(key))


def compact_entries(entries: list[LogEntry]) -> None:
    """Shrink freshly read entries by ~35% (see :class:`_Compactable`); ~0.07 s per 100k.

    Empty events, and empty entries (replaced in the list), become one shared instance each.
    """
    entry_fields = frozenset(LogEntry.model_fields)
    event_fields = frozenset(Event.model_fields)
    put = object.__setattr__
    entry_shared: set[str] | None = None
    event_shared: set[str] | None = None
    for index, entry in enumerate(entries):
        # Neighbouring entries nearly always have the same fields: compare before looking up.
        fields = entry.__pydantic_fields_set__
        if fields is _SHARED_EMPTY_FIELDS:
            continue  # already the shared empty entry
        if not fields and not entry.__pydantic_extra__:
            entries[index] = _EMPTY_ENTRY
            continue
        if fields != entry_shared:
            entry_shared = _shared_fields_set(fields, entry_fields)
        if entry_shared is not None:
            put(entry, "__pydantic_fields_set__", entry_shared)
        if not entry.__pydantic_extra__:
            put(entry, "__pydantic_extra__", None)
        event = entry.event
        fields = event.__pydantic_fields_set__
        if fields is _SHARED_EMPTY_FIELDS:
            continue
        if not fields and not event.__pydantic_extra__:
            entry.__dict__["event"] = _EMPTY_EVENT
            continue
        if fields != event_shared:
            event_shared = _shared_fields_set(fields, event_fields)
        if event_shared is not None:
            put(event, "__pydantic_fields_set__", event_shared)
        if not event.__pydantic_extra__:
            put(event, "__pydantic_extra__", None)


def _keep_compact(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Compact entries (core.entries) are validated already: keep them as they are."""
    from fuse_tui.core.entries import CompactEntries  # it builds on this module

    return value if isinstance(value, CompactEntries) else handler(value)


class CallLog(BaseModel):
    """A whole detailed call log, with where it came from.

    ``entries`` is a sequence of LogEntry: a list, or (from the readers) ``CompactEntries``,
    which holds them compactly and builds each model on access. Read it as a sequence (index,
    len, iterate, slice); build a new log rather than changing it.
    """

    model_config = ConfigDict(extra="forbid")

    session_id: str | None = None
    entries: Annotated[Sequence[LogEntry], WrapValidator(_keep_compact)] = Field(
        default_factory=list
    )
    # Human description of the origin: a file path, "stdin", "api", "archive", …
    source: str = ""
    # Call metadata when known (from /api/calls or /api/all_logs): src, dest, start, end, type…
    meta: dict[str, Any] = Field(default_factory=dict)

    def class_counts(self) -> Counter[str]:
        return Counter(entry_kinds(self.entries))

    @property
    def first_timestamp(self) -> int | None:
        """The earliest timestamp as written (its moment read in any unit; no-times ignored)."""
        span = self.time_span()
        return span[0] if span else None

    @property
    def last_timestamp(self) -> int | None:
        """The latest timestamp as written (its moment read in any unit; no-times ignored)."""
        span = self.time_span()
        return span[1] if span else None

    def time_span(self) -> tuple[int, int] | None:
        """(:attr:`first_timestamp`, :attr:`last_timestamp`) from one reading of the entries,
        for a caller that wants both; None when no entry has a time."""
        stamps = [s for s in entry_timestamps(self.entries) if s is not None]
        if not stamps:
            return None
        low, high = min(stamps), max(stamps)
        # The usual log: raw order is time order, no per-entry pass.
        if plainly_seconds(low, high) or same_unit_span(low, high):
            return low, high
        timed = [(moment, s) for s in stamps if (moment := epoch_seconds(s)) is not None]
        if not timed:
            return None
        return min(timed)[1], max(timed)[1]


class CallSummary(BaseModel):
    """One call as listed by ``/api/calls`` (``src`` is ``"Outbound"`` for outbound calls)."""

    model_config = ConfigDict(extra="allow")

    session_id: str
    src: str | None = None
    dest: str | None = None
    start: int | None = None
    end: int | None = None
    type: str | None = None
    log: bool | None = None

    _coerce = field_validator("start", "end", mode="before")(_coerce_timestamp)

    @field_validator("log", mode="before")
    @classmethod
    def _coerce_log(cls, value: Any) -> Any:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"true", "1"}:
                return True
            if lowered in {"false", "0", ""}:
                return False
        return value

    @property
    def duration(self) -> int | None:
        """Seconds from start to end, each read in its own unit (a listing in milliseconds
        lasts as long as one in seconds); None when either is no time."""
        seconds = seconds_between(self.start, self.end)
        return None if seconds is None else max(0, seconds)


class CallList(BaseModel):
    """An ``/api/calls`` answer: one page of calls plus the total before paging."""

    model_config = ConfigDict(extra="allow")

    calls: list[CallSummary] = Field(default_factory=list)
    total_calls: int = 0


def entry_kinds(entries: Sequence[LogEntry]) -> list[str]:
    """Every entry's ``kind``, from the columns when the entries are compact."""
    kinds = getattr(entries, "kinds", None)  # CompactEntries, without importing it here
    return list(kinds()) if kinds is not None else [entry.kind for entry in entries]


def entry_timestamps(entries: Sequence[LogEntry]) -> list[int | None]:
    """Every entry's ``timestamp``, from the columns when the entries are compact."""
    stamps = getattr(entries, "timestamps", None)
    return list(stamps()) if stamps is not None else [entry.timestamp for entry in entries]


def entry_module_types(entries: Sequence[LogEntry]) -> list[str | None]:
    """Every entry's ``event.module_type``, from the columns when the entries are compact."""
    modules = getattr(entries, "module_types", None)
    return list(modules()) if modules is not None else [e.event.module_type for e in entries]


# Below this, a non-negative integer is UNIX seconds to core.timestamps (its first unit's bound,
# well inside the years it can show): tests/core/test_model_seconds.py holds the two in step.
_SECONDS_BELOW = 10**11


def plainly_seconds(low: Any, high: Any) -> bool:
    """True when ``low`` ≤ ``high`` are ints (not bools) from 0 to below 10¹¹: then every
    integer between them is its own UNIX seconds and ``same_unit_span(low, high)`` is True —
    said without its calls, for the many short logs of an import. False says nothing."""
    return type(low) is int and type(high) is int and 0 <= low <= high < _SECONDS_BELOW
