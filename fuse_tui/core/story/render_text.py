"""The story as terminal text: escaped log content, aligned step lines, no colour."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.story.notes import (
    NOTE_LABELS,
    Memo,
    OffsetTexts,
    header_facts,
    offset_text,
    step_notes,
    story_title,
)
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration

_LABEL_WIDTH = max(map(len, NOTE_LABELS.values()))


def step_line(step: StoryStep) -> str:
    """``  3  +0:02   0:00  email (var_1)`` (escaped)."""
    return (
        f"{step.number:>4}  {offset_text(step.offset):>7}  "
        f"{_took(step.duration):>6}  {escape_control(step.label)}"
    )


@lru_cache(maxsize=4096)
def _took(seconds: int | None) -> str:
    # A long call's steps take a few distinct durations: formatting each once saves ~20%.
    return format_duration(seconds)


def story_lines(story: Story, *, utc: bool = False) -> Iterator[str]:
    """One display line per string, every piece of log content escaped."""
    yield escape_control(story_title(story))
    facts = header_facts(story, utc=utc)
    width = max(len(name) for name, _ in facts)
    for name, value in facts:
        yield f"  {name + ':':<{width + 1}} {escape_control(value)}"
    yield ""
    yield f"{'step':>4}  {'at':>7}  {'took':>6}  module (variable)"
    yield from _step_lines(story.steps)
    if not story.steps:
        yield "  (no entries)"


# What goes before a note's text: 21 blanks, then its label padded.
_NOTE_PREFIX = {kind: f"{'':>21}{label:<{_LABEL_WIDTH}}  " for kind, label in NOTE_LABELS.items()}


def _step_lines(steps: Sequence[StoryStep]) -> list[str]:
    """The lines of :func:`step_line` and each step's notes. Hot: once per step of a long
    call, which has a few labels and durations and one offset per second: each is formatted
    (and escaped) once."""
    lines: list[str] = []
    add = lines.append
    offsets = OffsetTexts()
    tooks: dict[int | None, str] = {}
    labels: dict[str, str] = {}
    prefix = _NOTE_PREFIX
    prefix_heard = prefix["heard"]
    # A prompt's line, by the prompt's text (step_notes' heard note: the text quoted).
    heard_line = Memo(lambda said: prefix_heard + escape_control(f'"{said}"')).text
    escaped = Memo(escape_control).text
    for step in steps:
        at = offsets.text(step.offset)
        if len(at) < 7:
            at = f"{at:>7}"
        duration = step.duration
        took = tooks.get(duration)
        if took is None:
            took = tooks[duration] = f"{_took(duration):>6}"
        label = labels.get(step.label)
        if label is None:
            label = labels[step.label] = escape_control(step.label)
        add(f"{step.number:>4}  {at}  {took}  {label}")
        heard = step.heard
        others = step.entered or step.data_calls or step.transfers or step.errors or step.waits
        if heard and not others:  # prompts only, by entry: step_notes' heard notes
            for said in heard:
                add(heard_line(said.text))
        elif heard or others:
            for note in step_notes(step):
                add(prefix[note.kind] + escaped(note.text))
    return lines


def stories_text(stories: Sequence[Story], *, utc: bool = False) -> Iterable[str]:
    """Several stories one after the other, a blank line between."""
    for number, story in enumerate(stories):
        if number:
            yield ""
        yield from story_lines(story, utc=utc)
