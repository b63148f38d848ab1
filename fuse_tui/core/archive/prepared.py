"""One call's rows and values as the archive writes them, computed before the write
transaction (which holds the lock): by ``preparing.prepare`` from a fetched answer, or by
``plain_calls`` straight from an all_logs dump's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fuse_tui.core.archive.stats import Facts


@dataclass
class PreparedCall:
    session_id: str
    meta: dict[str, Any]
    # The raw answer as served (or, for a call of a dump, written in the API's JSON shape),
    # its format and content type.
    raw: bytes
    format: str
    content_type: str
    # The earliest and latest timestamps as written (``CallLog.time_span``).
    span: tuple[int, int] | None
    rows: list[tuple[Any, ...]]  # the events rows (``rows.event_rows``)
    counts: dict[str, int]  # ``CallLog.class_counts``, in its order
    facts: Facts
    origin: str
    when: float
    # The raw answer as stored and its codec (blobs.pack), when compressed beforehand.
    packed: tuple[bytes, str] | None = None
    # The call_steps rows of ``facts`` when the maker has them already (then ``facts`` holds
    # no steps): texts that ``rows.storable_text`` leaves as they are, durations in 64 bits.
    steps: list[tuple[Any, ...]] | None = None
