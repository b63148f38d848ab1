"""What a reader returns: one or more call logs, or a call list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Annotations only: `fuse-tui show` of a plain log prints it without pydantic (~70 ms of
    # imports), and the documents' shape needs no model class to be defined.
    from fuse_tui.core.model import CallList, CallLog


@dataclass(frozen=True)
class CallProblem:
    """A call of a many-call answer whose log could not be read; the other calls were.

    ``message`` is one sentence naming the call and what is wrong, as a FormatError would say it
    (``call 2 (300;1): entry 3 timestamp is 'soon', not a UNIX time``), without the source.
    """

    index: int  # 1-based position of the call in the answer
    session_id: str | None
    message: str
    meta: dict[str, Any] = field(default_factory=dict)  # what the answer says of the call
    # The answer stops inside this call (a dump cut short): it and any after it are missing.
    cut: bool = False


@dataclass
class LogsDocument:
    """One call log (``/api/call``) or several (``/api/all_logs``).

    ``problems``: calls of an all_logs answer (or NDJSON groups) that could not be read and are
    not in ``logs``; empty for a one-call answer, which fails as a whole instead.
    """

    logs: list[CallLog] = field(default_factory=list)
    kind: str = "call"  # "call" or "all_logs"
    format: str = "json"  # "json" or "xml"
    problems: list[CallProblem] = field(default_factory=list)


@dataclass
class CallListDocument:
    """An ``/api/calls`` answer."""

    calls: CallList
    format: str = "json"


Document = LogsDocument | CallListDocument
