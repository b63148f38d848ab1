"""What a reader returns: one or more call logs, or a call list."""

from __future__ import annotations

from dataclasses import dataclass, field

from fuse_tui.core.model import CallList, CallLog


@dataclass
class LogsDocument:
    """One call log (``/api/call``) or several (``/api/all_logs``)."""

    logs: list[CallLog] = field(default_factory=list)
    kind: str = "call"  # "call" or "all_logs"
    format: str = "json"  # "json" or "xml"


@dataclass
class CallListDocument:
    """An ``/api/calls`` answer."""

    calls: CallList
    format: str = "json"


Document = LogsDocument | CallListDocument
