"""The event list: a line-API ``ScrollView`` that paints only the rows on screen.

One widget for the whole log (never one widget per row, never a DataTable): 1M entries cost
a list of ints. Rendered rows are cached; the cursor row is the cached row with the cursor
style on top. Log text is always ``rich.text.Text`` built from escaped strings, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.color import Color
from textual.css.styles import StylesBase
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from fuse_tui.core.entries import field_views
from fuse_tui.core.model import KNOWN_CLASSES, LogEntry
from fuse_tui.core.query import Query
from fuse_tui.core.textsafe import escape_control, steady_width
from fuse_tui.ui.rows import EventRows, TimeMode

# The class badge: as wide as the longest class in the log ("warning", "transfer"…) between
# these bounds, plus a cell of air each side.
BADGE_MIN = 6
BADGE_MAX = 12
MODULE_WIDTH = 12
RESULT_WIDTH = 12
NARROW = 60  # below this width the result-variable column is dropped
# Rich's names of the colour systems a blend cannot be shown in (TERM=linux: "standard").
FEW_COLOUR_SYSTEMS = frozenset({"standard", "windows"})
# Drawn in the cell left of the time on a marked row (x): a glyph, not a colour, so it reads in
# the ANSI and no-colour themes too; in the time column's colours, which every theme keeps legible.
MARK_GLYPH = "●"
# Actions of the screen around the list that move the focus to a text input.
INPUT_ACTIONS = frozenset({"focus_filter", "focus_session"})


def cell_safe(text: str) -> str:
    """Log text as a list row shows it: controls made visible, every cell width unambiguous."""
    return steady_width(escape_control(text))


def badge_width(classes: Iterable[str]) -> int:
    """Cells of the class badge for a log holding ``classes``."""
    longest = max((cell_len(cell_safe(name)) for name in classes), default=0)
    return max(BADGE_MIN, min(BADGE_MAX, longest)) + 2


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis (log text is escaped before this).

    Cells, not characters: a CJK name or an emoji takes two, and columns must stay aligned.
    """
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"


def _pad(text: str, width: int, *, center: bool = False) -> str:
    """``text`` (at most ``width`` cells) padded with spaces to exactly ``width`` cells."""
    room = max(0, width - cell_len(text))
    left = room // 2 if center else 0
    return " " * left + text + " " * (room - left)


def layer(styles: StylesBase, under: tuple[Color, Color]) -> tuple[Color, Color]:
    """``(background, foreground)`` of a CSS layer painted over ``under`` (the same pair).

    Composed the way Textual composes a widget over its parent: a translucent background blends
    into the one beneath, ``auto`` text takes the colour contrasting with it, translucent text
    blends into it, ANSI colours stay as they are. Rich styles of components taken with
    ``partial=True`` skip all that: ``$accent 35%`` came out opaque and ``$text-muted`` (``auto``)
    white whatever the background, white on white in a light theme.
    """
    background, foreground = under
    if styles.has_rule("background"):
        background = background + styles.background
    if styles.has_rule("color"):
        colour = styles.color
        if styles.auto_color:
            colour = background.get_contrast_text(colour.a)
        foreground = background + colour
    return background, foreground


def rich_style(colours: tuple[Color, Color], styles: StylesBase | None = None) -> Style:
    """A Rich style with both colours resolved (and the text style of ``styles``, if any)."""
    background, foreground = colours
    style = Style(color=foreground.rich_color, bgcolor=background.rich_color)
    if styles is not None and styles.has_rule("text_style"):
        style += styles.text_style
    return style


@dataclass(frozen=True)
class RowStyles:
    """The styles of one kind of row: plain, error, cursor, or error under the cursor."""

    row: Style
    time: Style
    module: Style
    result: Style
    line: Style
    match: Style
    badges: dict[str, Style]


class EventList(ScrollView, can_focus=True):
    """Virtual list of log entries with a cursor, filter highlight and three time modes."""

    COMPONENT_CLASSES = {
        "event-list--cursor",
        "event-list--time",
        "event-list--module",
        "event-list--result",
        "event-list--line",
        "event-list--match",
        "event-list--error-row",
        *(f"event-list--badge-{name}" for name in (*KNOWN_CLASSES, "unknown")),
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("home,g", "edge(-1)", "First", show=False, id="list.first"),
        Binding("end,G", "edge(1)", "Last", show=False, id="list.last"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    time_mode: reactive[TimeMode] = reactive(TimeMode.CLOCK, init=False)
    # The clock in UTC instead of local time (Z); the CLI's --utc.
    utc: reactive[bool] = reactive(False, init=False)

    class Highlighted(Message):
        """The cursor moved to ``entry`` (None when the list is empty)."""

        def __init__(self, event_list: EventList, entry: LogEntry | None, row: int) -> None:
            super().__init__()
            self.event_list = event_list
            self.entry = entry
            self.row = row

        @property
        def control(self) -> EventList:
            return self.event_list

    def __init__(
        self,
        rows: EventRows,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = rows
        # Painted rows by entry (not by row): a filter that keeps an entry keeps its strip.
        self._line_cache: LRUCache[tuple[int, int, TimeMode, bool], Strip] = LRUCache(1024)
        # The highlight the cached strips were painted with.
        self._painted_highlight: Query = rows.highlight
        self._row_styles: dict[tuple[bool, bool], RowStyles] = {}
        self._module_width, self._result_width = self._column_widths(rows.entries)
        self._badge_width = badge_width(rows.counts)
        self._added_layout: tuple[object, ...] = ()

    # ----- data ---------------------------------------------------------------------------

    @staticmethod
    def _column_widths(entries: Sequence[LogEntry]) -> tuple[int, int]:
        """Widths of the module and result columns, measured on the first entries only."""
        # Read as field views: compact entries build no model for it (2000 models: ~30 ms
        # before the first rows show).
        sample = field_views(entries[:2000])
        module = max((cell_len(cell_safe(e.event.module_type or "")) for e in sample), default=0)
        result = max(
            (cell_len(cell_safe(e.event.result_variable or "")) for e in sample), default=0
        )
        return max(6, min(MODULE_WIDTH, module)), max(6, min(RESULT_WIDTH, result))

    def refresh_rows(self, *, keep_entry: int | None = None) -> None:
        """The visible rows changed: reset size and cursor (kept on ``keep_entry``), and the
        painted rows unless each still reads the same.

        An entry's row reads the same under another filter (a class toggle: most of a screen is
        not painted again) but for its highlight and, in delta mode, the rows above it.
        """
        if self.time_mode is TimeMode.DELTA:
            self._line_cache.clear()
        self._place_rows(keep_entry)

    def _place_rows(self, keep_entry: int | None) -> None:
        """Size the list to its rows and put the cursor in range (on ``keep_entry``'s row)."""
        size = Size(self.size.width, len(self.rows))
        shown = self.size.height
        if (
            size.width == self.virtual_size.width
            and min(size.height, self.virtual_size.height) > shown
        ):
            # More rows than fit, before and after (a log growing as it loads): the scrollbar
            # stays, only its thumb moves. Set as Textual sets it without a layout of the whole
            # screen, which would paint every widget again, for each piece read.
            self.set_reactive(EventList.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size
        if keep_entry is not None:
            row = self.rows.row_of_entry(keep_entry)
            self.cursor = row if row is not None else 0
        else:
            self.cursor = min(self.cursor, max(0, len(self.rows) - 1))
        self.refresh()

    def refresh_marks(self) -> None:
        """Marks changed: rows are painted again (their cached strips carry the old gutter)."""
        self._line_cache.clear()
        self.refresh()

    def rows_added(self, *, keep_entry: int | None = None) -> None:
        """Entries were added to a log still being read: a class first seen now widens the
        badge column as if it had been there from the start."""
        self._badge_width = badge_width(self.rows.counts)
        layout = self._layout()
        if layout != self._added_layout:  # every painted row draws it
            self._added_layout = layout
            self._line_cache.clear()
        if self.rows.filter_active:
            self.refresh_rows(keep_entry=keep_entry)
            return
        # Rows only came after the ones shown: the painted strips of the others stay good (a
        # repaint of every row for each piece of a loading log, else).
        self._place_rows(keep_entry)

    def _layout(self) -> tuple[object, ...]:
        """What every painted row depends on beyond its own entry and the rows before it."""
        rows = self.rows
        return (self._badge_width, rows.time_width(self.time_mode), rows.start)

    @property
    def current_entry(self) -> LogEntry | None:
        if not len(self.rows):
            return None
        return self.rows.entry(min(self.cursor, len(self.rows) - 1))

    @property
    def current_entry_index(self) -> int | None:
        if not len(self.rows):
            return None
        return self.rows.visible[min(self.cursor, len(self.rows) - 1)]

    # ----- reactive -----------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if len(self.rows) else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.current_entry, new))

    def watch_time_mode(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def watch_utc(self) -> None:
        self._line_cache.clear()
        self.refresh()

    @property
    def few_colours(self) -> bool:
        """Whether the terminal shows 8 or 16 colours only (app.tcss: ``.-few-colours``)."""
        return self.app.console.color_system in FEW_COLOUR_SYSTEMS

    def on_mount(self) -> None:
        self.set_class(self.few_colours, "-few-colours")
        self.virtual_size = Size(self.size.width, len(self.rows))
        self.post_message(self.Highlighted(self, self.current_entry, self.cursor))

    def on_resize(self, event: events.Resize) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(event.size.width, len(self.rows))
        # Fewer rows on screen (a smaller terminal, the detail pane moving below): the
        # cursor row must stay visible, once the new size is laid out.
        self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True, x_axis=False
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._row_styles.clear()

    def refresh_line(self, row: int) -> None:
        y = row - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # ----- actions ------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - 1)

    def action_edge(self, direction: int) -> None:
        self.cursor = 0 if direction < 0 else len(self.rows) - 1

    async def on_key(self, event: events.Key) -> None:
        """Typing fast after "/" or ":" must land in the input, not in the list's bindings.

        Keys of a burst are all queued here before a binding runs (bindings run when the key
        has bubbled up to the app). So the keys that open an input run their action right
        here, and the printable keys queued behind them are handed to that input.
        """
        focused = self.screen.focused
        if focused is not self and isinstance(focused, Input):
            if event.is_printable:
                event.stop()
                event.prevent_default()
                focused.insert_text_at_cursor(event.character or "")
            return
        active = self.screen.active_bindings.get(event.key)
        if active is not None and active.binding.action in INPUT_ACTIONS:
            event.stop()
            event.prevent_default()
            await self.app.run_action(active.binding.action, active.node)

    def on_click(self, event: events.Click) -> None:
        row = event.y + self.scroll_offset.y
        if 0 <= row < len(self.rows):
            self.cursor = row

    # ----- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        # Beside the scrollbar, not under it: a row as wide as the widget hid its "…" there.
        width = self.scrollable_content_region.width
        if row >= len(self.rows):
            if row == 0 and self.rows.entries:
                plain = self.row_styles(error=False, cursor=False).row
                note = Text(
                    " No event passes the filter: / edits it, 1-6 toggle classes, m module",
                    style=plain + Style(italic=True),
                )
                note.truncate(width)
                return Strip(list(note.render(self.app.console))).crop_extend(0, width, plain)
            return Strip.blank(width, self.rich_style)
        if self.rows.highlight is not self._painted_highlight:  # a new filter, or one refused
            self._line_cache.clear()
            self._painted_highlight = self.rows.highlight
        is_cursor = row == self.cursor
        key = (self.rows.visible[row], width, self.time_mode, is_cursor)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, is_cursor)
            self._line_cache[key] = strip
        return strip

    def _component(self, name: str) -> StylesBase:
        return self.get_component_styles(f"event-list--{name}")

    def row_styles(self, *, error: bool, cursor: bool) -> RowStyles:
        """The styles of a row, every colour resolved against the theme and the list's background.

        Badges and matches are painted over the plain background (not the row's tint), so a
        class and a match look the same on every row, the cursor row included.
        """
        key = (error, cursor)
        cached = self._row_styles.get(key)
        if cached is not None:
            return cached
        widget_background = self.background_colors[1]
        widget_colour = self.rich_style.color
        plain = (
            widget_background,
            Color.from_rich_color(widget_colour)
            if widget_colour is not None
            else widget_background.get_contrast_text(),
        )
        under, text_style = plain, Style()
        for name, applies in (("error-row", error), ("cursor", cursor)):
            if applies:
                styles = self._component(name)
                under = layer(styles, under)
                if styles.has_rule("text_style"):
                    text_style += styles.text_style
        row = rich_style(under) + text_style

        def column(name: str) -> Style:
            # On a tinted row (error, cursor) the columns' own colours are hard to read: the
            # row's text colour, which contrasts with the tint, wins.
            if error or cursor:
                return row
            styles = self._component(name)
            return rich_style(layer(styles, under), styles)

        badges = {}
        for name in (*KNOWN_CLASSES, "unknown"):
            styles = self._component(f"badge-{name}")
            badges[name] = rich_style(layer(styles, plain), styles) + text_style
        match = self._component("match")
        styles_of_row = RowStyles(
            row=row,
            time=column("time"),
            module=column("module"),
            result=column("result"),
            line=column("line"),
            match=rich_style(layer(match, plain), match) + text_style,
            badges=badges,
        )
        self._row_styles[key] = styles_of_row
        return styles_of_row

    def _highlighted(self, text: str, style: Style, query: Query, match: Style) -> Text:
        out = Text(text, style=style, no_wrap=True, end="")
        for start, end in query.spans(text):
            out.stylize(match, start, end)
        return out

    def _render_row(self, row: int, width: int, is_cursor: bool) -> Strip:
        entry = self.rows.entry(row)
        kind = entry.kind
        badge_name = kind if kind in KNOWN_CLASSES else "unknown"
        # The cursor colours the whole row (over the error tint); badges and matches keep
        # their own background so they stay readable on the cursor row.
        styles = self.row_styles(error=entry.is_error, cursor=is_cursor)
        query = self.rows.highlight
        match = styles.match
        event = entry.event
        module_w, result_w = self._module_width, self._result_width
        show_result = width >= NARROW + result_w
        time_w = self.rows.time_width(self.time_mode)
        badge_w = self._badge_width
        line_w = width - (1 + time_w + 1 + badge_w + 1 + module_w + 1)
        if show_result:
            line_w -= result_w + 1

        # Every piece carries both colours: a row never shows the terminal's own background.
        text = Text(no_wrap=True, end="", style=styles.row)
        if self.rows.visible[row] in self.rows.marks:
            text.append(MARK_GLYPH, styles.time + Style(bold=True))
        else:
            text.append(" ")
        text.append(
            f"{self.rows.time_text(row, self.time_mode, utc=self.utc):>{time_w}}", styles.time
        )
        text.append(" ")
        text.append(
            _pad(_fit(cell_safe(kind), badge_w - 2), badge_w, center=True),
            styles.badges[badge_name],
        )
        text.append(" ")
        module = _fit(cell_safe(event.module_type or ""), module_w)
        text.append_text(self._highlighted(_pad(module, module_w), styles.module, query, match))
        text.append(" ")
        if show_result:
            result = _fit(cell_safe(event.result_variable or ""), result_w)
            text.append_text(self._highlighted(_pad(result, result_w), styles.result, query, match))
            text.append(" ")
        # Only what can be on screen: a megabyte-long line costs no more than a short one.
        line = cell_safe((event.line or "")[: max(0, line_w) + 64])
        line_text = self._highlighted(line, styles.line, query, match)
        line_text.truncate(max(0, line_w), overflow="ellipsis")
        text.append_text(line_text)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, styles.row)
        return strip.simplify()
