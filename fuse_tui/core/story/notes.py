"""What every output says about a story, as plain (unescaped) text: one sentence per fact.

Text, markdown and HTML all tell the same story in the same words; each escapes these strings
for its own medium (the log's content is in them, unescaped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fuse_tui.core.plural import plural
from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp

# Kinds of note, in the words the outputs print before them.
NOTE_LABELS = {
    "heard": "heard",
    "entered": "entered",
    "data": "data",
    "transfer": "transfer",
    "error": "error",
    "wait": "wait",
}


@dataclass(frozen=True)
class Note:
    kind: str  # a key of NOTE_LABELS
    text: str
    entry: int
    offset: int | None


def offset_text(offset: int | None) -> str:
    """``+m:ss`` / ``+h:mm:ss`` (``format_duration(offset, sign="+", missing="?")``)."""
    if type(offset) is int and offset >= 0:
        # format_duration's own arithmetic, without its keyword call: once per step of a long
        # call, whose offsets are nearly all different.
        minutes, secs = divmod(offset, 60)
        if minutes < 60:
            return f"+{minutes}:{secs:02d}"
        hours, minutes = divmod(minutes, 60)
        return f"+{hours}:{minutes:02d}:{secs:02d}"
    return format_duration(offset, sign="+", missing="?")


# A second's two digits, as format_duration writes them.
SECONDS_TEXT = tuple(f"{second:02d}" for second in range(60))


class OffsetTexts:
    """``escape(offset_text(offset))`` of many offsets, as a long call's steps ask for it:
    each minute's text once (``+1:02:`` of ``+1:02:00``, escaped), then its seconds' digits
    (which no escape changes); odd ones (negative, None) are asked of offset_text itself."""

    def __init__(self, escape: Callable[[str], str] | None = None) -> None:
        self._escape = escape
        self._minutes: dict[int, str] = {}

    def text(self, offset: int | None) -> str:
        if type(offset) is not int or offset < 0:
            text = offset_text(offset)
            return self._escape(text) if self._escape else text
        second = offset % 60
        minute = offset - second
        head = self._minutes.get(minute)
        if head is None:
            head = offset_text(minute)[:-2]
            head = self._minutes[minute] = self._escape(head) if self._escape else head
        return head + SECONDS_TEXT[second]


class Memo:
    """``make(text)`` of many texts, as a long call's notes ask for it: a prompt heard 10,000
    times is escaped (and its line written) once. Up to MEMO_TEXTS texts are remembered: a log
    of unique lines is no reason to hold them all twice."""

    def __init__(self, make: Callable[[str], str]) -> None:
        self._make = make
        self._done: dict[str, str] = {}

    def text(self, text: str) -> str:
        done = self._done.get(text)
        if done is None:
            done = self._make(text)
            if len(self._done) < MEMO_TEXTS:
                self._done[text] = done
        return done


MEMO_TEXTS = 1 << 16


_new = object.__new__
_set = object.__setattr__


def _note(kind: str, text: str, entry: int, offset: int | None) -> Note:
    """``Note(...)`` without the frozen dataclass's ``__init__`` (several per step of a long
    call): the same object."""
    note = _new(Note)
    _set(note, "__dict__", {"kind": kind, "text": text, "entry": entry, "offset": offset})
    return note


def step_notes(step: StoryStep) -> list[Note]:
    """The step's facts in the order they happened (by entry)."""
    heard, entered, calls = step.heard, step.entered, step.data_calls
    transfers, errors, waits = step.transfers, step.errors, step.waits
    kinds = bool(heard) + bool(entered) + bool(calls) + bool(transfers) + bool(errors) + bool(waits)
    if not kinds:
        return []  # most steps of a long call (counters, comparisons, set variable)
    if kinds == 1 and heard:  # the most common of the rest: prompts, already by entry
        return [_note("heard", f'"{h.text}"', h.entry, h.offset) for h in heard]
    notes: list[Note] = []
    notes += [_note("heard", f'"{h.text}"', h.entry, h.offset) for h in heard]
    for said in step.entered:
        if said.value is None:
            text = {"noinput": "no input", "nomatch": "no match"}.get(said.mode or "", "nothing")
        else:
            text = said.value + (f" ({said.mode})" if said.mode else "")
        notes.append(_note("entered", text, said.entry, said.offset))
    for call in step.data_calls:
        parts = [call.kind]
        parts += [p for p in (call.method, call.target) if p]
        result = [call.outcome]
        if call.status:
            result.append(f"status {call.status}")
        if call.latency_ms is not None:
            result.append(f"{call.latency_ms} ms")
        text = f"{' '.join(parts)} → {', '.join(result)}"
        told = {error.text for error in step.errors}
        if call.outcome == "failed" and call.detail and call.detail not in told:
            text += f": {call.detail}"  # the error entry, when there is one, says it below
        notes.append(_note("data", text, call.entry, call.offset))
    for transfer in step.transfers:
        text = f"to {transfer.destination or '(unknown)'}"
        if transfer.outcome:
            text += f": {transfer.outcome}"
        notes.append(_note("transfer", text, transfer.entry, transfer.offset))
    notes += [_note("error", e.text, e.entry, e.offset) for e in step.errors]
    notes += [
        _note("wait", f"{format_duration(w.seconds)} with nothing logged", w.entry, w.offset)
        for w in step.waits
    ]
    # By entry; a wait before the entry that ended it; otherwise in the order above (stable).
    # Each kind's notes are already by entry: one kind alone needs no sort.
    if kinds > 1:
        notes.sort(key=lambda note: (note.entry, note.kind != "wait"))
    return notes


def story_title(story: Story) -> str:
    app = story.application or "unknown application"
    if story.version:
        app += f" {story.version}"
    return f"Call {story.session_id} · {app}" if story.session_id else f"Call · {app}"


def header_facts(story: Story, *, utc: bool = False) -> list[tuple[str, str]]:
    """(name, value) pairs for the story's head, only those known."""
    facts: list[tuple[str, str]] = []
    if story.application:
        facts.append(("Application", story.application))
    if story.version:
        facts.append(("Version", story.version))
    if story.caller or story.called:
        facts.append(("From → to", f"{story.caller or '?'} → {story.called or '?'}"))
    if story.direction:
        facts.append(("Direction", story.direction))
    # A time pasted into a ticket must say its zone: the reader is rarely in the writer's.
    zone_format = "%Y-%m-%d %H:%M:%S UTC" if utc else "%Y-%m-%d %H:%M:%S %Z"
    if story.start is not None:
        facts.append(("Start", format_timestamp(story.start, zone_format, utc=utc)))
    if story.end is not None:
        facts.append(("End", format_timestamp(story.end, zone_format, utc=utc)))
    facts.append(("Duration", format_duration(story.duration, missing="unknown")))
    entries = plural(story.entry_count, "entry", "entries")
    facts.append(("Steps", f"{len(story.steps):,} ({entries})"))
    errors = story.error_count  # a sum over every step: once
    if errors:
        facts.append(("Errors", str(errors)))
    facts.append(("Ended", story.ending.text))
    return facts
