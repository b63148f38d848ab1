"""What a call's story holds: plain frozen dataclasses, no behaviour beyond naming things.

Every item names the log entry it comes from (``entry``: its index in ``CallLog.entries``) so a
view can jump to it, and its ``offset``: whole seconds from the call's first timed entry (None
when the entry has no time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter


@dataclass(frozen=True)
class Heard:
    """A prompt the caller heard (an entry of class ``prompt``)."""

    entry: int
    offset: int | None
    text: str


@dataclass(frozen=True)
class Entered:
    """What the caller pressed or said. ``value`` None: no input / no match (``mode`` says)."""

    entry: int
    offset: int | None
    value: str | None
    mode: str | None  # dtmf, voice, speech, recording, noinput, nomatch… as the log says


@dataclass(frozen=True)
class DataCall:
    """A back-end call made by a step (REST, SOAP, e-mail, SMS, JS eval…), one per step."""

    entry: int  # the step's first entry of it
    offset: int | None
    kind: str  # the module type as written
    target: str | None  # URL, e-mail recipient, phone number…
    method: str | None
    status: str | None  # HTTP status or the module's own code, as text
    outcome: str  # "ok", "failed" or "unknown"
    latency_ms: int | None  # from the data only; the step's duration is beside it
    detail: str  # the line that decided the outcome


@dataclass(frozen=True)
class Transfer:
    entry: int
    offset: int | None
    destination: str | None
    outcome: str | None  # the last line of the transfer step ("Transfer connected"…)


@dataclass(frozen=True)
class StoryError:
    entry: int
    offset: int | None
    text: str


@dataclass(frozen=True)
class Wait:
    """Nothing logged for ``seconds`` ≥ the gap: from entry ``after`` to entry ``entry``."""

    after: int
    entry: int
    offset: int | None  # of ``entry``, when the call went on
    seconds: int


@dataclass(frozen=True)
class StoryStep:
    """One module instance of the call (see ``core.steps``) and what happened in it."""

    number: int
    module: str | None
    variable: str | None
    label: str
    first: int
    last: int
    offset: int | None
    duration: int | None
    error_count: int
    heard: tuple[Heard, ...] = ()
    entered: tuple[Entered, ...] = ()
    data_calls: tuple[DataCall, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    errors: tuple[StoryError, ...] = ()
    waits: tuple[Wait, ...] = ()

    @property
    def entry_count(self) -> int:
        return self.last - self.first + 1


_new = object.__new__
_set = object.__setattr__


def new_story_step(
    number: int,
    module: str | None,
    variable: str | None,
    label: str,
    first: int,
    last: int,
    offset: int | None,
    duration: int | None,
    error_count: int,
    heard: tuple[Heard, ...],
    entered: tuple[Entered, ...],
    data_calls: tuple[DataCall, ...],
    transfers: tuple[Transfer, ...],
    errors: tuple[StoryError, ...],
    waits: tuple[Wait, ...],
) -> StoryStep:
    """``StoryStep(...)`` without the frozen dataclass's ``__init__`` (one ``object.__setattr__``
    per field: a third of a 100k-entry call's story): the same object, for a long call."""
    step = _new(StoryStep)
    _set(
        step,
        "__dict__",
        {
            "number": number,
            "module": module,
            "variable": variable,
            "label": label,
            "first": first,
            "last": last,
            "offset": offset,
            "duration": duration,
            "error_count": error_count,
            "heard": heard,
            "entered": entered,
            "data_calls": data_calls,
            "transfers": transfers,
            "errors": errors,
            "waits": waits,
        },
    )
    return step


def new_heard(entry: int, offset: int | None, text: str) -> Heard:
    """``Heard(...)`` without the frozen dataclass's ``__init__`` (a long call hears tens of
    thousands of prompts): the same object."""
    heard = _new(Heard)
    _set(heard, "__dict__", {"entry": entry, "offset": offset, "text": text})
    return heard


@dataclass(frozen=True)
class Ending:
    """How the call ended. ``kind``: caller_hangup, transfer, error, exit or unknown."""

    kind: str
    text: str  # one sentence
    entry: int | None
    step: int | None


@dataclass(frozen=True)
class Story:
    session_id: str | None
    application: str | None
    version: str | None
    caller: str | None
    called: str | None
    direction: str | None  # inbound / outbound, when the listing said
    start: int | None  # UNIX seconds (any unit read)
    end: int | None
    duration: int | None
    entry_count: int
    gap_seconds: int
    ending: Ending
    steps: tuple[StoryStep, ...] = field(default_factory=tuple)

    @property
    def error_count(self) -> int:
        return sum(map(_ERROR_COUNT, self.steps))


_ERROR_COUNT = attrgetter("error_count")
