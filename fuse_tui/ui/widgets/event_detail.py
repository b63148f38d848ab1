"""The detail pane: the selected entry's class, times, full line and pretty-printed data.

``v`` cycles the view: pretty → raw JSON (the API's shape) → XML (Fuse's convention). Text
is escaped with :func:`escape_control` (newlines kept) and shown through ``Syntax``/``Text``,
never markup.

Code is highlighted with colours of the theme (component classes ``event-detail--*`` in
``app.tcss``, resolved against the pane's background), so every theme reads it. A line too
long for the pane wraps under its own indentation after a "↪", broken after a "/", "," or space
near the edge where there is one, never just at the edge in the middle of a URL.

Bounded, because it runs on the UI thread at every cursor move: highlighting 40 KB of JSON
takes ~0.4 s here and wrapping 300 KB of text seconds. So at most :data:`MAX_LINES` lines and
:data:`MAX_CHARS` characters are shown, with a note saying how much was cut and how to get all
of it (``c`` copies the entry, ``ctrl+s`` saves the log). :data:`LIMIT` (~1 MB) is the size the
issue names; anything that big is always cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import Enum

from pygments.lexers import get_lexer_by_name
from pygments.token import Token, _TokenType
from rich.cells import get_character_cell_size
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.theme import Theme
from textual.widgets import Static

from fuse_tui.core.formats import dump_xml
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp, seconds_between
from fuse_tui.ui.widgets.event_list import layer

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


# Token kinds → the part of the palette (an ``event-detail--<part>`` component class) they take.
_PARTS: tuple[tuple[_TokenType, str], ...] = (
    (Token.Name.Tag, "key"),  # JSON keys, XML tags
    (Token.Name.Attribute, "key"),
    (Token.Literal.String, "string"),
    (Token.Literal.Number, "number"),
    (Token.Keyword.Constant, "literal"),  # true, false, null
    (Token.Name.Entity, "literal"),  # &amp;
    (Token.Punctuation, "punctuation"),
    (Token.Comment, "punctuation"),  # <?xml …?>
)
# The code's parts, and "label": the names in the pretty view ("class", "time", "data"…).
PARTS = ("key", "string", "number", "literal", "punctuation", "label")
Palette = Mapping[str, Style]
# A long line is broken after one of these when one is in the last part of the room: the
# first set between the parts of a text or URL, else the second inside such a part.
_BREAKS = (frozenset(" /,&?"), frozenset("=;:-_."))
CONTINUATION = "↪ "


def _part_of(token: _TokenType) -> str | None:
    for kind, part in _PARTS:
        if token in kind:
            return part
    return None


def highlight(code: str, lexer: str, palette: Palette) -> Text:
    """``code`` escaped and coloured from ``palette`` (no colour for a part it lacks)."""
    safe = escape_control(code, one_line=False)
    text = Text(end="")
    tokens = get_lexer_by_name(lexer, stripnl=False, ensurenl=False).get_tokens(safe)
    for token, value in tokens:
        part = _part_of(token)
        text.append(value, palette.get(part) if part else None)
    return text


class WrappedCode:
    """Code lines that wrap deliberately: under their own indentation, after a "↪".

    Rich's ``Syntax`` folds a long token at the pane's edge and starts the rest at column 0
    (``…/api/v2/a`` then ``ccounts/…``), where it reads as a new line of the document.
    """

    def __init__(self, text: Text, marker: Style | None = None) -> None:
        self.text = text
        self.marker = marker if marker is not None else Style(dim=True)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((line.cell_len for line in self.text.split("\n")), default=0)
        return Measurement(min(widest, 8), widest).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        width = max(1, options.max_width)
        for line in self.text.split("\n", allow_blank=True):
            for piece in wrap_line(line, width, self.marker):
                yield from piece.render(console, end="")
                yield Segment.line()


def _cut(plain: str, start: int, room: int) -> int:
    """Where a piece of at most ``room`` cells starting at ``start`` ends (exclusive)."""
    cells, end = 0, start
    while end < len(plain):
        size = get_character_cell_size(plain[end])
        if cells + size > room:
            break
        cells += size
        end += 1
    if end >= len(plain):
        return end
    # Back to a break in the last 40% of the piece, if there is one.
    floor = start + max(1, (end - start) * 3 // 5)
    for breaks in _BREAKS:
        for stop in range(end, floor, -1):
            if plain[stop] == "<":  # before an XML tag, "</" included
                return stop
            if plain[stop - 1] in breaks and plain[stop - 2 : stop] != "</":
                return stop
    return max(end, start + 1)  # a character wider than the room still moves on


def wrap_line(line: Text, width: int, marker: Style) -> list[Text]:
    """``line`` as pieces of at most ``width`` cells; the later ones hang under its indent."""
    if line.cell_len <= width:
        return [line]
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    hang = min(indent + 2, width // 2)
    with_marker = width >= 2 * len(CONTINUATION) + 4
    pieces: list[Text] = []
    start = 0
    while start < len(plain):
        first = not pieces
        room = width if first else width - hang - (len(CONTINUATION) if with_marker else 0)
        end = _cut(plain, start, max(1, room))
        piece = line[start:end]
        if not first:
            piece = Text.assemble(" " * hang, (CONTINUATION, marker) if with_marker else "", piece)
        pieces.append(piece)
        start = end
    return pieces


def _code(code: str, lexer: str, palette: Palette) -> RenderableType:
    return WrappedCode(highlight(code, lexer, palette), palette.get("punctuation"))


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


def render_entry(
    entry: LogEntry, view: DetailView, call_start: int | None, palette: Palette | None = None
) -> RenderableType:
    """What the pane shows for ``entry`` (a pure function, so tests can call it directly).

    ``palette``: the style of each part of highlighted code (:data:`PARTS`); none: no colours.
    """
    palette = palette or {}
    label = palette.get("label", Style(dim=True))
    if view is not DetailView.PRETTY:
        if view is DetailView.JSON:
            code, lexer = json.dumps(entry.to_api(), indent=2, ensure_ascii=False), "json"
        else:
            code, lexer = dump_xml(CallLog(entries=[entry])).decode("utf-8"), "xml"
        shown, cut = _bounded(code)
        return (
            Group(_code(shown, lexer, palette), _cut_note(code, shown))
            if cut
            else _code(shown, lexer, palette)
        )

    # A two-column grid so a wrapped line keeps its indent under the value column.
    head = Table.grid(padding=(0, 2))
    head.add_column(style=label, no_wrap=True)
    head.add_column(overflow="fold")
    badge = "bold reverse" if entry.is_error else "bold"
    # A span, not the cell style: the badge covers the word, not the whole column.
    head.add_row("class", Text.assemble((escape_control(entry.kind), badge)))
    if entry.timestamp is None:
        head.add_row("time", "(no timestamp)")
    else:
        head.add_row("time", Text(format_timestamp(entry.timestamp, "%Y-%m-%d %H:%M:%S %Z")))
        offset = seconds_between(call_start, entry.timestamp)
        if offset is not None:
            head.add_row("", f"{format_duration(offset, sign='+')} from call start")
    line = entry.event.line or ""
    shown_line = Text(escape_control(line[:MAX_CHARS], one_line=False))
    if len(line) > MAX_CHARS:
        shown_line.append(f" … ({len(line):,} characters; c copies the whole entry)", style="bold")
    head.add_row("line", shown_line)
    parts: list[RenderableType] = [head, Text("")]
    data = entry.event.data
    if data is None:
        parts.append(Text("(no data)", style=label))
    else:
        code = json.dumps(data, indent=2, ensure_ascii=False)
        shown, cut = _bounded(code)
        parts.append(Text("data", style=label))
        parts.append(_code(shown, "json", palette))
        if cut:
            parts.append(_cut_note(code, shown))
    extras = {k: v for k, v in entry.event.model_extra.items()} if entry.event.model_extra else {}
    if extras:
        parts.append(Text("other event fields", style=label))
        extra_code = json.dumps(extras, indent=2, ensure_ascii=False)
        extra_shown, extra_cut = _bounded(extra_code)
        parts.append(_code(extra_shown, "json", palette))
        if extra_cut:
            parts.append(_cut_note(extra_code, extra_shown))
    return Group(*parts)


class EventDetail(VerticalScroll, can_focus=True):
    """Scrollable pane showing one entry."""

    # Arrows and PgUp/PgDn scroll it as any scroll view; j/k too, as in the list (and in jless).
    BINDINGS = [
        Binding("j", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("k", "scroll_up", "Scroll up", show=False, id="detail.up"),
    ]

    COMPONENT_CLASSES = {f"event-detail--{part}" for part in PARTS}

    view: reactive[DetailView] = reactive(DetailView.PRETTY, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entry: LogEntry | None = None
        self.call_start: int | None = None
        self._palette: dict[str, Style] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select an event to see its details.", id="detail-title")
        yield Static("", id="detail-body")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: Theme) -> None:
        # The colours are baked into the shown text: paint it again with the new theme's.
        def repaint() -> None:
            self._palette = None
            self._update(keep_scroll=True)

        self.call_after_refresh(repaint)

    @property
    def palette(self) -> Palette:
        """The code colours of the theme, resolved against the pane's background."""
        if self._palette is None:
            background = self.background_colors[1]
            colour = self.rich_style.color
            under = (
                background,
                Color.from_rich_color(colour) if colour else background.get_contrast_text(),
            )
            palette = {}
            for part in PARTS:
                styles = self.get_component_styles(f"event-detail--{part}")
                style = Style(color=layer(styles, under)[1].rich_color)
                if styles.has_rule("text_style"):
                    style += styles.text_style
                palette[part] = style
            self._palette = palette
        return self._palette

    def show(self, entry: LogEntry | None, call_start: int | None) -> None:
        self.entry = entry
        self.call_start = call_start
        self._update()

    def action_cycle_view(self) -> None:
        self.view = self.view.next()

    def watch_view(self) -> None:
        self._update()

    def _update(self, *, keep_scroll: bool = False) -> None:
        title = self.query_one("#detail-title", Static)
        body = self.query_one("#detail-body", Static)
        if self.entry is None:
            title.update("No event selected.")
            body.update("")
            return
        title.update(title_text(self.view))
        body.update(render_entry(self.entry, self.view, self.call_start, self.palette))
        if not keep_scroll:
            self.scroll_home(animate=False)


_LABELS = {
    DetailView.PRETTY: "Details",
    DetailView.JSON: "Raw JSON",
    DetailView.XML: "XML (Fuse convention)",
}
_NAMES = {DetailView.PRETTY: "pretty", DetailView.JSON: "JSON", DetailView.XML: "XML"}


def title_text(view: DetailView) -> Content:
    """The pane's title: what it shows and where ``v`` goes next (short: the pane is narrow)."""
    return Content.assemble((_LABELS[view], "bold $text"), f"  v → {_NAMES[view.next()]}")
