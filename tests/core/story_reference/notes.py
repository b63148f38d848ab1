"""What every output says about a story, as plain (unescaped) text: one sentence per fact.

Text, markdown and HTML all tell the same story in the same words; each escapes these strings
for its own medium (the log's content is in them, unescaped).
"""

from __future__ import annotations

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
    return format_duration(offset, sign="+", missing="?")


def step_notes(step: StoryStep) -> list[Note]:
    """The step's facts in the order they happened (by entry)."""
    busy = step.heard or step.entered or step.data_calls or step.transfers
    if not (busy or step.errors or step.waits):
        return []  # most steps of a long call (counters, comparisons, set variable)
    notes: list[Note] = []
    notes += [Note("heard", f'"{h.text}"', h.entry, h.offset) for h in step.heard]
    for said in step.entered:
        if said.value is None:
            text = {"noinput": "no input", "nomatch": "no match"}.get(said.mode or "", "nothing")
        else:
            text = said.value + (f" ({said.mode})" if said.mode else "")
        notes.append(Note("entered", text, said.entry, said.offset))
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
        notes.append(Note("data", text, call.entry, call.offset))
    for transfer in step.transfers:
        text = f"to {transfer.destination or '(unknown)'}"
        if transfer.outcome:
            text += f": {transfer.outcome}"
        notes.append(Note("transfer", text, transfer.entry, transfer.offset))
    notes += [Note("error", e.text, e.entry, e.offset) for e in step.errors]
    notes += [
        Note("wait", f"{format_duration(w.seconds)} with nothing logged", w.entry, w.offset)
        for w in step.waits
    ]
    # By entry; a wait before the entry that ended it; otherwise in the order above (stable).
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
    if story.error_count:
        facts.append(("Errors", str(story.error_count)))
    facts.append(("Ended", story.ending.text))
    return facts
