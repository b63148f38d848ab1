"""The story as ONE self-contained HTML page: inline CSS, no script, no external resource.

The story first, then the call's event list coloured by class (the colours of ``show``). Every
string from the log goes through :func:`html.escape` (quotes included) after its control
characters were made visible, so a log line cannot open a tag, an attribute or a script.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence

from fuse_tui.core.model import CallLog
from fuse_tui.core.story.model import Story
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp
from tests.core.story_reference.notes import header_facts, offset_text, step_notes, story_title

_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #1d2330; background: #fff; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { padding: .15em .6em; text-align: left; vertical-align: top; }
table.facts th { color: #4a5468; font-weight: 600; }
table.steps td.n, table.steps td.t { text-align: right; font-variant-numeric: tabular-nums; }
table.steps tr.step td { border-top: 1px solid #d8dce6; font-weight: 600; }
td.note { padding-left: 2em; } span.kind { display: inline-block; width: 5.5em; color: #4a5468; }
.note-error { color: #b3261e; } .note-wait { color: #8a5a00; } .note-data { color: #1a5fb4; }
.note-entered { color: #26734d; } .note-transfer { color: #6b3fa0; }
table.events { font-family: ui-monospace, monospace; font-size: .9em; }
table.events td { border-bottom: 1px solid #eef0f4; white-space: pre-wrap; }
/* The TUI's class hues, darker for a white page: blue info, green event, grey debug,
   magenta prompt, red error, amber for any other class. */
.c-info { color: #1d4ed8; } .c-prompt { color: #a21caf; } .c-event { color: #15803d; }
.c-debug { color: #6b7280; } .c-error { color: #b3261e; font-weight: 600; }
.c-other { color: #b45309; }
"""
_KNOWN = {"info", "prompt", "event", "debug", "error"}


def _h(text: str) -> str:
    return html.escape(escape_control(text), quote=True)


def _story_html(story: Story, log: CallLog | None, number: int, *, utc: bool) -> Iterator[str]:
    yield f'<section id="call-{number}">'
    yield f"<h1>{_h(story_title(story))}</h1>"
    yield '<table class="facts">'
    for name, value in header_facts(story, utc=utc):
        yield f"<tr><th>{_h(name)}</th><td>{_h(value)}</td></tr>"
    yield "</table>"
    yield "<h2>Steps</h2>"
    yield '<table class="steps">'
    yield "<tr><th>#</th><th>at</th><th>took</th><th>module (variable)</th></tr>"
    for step in story.steps:
        yield (
            f'<tr class="step"><td class="n">{step.number}</td>'
            f'<td class="t">{_h(offset_text(step.offset))}</td>'
            f'<td class="t">{_h(format_duration(step.duration))}</td><td>{_h(step.label)}</td></tr>'
        )
        for note in step_notes(step):
            yield (
                f'<tr><td></td><td></td><td></td><td class="note note-{note.kind}">'
                f'<span class="kind">{_h(note.kind)}</span>{_h(note.text)}</td></tr>'
            )
    yield "</table>"
    if log is not None:
        yield "<h2>Events</h2>"
        yield '<table class="events">'
        for index, entry in enumerate(log.entries):
            kind = entry.kind
            css = f"c-{kind}" if kind in _KNOWN else "c-other"
            when = format_timestamp(entry.timestamp, utc=utc)
            yield (
                f'<tr class="{css}"><td>{index}</td><td>{_h(when)}</td><td>{_h(kind)}</td>'
                f"<td>{_h(entry.event.module_type or '-')}</td><td>{_h(entry.event.line)}</td></tr>"
            )
        yield "</table>"
    yield "</section>"


def stories_html(
    stories: Sequence[Story], logs: Sequence[CallLog] | None = None, *, utc: bool = False
) -> Iterator[str]:
    """The page, line by line. ``logs`` (same order as ``stories``) adds each event list."""
    title = story_title(stories[0]) if len(stories) == 1 else f"{len(stories)} calls"
    yield "<!DOCTYPE html>"
    yield '<html lang="en"><head><meta charset="utf-8">'
    yield f"<title>{_h(title)}</title>"
    yield f"<style>{_CSS}</style></head><body>"
    for number, story in enumerate(stories, start=1):
        log = logs[number - 1] if logs is not None and number - 1 < len(logs) else None
        yield from _story_html(story, log, number, utc=utc)
    if not stories:
        yield "<p>No calls.</p>"
    yield "</body></html>"
