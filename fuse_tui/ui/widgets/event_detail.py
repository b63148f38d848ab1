"""The detail pane: the selected entry's class, times, full line and pretty-printed data.

``v`` cycles the view: pretty → raw JSON (the API's shape) → XML (Fuse's convention). Text
is escaped with :func:`escape_control` (newlines kept) and shown through ``Syntax``/``Text``,
never markup.

Bounded, because it runs on the UI thread at every cursor move: highlighting 40 KB of JSON
takes ~0.4 s here and wrapping 300 KB of text seconds. So at most :data:`MAX_LINES` lines and
:data:`MAX_CHARS` characters are shown, with a note saying how much was cut and how to get all
of it (``c`` copies the entry, ``ctrl+s`` saves the log). :data:`LIMIT` (~1 MB) is the size the
issue names; anything that big is always cut.
"""

from __future__ import annotations

import json
import time
from enum import Enum

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from fuse_tui.core.formats import dump_xml
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration

LIMIT = 1_000_000
MAX_LINES = 300
MAX_CHARS = 24_000


class DetailView(Enum):
    PRETTY = "pretty"
    JSON = "json"
    XML = "xml"

    def next(self) -> DetailView:
        order = list(DetailView)
        return order[(order.index(self) + 1) % len(order)]


def _syntax(code: str, lexer: str) -> RenderableType:
    safe = escape_control(code, one_line=False)
    return Syntax(
        safe,
        lexer,
        theme="ansi_dark",
        word_wrap=True,
        background_color="default",
        indent_guides=False,
    )


def _bounded(code: str) -> tuple[str, bool]:
    """The first :data:`MAX_LINES` lines / :data:`MAX_CHARS` characters of ``code``."""
    if len(code) <= MAX_CHARS and code.count("\n") < MAX_LINES:
        return code, False
    head = code[:MAX_CHARS]
    lines = head.split("\n", MAX_LINES)[:MAX_LINES]
    return "\n".join(lines), True


def _cut_note(code: str, shown: str) -> Text:
    total_lines = code.count("\n") + 1
    shown_lines = shown.count("\n") + 1
    # Both counts: a long value is cut inside its line, so the line count alone overstates it.
    return Text(
        f"… cut: showing the first {len(shown):,} of {len(code):,} characters "
        f"({shown_lines:,} of {total_lines:,} lines). "
        "Press c to copy the whole entry or ctrl+s to save the log.",
        style="bold",
    )


def render_entry(entry: LogEntry, view: DetailView, call_start: int | None) -> RenderableType:
    """What the pane shows for ``entry`` (a pure function, so tests can call it directly)."""
    if view is not DetailView.PRETTY:
        if view is DetailView.JSON:
            code, lexer = json.dumps(entry.to_api(), indent=2, ensure_ascii=False), "json"
        else:
            code, lexer = dump_xml(CallLog(entries=[entry])).decode("utf-8"), "xml"
        shown, cut = _bounded(code)
        return (
            Group(_syntax(shown, lexer), _cut_note(code, shown)) if cut else _syntax(shown, lexer)
        )

    # A two-column grid so a wrapped line keeps its indent under the value column.
    head = Table.grid(padding=(0, 2))
    head.add_column(style="dim", no_wrap=True)
    head.add_column(overflow="fold")
    badge = "bold reverse" if entry.is_error else "bold"
    # A span, not the cell style: the badge covers the word, not the whole column.
    head.add_row("class", Text.assemble((escape_control(entry.kind), badge)))
    if entry.timestamp is None:
        head.add_row("time", "(no timestamp)")
    else:
        absolute = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(entry.timestamp))
        head.add_row("time", absolute)
        if call_start is not None:
            head.add_row(
                "", f"{format_duration(entry.timestamp - call_start, sign='+')} from call start"
            )
    line = entry.event.line or ""
    shown_line = Text(escape_control(line[:MAX_CHARS], one_line=False))
    if len(line) > MAX_CHARS:
        shown_line.append(f" … ({len(line):,} characters; c copies the whole entry)", style="bold")
    head.add_row("line", shown_line)
    parts: list[RenderableType] = [head, Text("")]
    data = entry.event.data
    if data is None:
        parts.append(Text("(no data)", style="dim"))
    else:
        code = json.dumps(data, indent=2, ensure_ascii=False)
        shown, cut = _bounded(code)
        parts.append(Text("data", style="dim"))
        parts.append(_syntax(shown, "json"))
        if cut:
            parts.append(_cut_note(code, shown))
    extras = {k: v for k, v in entry.event.model_extra.items()} if entry.event.model_extra else {}
    if extras:
        parts.append(Text("other event fields", style="dim"))
        extra_code = json.dumps(extras, indent=2, ensure_ascii=False)
        extra_shown, extra_cut = _bounded(extra_code)
        parts.append(_syntax(extra_shown, "json"))
        if extra_cut:
            parts.append(_cut_note(extra_code, extra_shown))
    return Group(*parts)


class EventDetail(VerticalScroll, can_focus=True):
    """Scrollable pane showing one entry."""

    view: reactive[DetailView] = reactive(DetailView.PRETTY, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entry: LogEntry | None = None
        self.call_start: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Select an event to see its details.", style="dim"), id="detail-title")
        yield Static("", id="detail-body")

    def show(self, entry: LogEntry | None, call_start: int | None) -> None:
        self.entry = entry
        self.call_start = call_start
        self._update()

    def action_cycle_view(self) -> None:
        self.view = self.view.next()

    def watch_view(self) -> None:
        self._update()

    def _update(self) -> None:
        title = self.query_one("#detail-title", Static)
        body = self.query_one("#detail-body", Static)
        if self.entry is None:
            title.update(Text("No event selected.", style="dim"))
            body.update("")
            return
        label = {"pretty": "Details", "json": "Raw JSON", "xml": "XML (Fuse convention)"}
        title.update(
            Text.assemble((label[self.view.value], "bold"), ("   v: pretty / JSON / XML", "dim"))
        )
        body.update(render_entry(self.entry, self.view, self.call_start))
        self.scroll_home(animate=False)
