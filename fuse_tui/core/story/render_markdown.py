"""The story as Markdown, for a ticket: a facts table, then the steps as a numbered list.

Every value from the log has its control characters made visible and its Markdown
metacharacters backslash-escaped, so a prompt saying ``*free* [offer](http://x)`` reads as
typed instead of turning into emphasis or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.story.notes import (
    Memo,
    OffsetTexts,
    header_facts,
    step_notes,
    story_title,
)
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration

# The characters with a meaning inside a line (values never start a line here: they follow
# "| ", "- heard: " or "### "): emphasis, code, links and images (via [ ]), raw HTML, entities,
# table cells, GFM strikethrough, a heading's closing #s. Line-start ones (1. - + >) need none.
_MARKDOWN_META = re.compile(r"([\\`*_\[\]<>&|~#])")


def md_escape(text: str) -> str:
    """``text`` (log content) safe inside Markdown: one line, metacharacters escaped."""
    return _MARKDOWN_META.sub(r"\\\1", escape_control(text))


def story_markdown(story: Story, *, utc: bool = False) -> Iterator[str]:
    yield f"### {md_escape(story_title(story))}"
    yield ""
    yield "| | |"
    yield "|---|---|"
    for name, value in header_facts(story, utc=utc):
        yield f"| {md_escape(name)} | {md_escape(value)} |"
    yield ""
    if not story.steps:
        yield "_No entries._"
        return
    yield from _step_lines(story.steps)


def _step_lines(steps: Sequence[StoryStep]) -> list[str]:
    """Each step's line and its notes. Hot: once per step of a long call, which has a few
    labels and durations and one offset per second: each is formatted and escaped once."""
    lines: list[str] = []
    add = lines.append
    offsets = OffsetTexts(md_escape)
    tooks: dict[int | None, str] = {}
    labels: dict[str, str] = {}
    # A prompt's line, by the prompt's text (step_notes' heard note: the text quoted).
    heard_line = Memo(lambda said: "   - heard: " + md_escape(f'"{said}"')).text
    escaped = Memo(md_escape).text
    for step in steps:
        at = offsets.text(step.offset)
        duration = step.duration
        took = tooks.get(duration)
        if took is None:
            took = tooks[duration] = md_escape(format_duration(duration))
        label = labels.get(step.label)
        if label is None:
            label = labels[step.label] = md_escape(step.label)
        add(f"{step.number}. **{label}** · at {at} · took {took}")
        heard = step.heard
        others = step.entered or step.data_calls or step.transfers or step.errors or step.waits
        if heard and not others:  # prompts only, by entry: step_notes' heard notes
            for said in heard:
                add(heard_line(said.text))
        elif heard or others:
            for note in step_notes(step):
                add(f"   - {note.kind}: {escaped(note.text)}")
    return lines


def stories_markdown(stories: Sequence[Story], *, utc: bool = False) -> Iterable[str]:
    for number, story in enumerate(stories):
        if number:
            yield ""
        yield from story_markdown(story, utc=utc)
