"""Pydantic models of Fuse call logs.

Plum says the log structure "can change at any time", so the models are tolerant: unknown keys
are kept (``extra="allow"``) and written back out, an unknown or missing ``class`` is kept as
is, and only input that cannot be a log at all is rejected.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

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


class Event(BaseModel):
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


class LogEntry(BaseModel):
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


class CallLog(BaseModel):
    """A whole detailed call log, with where it came from."""

    model_config = ConfigDict(extra="forbid")

    session_id: str | None = None
    entries: list[LogEntry] = Field(default_factory=list)
    # Human description of the origin: a file path, "stdin", "api", "archive", …
    source: str = ""
    # Call metadata when known (from /api/calls or /api/all_logs): src, dest, start, end, type…
    meta: dict[str, Any] = Field(default_factory=dict)

    def class_counts(self) -> Counter[str]:
        return Counter(entry.kind for entry in self.entries)

    @property
    def first_timestamp(self) -> int | None:
        stamps = [e.timestamp for e in self.entries if e.timestamp is not None]
        return min(stamps) if stamps else None

    @property
    def last_timestamp(self) -> int | None:
        stamps = [e.timestamp for e in self.entries if e.timestamp is not None]
        return max(stamps) if stamps else None


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
        if self.start is None or self.end is None:
            return None
        return max(0, self.end - self.start)


class CallList(BaseModel):
    """An ``/api/calls`` answer: one page of calls plus the total before paging."""

    model_config = ConfigDict(extra="allow")

    calls: list[CallSummary] = Field(default_factory=list)
    total_calls: int = 0
