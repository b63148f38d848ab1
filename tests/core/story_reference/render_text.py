"""The story as terminal text: escaped log content, aligned step lines, no colour."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from tests.core.story_reference.notes import (
    NOTE_LABELS,
    header_facts,
    offset_text,
    step_notes,
    story_title,
)

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
    for step in story.steps:
        yield step_line(step)
        for note in step_notes(step):
            label = NOTE_LABELS[note.kind]
            yield f"{'':>21}{label:<{_LABEL_WIDTH}}  {escape_control(note.text)}"
    if not story.steps:
        yield "  (no entries)"


def stories_text(stories: Sequence[Story], *, utc: bool = False) -> Iterable[str]:
    """Several stories one after the other, a blank line between."""
    for number, story in enumerate(stories):
        if number:
            yield ""
        yield from story_lines(story, utc=utc)
