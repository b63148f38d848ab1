"""The story as ONE self-contained HTML page: inline CSS, no script, no external resource.

The story first, then the call's event list coloured by class (the colours of ``show``). Every
string from the log goes through :func:`html.escape` (quotes included) after its control
characters were made visible, so a log line cannot open a tag, an attribute or a script.
"""

from __future__ import annotations

from collections.abc import Sequence

from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.story.model import Story, StoryStep
from fuse_tui.core.story.notes import (
    Memo,
    OffsetTexts,
    header_facts,
    step_notes,
    story_title,
)
from fuse_tui.core.story.render_html_events import escaped, event_rows
from fuse_tui.core.timefmt import format_duration

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


_h = escaped


def _story_html(
    story: Story,
    log: CallLog | None,
    entries: Sequence[LogEntry] | None,
    number: int,
    *,
    utc: bool,
) -> list[str]:
    lines = [
        f'<section id="call-{number}">',
        f"<h1>{_h(story_title(story))}</h1>",
        '<table class="facts">',
    ]
    for name, value in header_facts(story, utc=utc):
        lines.append(f"<tr><th>{_h(name)}</th><td>{_h(value)}</td></tr>")
    lines += [
        "</table>",
        "<h2>Steps</h2>",
        '<table class="steps">',
        "<tr><th>#</th><th>at</th><th>took</th><th>module (variable)</th></tr>",
    ]
    lines += _step_rows(story.steps)
    lines.append("</table>")
    if log is not None:
        lines += ["<h2>Events</h2>", '<table class="events">']
        lines += event_rows(log.entries, entries, utc=utc)
        lines.append("</table>")
    lines.append("</section>")
    return lines


def _step_rows(steps: Sequence[StoryStep]) -> list[str]:
    """The steps table's rows. Hot: once per step of a long call, which has a few labels and
    durations and one offset per second: each is formatted and escaped once."""
    rows: list[str] = []
    add = rows.append
    escaped = Memo(_h).text
    offsets = OffsetTexts(_h)
    tooks: dict[int | None, str] = {}
    labels: dict[str, str] = {}
    heard_head = (
        '<tr><td></td><td></td><td></td><td class="note note-heard">'
        f'<span class="kind">{_h("heard")}</span>'
    )
    # A prompt's row, by the prompt's text (step_notes' heard note: the text quoted).
    heard_row = Memo(lambda said: heard_head + _h(f'"{said}"') + "</td></tr>").text
    for step in steps:
        at = offsets.text(step.offset)
        duration = step.duration
        took = tooks.get(duration)
        if took is None:
            took = tooks[duration] = _h(format_duration(duration))
        label = labels.get(step.label)
        if label is None:
            label = labels[step.label] = _h(step.label)
        add(
            f'<tr class="step"><td class="n">{step.number}</td>'
            f'<td class="t">{at}</td>'
            f'<td class="t">{took}</td><td>{label}</td></tr>'
        )
        heard = step.heard
        others = step.entered or step.data_calls or step.transfers or step.errors or step.waits
        if heard and not others:  # prompts only, by entry: step_notes' heard notes
            for said in heard:
                add(heard_row(said.text))
        elif heard or others:
            for note in step_notes(step):
                add(
                    f'<tr><td></td><td></td><td></td><td class="note note-{note.kind}">'
                    f'<span class="kind">{_h(note.kind)}</span>{escaped(note.text)}</td></tr>'
                )
    return rows


def stories_html(
    stories: Sequence[Story],
    logs: Sequence[CallLog] | None = None,
    *,
    utc: bool = False,
    entries: Sequence[Sequence[LogEntry]] | None = None,
) -> list[str]:
    """The page, line by line (a list: a long call's 200k lines are made in a few joins and
    extends, not yielded one by one). ``logs`` (same order as ``stories``) adds each event
    list; ``entries``: each log's ``field_views(log.entries)`` when the caller has them (the
    story was built from them), read instead of decoding the entries again."""
    title = story_title(stories[0]) if len(stories) == 1 else f"{len(stories)} calls"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for number, story in enumerate(stories, start=1):
        log = logs[number - 1] if logs is not None and number - 1 < len(logs) else None
        views = entries[number - 1] if log is not None and entries is not None else None
        lines += _story_html(story, log, views, number, utc=utc)
    if not stories:
        lines.append("<p>No calls.</p>")
    lines.append("</body></html>")
    return lines
