"""The story as Markdown, for a ticket: a facts table, then the steps as a numbered list.

Every value from the log has its control characters made visible and its Markdown
metacharacters backslash-escaped, so a prompt saying ``*free* [offer](http://x)`` reads as
typed instead of turning into emphasis or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from fuse_tui.core.story.model import Story
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from tests.core.story_reference.notes import header_facts, offset_text, step_notes, story_title

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
    for step in story.steps:
        took = format_duration(step.duration)
        at = md_escape(offset_text(step.offset))
        yield f"{step.number}. **{md_escape(step.label)}** · at {at} · took {md_escape(took)}"
        for note in step_notes(step):
            yield f"   - {note.kind}: {md_escape(note.text)}"


def stories_markdown(stories: Sequence[Story], *, utc: bool = False) -> Iterable[str]:
    for number, story in enumerate(stories):
        if number:
            yield ""
        yield from story_markdown(story, utc=utc)
