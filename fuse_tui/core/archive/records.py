"""What the archive hands out and takes in: plain records, no SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from fuse_tui.core.formats import load_call_log
from fuse_tui.core.model import CallLog, LogEntry


class FetchedLike(Protocol):
    """What ``store`` needs from a fetch: ``core.client.FetchedCall`` has exactly this shape."""

    @property
    def raw(self) -> bytes: ...
    @property
    def format(self) -> str: ...
    @property
    def content_type(self) -> str: ...
    @property
    def log(self) -> CallLog: ...


@dataclass(frozen=True)
class StoredAnswer:
    """A call log that did not come from ``FuseClient.fetch_call`` (an import, a test)."""

    raw: bytes
    format: str
    log: CallLog
    content_type: str = ""
    # The log's entries as ``fields.entry_views`` gives them, when the maker has them already
    # (an import derives them and ``raw`` from one decode of the entries).
    views: Sequence[LogEntry] | None = field(default=None, compare=False, repr=False)
    # The log's entries as ``api_json.entry_records`` decodes them when every one is plain
    # (``ApiEntry`` records), ``raw`` written from them: a call of a dump read straight from
    # its text (``transfer``), whose rows ``plain_calls`` makes from them where it can.
    records: list[Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class ArchivedCall:
    """One archived call: the bytes as served, when they were fetched, and what is known of it."""

    session_id: str
    raw: bytes
    format: str
    content_type: str
    origin: str
    fetched_at: float
    meta: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def log(self) -> CallLog:
        log = load_call_log(self.raw, source="archive")
        log.session_id = self.session_id
        log.meta = dict(self.meta)
        return log


@dataclass
class ArchivedSummary:
    """One row of ``list_calls``: the call's metadata and counts, without its bytes."""

    session_id: str
    fetched_at: float
    origin: str
    format: str
    size: int
    event_count: int
    class_counts: dict[str, int]
    first_ts: int | None
    last_ts: int | None
    src: str | None = None
    dest: str | None = None
    start: int | None = None
    end: int | None = None
    type: str | None = None
    number: str | None = None

    @property
    def when(self) -> int | None:
        """The call's start if listed, else its first event's time."""
        return self.start if self.start is not None else self.first_ts


@dataclass
class SearchHit:
    session_id: str
    seq: int
    timestamp: int | None
    class_: str | None
    module: str | None
    line: str
    # The event's data values, one per line, as stored for search: split only when asked for
    # (a search printing 10,000 lines never needs them).
    data_text: str = ""

    @property
    def data_values(self) -> list[str]:
        return self.data_text.split("\n") if self.data_text else []
