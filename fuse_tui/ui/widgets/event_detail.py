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
from textual.geometry import Region
from textual.reactive import reactive
from textual.theme import Theme
from textual.widgets import Static

from fuse_tui.core.formats import dump_xml
from fuse_tui.core.model import CallLog, LogEntry
from fuse_tui.core.query import Query
from fuse_tui.core.textsafe import escape_control
from fuse_tui.core.timefmt import format_duration
from fuse_tui.core.timestamps import format_timestamp, seconds_between
from fuse_tui.ui.widgets.detail_wrap import CONTINUATION, wrap_line
from fuse_tui.ui.widgets.event_list import layer, rich_style
from fuse_tui.ui.widgets.json_tree import UNFOLD_ALL_ROWS, JsonTree, RowKind, row_text
from fuse_tui.ui.widgets.json_tree_view import JsonTreeView

__all__ = ["CONTINUATION", "DetailView", "EventDetail", "render_entry", "wrap_line"]

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


def _highlighted(text: str, field: str, query: Query | None, match: Style | None) -> Text:
    """``text`` (already escaped) with what ``query`` matched in it in ``match``."""
    shown = Text(text)
    if query is not None and match is not None:
        for start, end in query.spans(text, field=field):
            shown.stylize(match, start, end)
    return shown


def render_head(
    entry: LogEntry,
    call_start: int | None,
    palette: Palette | None = None,
    query: Query | None = None,
    match: Style | None = None,
) -> RenderableType:
    """The entry's class, time and line: what the pretty view shows above the data."""
    palette = palette or {}
    label = palette.get("label", Style(dim=True))
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
    shown_line = _highlighted(
        escape_control(line[:MAX_CHARS], one_line=False), "line", query, match
    )
    if len(line) > MAX_CHARS:
        shown_line.append(f" … ({len(line):,} characters; c copies the whole entry)", style="bold")
    head.add_row("line", shown_line)
    return head


def render_extras(entry: LogEntry, palette: Palette | None = None) -> RenderableType | None:
    """The event's fields other than line and data, as bounded JSON (None if it has none)."""
    palette = palette or {}
    extras = dict(entry.event.model_extra) if entry.event.model_extra else {}
    if not extras:
        return None
    code = json.dumps(extras, indent=2, ensure_ascii=False)
    shown, cut = _bounded(code)
    parts: list[RenderableType] = [
        Text("other event fields", style=palette.get("label", Style(dim=True))),
        _code(shown, "json", palette),
    ]
    if cut:
        parts.append(_cut_note(code, shown))
    return Group(*parts)


class TreeLines:
    """Every row of a :class:`JsonTree` as folded, wrapped under its indent (for printing and
    tests; the pane draws only the rows in view, with :class:`JsonTreeView`)."""

    def __init__(
        self,
        tree: JsonTree,
        palette: Palette,
        query: Query | None = None,
        match: Style | None = None,
    ) -> None:
        self.json_tree = tree
        self.palette = palette
        self.highlight = query
        self.match = match

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        width = max(1, options.max_width)
        marker = self.palette.get("punctuation", Style(dim=True))
        for row in self.json_tree.rows:
            text = row_text(row, self.palette, self.highlight, self.match)
            for piece in wrap_line(text, width, marker, indent=row.indent):
                yield from piece.render(console, end="")
                yield Segment.line()


def render_entry(
    entry: LogEntry,
    view: DetailView,
    call_start: int | None,
    palette: Palette | None = None,
    query: Query | None = None,
    match: Style | None = None,
) -> RenderableType:
    """What the pane shows for ``entry`` (a pure function, so tests can call it directly).

    ``palette``: the style of each part of highlighted code (:data:`PARTS`); none: no colours.
    ``query``/``match``: what a filter matched in the pretty view, and its style.
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
    parts: list[RenderableType] = [render_head(entry, call_start, palette, query, match), Text("")]
    data = entry.event.data
    if data is None:
        parts.append(Text("(no data)", style=label))
    else:
        parts.append(Text("data", style=label))
        parts.append(TreeLines(JsonTree(data), palette, query, match))
    extras = render_extras(entry, palette)
    if extras is not None:
        parts.append(extras)
    return Group(*parts)


class EventDetail(VerticalScroll, can_focus=True):
    """Scrollable pane showing one entry; its data as a JSON tree with a cursor.

    With data, j/k and the arrows move the tree's cursor and space, h/l, -/+ fold and unfold;
    without (no data, raw JSON, XML) j/k scroll as in any scroll view.
    """

    HELP_TITLE = "Detail pane (Enter from the list)"

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False, id="detail.down"),
        Binding("k,up", "cursor(-1)", "Up", show=False, id="detail.up"),
        Binding("g,home", "edge(-1)", "First", show=False, id="detail.first"),
        Binding("G,end", "edge(1)", "Last", show=False, id="detail.last"),
        Binding("space", "toggle_node", "Fold/unfold", id="detail.toggle"),
        Binding("h,left", "fold_node", "Fold, or go to the parent", show=False, id="detail.fold"),
        Binding(
            "l,right",
            "unfold_node",
            "Unfold, or go to the first child",
            show=False,
            id="detail.unfold",
        ),
        Binding("minus", "fold_all", "Fold all", show=False, id="detail.fold_all"),
        Binding("plus,equals_sign", "unfold_all", "Unfold all", show=False, id="detail.unfold_all"),
    ]

    COMPONENT_CLASSES = {
        *(f"event-detail--{part}" for part in PARTS),
        "event-detail--match",
        "event-detail--cursor",
    }

    view: reactive[DetailView] = reactive(DetailView.PRETTY, init=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entry: LogEntry | None = None
        self.call_start: int | None = None
        self.highlight: Query = Query()
        self.json_tree: JsonTree | None = None
        self._palette: dict[str, Style] | None = None
        self._marks: tuple[Style, Style] | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select an event to see its details.", id="detail-title")
        yield Static("", id="detail-body")
        yield JsonTreeView(id="detail-tree")
        yield Static("", id="detail-extras")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: Theme) -> None:
        # The colours are baked into the shown text: paint it again with the new theme's.
        def repaint() -> None:
            self._palette = None
            self._marks = None
            self._update(keep_scroll=True, new_tree=False)  # folds and cursor stay

        self.call_after_refresh(repaint)

    @property
    def tree_view(self) -> JsonTreeView:
        return self.query_one(JsonTreeView)

    def _under(self) -> tuple[Color, Color]:
        background = self.background_colors[1]
        colour = self.rich_style.color
        return (
            background,
            Color.from_rich_color(colour) if colour else background.get_contrast_text(),
        )

    @property
    def palette(self) -> Palette:
        """The code colours of the theme, resolved against the pane's background."""
        if self._palette is None:
            under = self._under()
            palette = {}
            for part in PARTS:
                styles = self.get_component_styles(f"event-detail--{part}")
                style = Style(color=layer(styles, under)[1].rich_color)
                if styles.has_rule("text_style"):
                    style += styles.text_style
                palette[part] = style
            self._palette = palette
        return self._palette

    @property
    def marks(self) -> tuple[Style, Style]:
        """``(match, cursor)``: the styles of what a filter matched and of the tree's cursor,
        both colours resolved (as the list's, so a match reads the same in both panes)."""
        if self._marks is None:
            under = self._under()
            styles = [
                self.get_component_styles(f"event-detail--{name}") for name in ("match", "cursor")
            ]
            match, cursor = (rich_style(layer(each, under), each) for each in styles)
            self._marks = (match, cursor)
        return self._marks

    def show(
        self, entry: LogEntry | None, call_start: int | None, query: Query | None = None
    ) -> None:
        """Show ``entry``; ``query`` (None: the one shown) is the filter whose matches are
        highlighted. The same entry again keeps its folds and cursor."""
        if query is not None:
            self.highlight = query
        same = entry is self.entry and entry is not None
        self.entry = entry
        self.call_start = call_start
        if not same:
            data = entry.event.data if entry is not None else None
            self.json_tree = JsonTree(data) if data is not None else None
        self._update(keep_scroll=same, new_tree=not same)

    def set_query(self, query: Query) -> None:
        """The filter changed: highlight what it matches (folds, cursor and scroll stay)."""
        if query is self.highlight:
            return
        self.highlight = query
        self._update(keep_scroll=True)

    def action_cycle_view(self) -> None:
        self.view = self.view.next()

    def watch_view(self) -> None:
        self._update()

    def _update(self, *, keep_scroll: bool = False, new_tree: bool = True) -> None:
        title = self.query_one("#detail-title", Static)
        body = self.query_one("#detail-body", Static)
        extras = self.query_one("#detail-extras", Static)
        tree_view = self.tree_view
        if self.entry is None:
            title.update("No event selected.")
            body.update("")
            extras.update("")
            tree_view.display = False
            tree_view.set_tree(None)
            return
        title.update(title_text(self.view))
        palette = self.palette
        match, cursor = self.marks
        pretty = self.view is DetailView.PRETTY
        if not pretty:
            body.update(render_entry(self.entry, self.view, self.call_start, palette))
            extras.update("")
        else:
            head = render_head(self.entry, self.call_start, palette, self.highlight, match)
            label = palette.get("label", Style(dim=True))
            below = Text("data" if self.json_tree is not None else "(no data)", style=label)
            body.update(Group(head, Text(""), below))
            extra = render_extras(self.entry, palette)
            extras.update(extra if extra is not None else "")
        tree_view.display = pretty and self.json_tree is not None
        tree_view.palette = palette
        tree_view.match_style = match
        tree_view.cursor_style = cursor
        tree_view.highlight = self.highlight
        tree_view.show_cursor = self.has_focus
        if new_tree or tree_view.json_tree is not self.json_tree:
            tree_view.set_tree(self.json_tree)
        else:
            tree_view.repaint(layout=True)
        if not keep_scroll:
            self.scroll_home(animate=False)

    # ----- the tree's keys -----------------------------------------------------------------

    def _tree_shown(self) -> JsonTree | None:
        tree = self.json_tree
        if tree is None or self.view is not DetailView.PRETTY or not len(tree):
            return None
        return tree

    def _cursor_to(self, row: int) -> None:
        tree_view = self.tree_view
        tree_view.cursor = row
        tree_view.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        tree_view = self.tree_view
        lines = tree_view.cursor_lines()
        if lines is None:
            return
        if tree_view.cursor == 0:
            self.scroll_home(animate=False)  # the header above the data too
            return
        first, height = lines
        top = tree_view.virtual_region.y + first
        self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True)

    def _rows_changed(self, row: int | None = None) -> None:
        tree_view = self.tree_view
        tree_view.rows_changed()
        self._cursor_to(tree_view.cursor if row is None else row)

    def action_cursor(self, step: int) -> None:
        tree = self._tree_shown()
        if tree is None:
            self.scroll_down(animate=False) if step > 0 else self.scroll_up(animate=False)
            return
        row = self.tree_view.cursor
        while 0 <= row + step < len(tree):
            row += step
            if tree.rows[row].kind is RowKind.NODE:
                self._cursor_to(row)
                return

    def action_edge(self, step: int) -> None:
        tree = self._tree_shown()
        if tree is None:
            self.scroll_end(animate=False) if step > 0 else self.scroll_home(animate=False)
            return
        rows = range(len(tree) - 1, -1, -1) if step > 0 else range(len(tree))
        row = next(r for r in rows if tree.rows[r].kind is RowKind.NODE)
        self._cursor_to(row)
        if step > 0:
            self.call_after_refresh(self.scroll_end, animate=False)

    def action_toggle_node(self) -> None:
        tree = self._tree_shown()
        if tree is None:
            return
        row = self.tree_view.cursor
        if tree.set_folded(row, not tree.rows[row].node.folded):
            self._rows_changed()

    def action_fold_node(self) -> None:
        """Fold the open object/array under the cursor, else go to its parent (as jless)."""
        tree = self._tree_shown()
        if tree is None:
            return
        row = self.tree_view.cursor
        if tree.set_folded(row, True):
            self._rows_changed()
            return
        parent = tree.parent_row(row)
        if parent is not None:
            self._cursor_to(parent)

    def action_unfold_node(self) -> None:
        """Unfold the folded object/array under the cursor, else go to its first child."""
        tree = self._tree_shown()
        if tree is None:
            return
        row = self.tree_view.cursor
        if tree.set_folded(row, False):
            self._rows_changed()
        elif tree.rows[row].node.is_container:
            self._cursor_to(row + 1)

    def action_fold_all(self) -> None:
        tree = self._tree_shown()
        if tree is None:
            return
        node = tree.rows[self.tree_view.cursor].node
        while node.parent is not None and node.parent is not tree.root:
            node = node.parent  # the cursor goes to its ancestor that stays in view
        tree.fold_all()
        self._rows_changed(tree.row_of(node) or 0)

    def action_unfold_all(self) -> None:
        tree = self._tree_shown()
        if tree is None:
            return
        node = tree.rows[self.tree_view.cursor].node
        complete = tree.unfold_all()
        self._rows_changed(tree.row_of(node) or 0)
        if not complete:
            self.notify(
                f"Unfolded the first {UNFOLD_ALL_ROWS:,} rows; the rest stays folded "
                "(space unfolds one)",
                timeout=4,
            )

    def on_focus(self) -> None:
        self._cursor_shown(True)

    def on_blur(self) -> None:
        self._cursor_shown(False)

    def _cursor_shown(self, shown: bool) -> None:
        tree_view = self.tree_view
        tree_view.show_cursor = shown
        tree_view.refresh()


_LABELS = {
    DetailView.PRETTY: "Details",
    DetailView.JSON: "Raw JSON",
    DetailView.XML: "XML (Fuse convention)",
}
_NAMES = {DetailView.PRETTY: "pretty", DetailView.JSON: "JSON", DetailView.XML: "XML"}


def title_text(view: DetailView) -> Content:
    """The pane's title: what it shows and where ``v`` goes next (short: the pane is narrow)."""
    return Content.assemble((_LABELS[view], "bold $text"), f"  v → {_NAMES[view.next()]}")
