"""The JSON tree of the detail pane, drawn line by line: only the rows on screen are rendered.

The pane (:class:`~fuse_tui.ui.widgets.event_detail.EventDetail`, a scroll view) holds it and
its keys; this widget keeps the rows' texts and wrapping, the cursor, and says its height, so
a tree of 20,000 rows costs the few rows in view at each cursor move.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from fuse_tui.ui.widgets.detail_wrap import wrap_ends, wrap_line
from fuse_tui.ui.widgets.json_tree import (
    INDENT,
    Highlighter,
    JsonTree,
    Row,
    RowKind,
    RowParts,
    row_parts,
    row_text,
)

PIECES_KEPT = 2_000  # rows' styled texts kept for drawing (a screenful is ~40)


@dataclass(frozen=True)
class _Layout:
    width: int
    starts: list[int]  # the first line of each row, then the total number of lines

    @property
    def height(self) -> int:
        return self.starts[-1]


class JsonTreeView(Widget):
    """The rows of a :class:`JsonTree`, wrapped under their indent, with a cursor."""

    DEFAULT_CSS = """
    JsonTreeView {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.json_tree: JsonTree | None = None
        self.cursor = 0
        self.show_cursor = False
        self.palette: Mapping[str, Style] = {}
        self.match_style: Style | None = None
        self.cursor_style = Style(reverse=True)
        self.highlight: Highlighter | None = None
        self._row_parts: dict[tuple[Row, bool], RowParts] = {}
        self._heights: dict[tuple[Row, bool, int], int] = {}
        self._pieces: dict[tuple[Row, bool, int], list[Text]] = {}
        # Per width: the pane measures at two (with and without its scrollbar).
        self._layouts: dict[int, _Layout] = {}

    # ----- what it shows ------------------------------------------------------------------

    def set_tree(self, tree: JsonTree | None) -> None:
        self.json_tree = tree
        self.cursor = 0
        self.repaint(layout=True)

    def repaint(self, *, layout: bool = False) -> None:
        """Rows changed (``layout``) or only their colours or highlights: draw them again."""
        if layout:
            self._row_parts.clear()
            self._heights.clear()
            self._layouts.clear()
        self._pieces.clear()
        self.refresh(layout=layout)

    def rows_changed(self) -> None:
        """Rows were folded or unfolded: their texts stay valid, the layout does not."""
        self._layouts.clear()
        self.cursor = min(self.cursor, max(0, len(self.json_tree or ()) - 1))
        self.refresh(layout=True)

    def _parts(self, row: Row) -> RowParts:
        key = (row, row.node.folded)
        parts = self._row_parts.get(key)
        if parts is None:
            parts = self._row_parts[key] = row_parts(row)
        return parts

    def _height(self, row: Row, width: int) -> int:
        """How many lines ``row`` takes at ``width``: from its plain text, no styles made."""
        key = (row, row.node.folded, width)
        height = self._heights.get(key)
        if height is None:
            height = self._heights[key] = len(wrap_ends(self._parts(row).plain, width, row.indent))
        return height

    def _wrapped(self, row: Row, width: int) -> list[Text]:
        key = (row, row.node.folded, width)
        pieces = self._pieces.get(key)
        if pieces is None:
            text = row_text(row, self.palette, self.highlight, self.match_style, self._parts(row))
            marker = self.palette.get("punctuation", Style(dim=True))
            pieces = wrap_line(text, width, marker, indent=row.indent)
            if len(self._pieces) > PIECES_KEPT:
                self._pieces.clear()  # only the rows drawn lately are worth keeping
            self._pieces[key] = pieces
        return pieces

    def layout_for(self, width: int) -> _Layout:
        width = max(1, width)
        layout = self._layouts.get(width)
        if layout is None:
            starts = [0]
            total = 0
            height = self._height
            for row in self.json_tree.rows if self.json_tree is not None else ():
                total += height(row, width)
                starts.append(total)
            layout = _Layout(width, starts)
            if len(self._layouts) > 3:
                self._layouts.clear()
            self._layouts[width] = layout
        return layout

    def cursor_lines(self) -> tuple[int, int] | None:
        """``(first line, number of lines)`` of the cursor's row, or None without rows."""
        if self.json_tree is None or not len(self.json_tree):
            return None
        starts = self.layout_for(self.size.width).starts
        return starts[self.cursor], starts[self.cursor + 1] - starts[self.cursor]

    # ----- Textual ------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.layout_for(width).height if self.json_tree is not None else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        layout = self.layout_for(width)
        if self.json_tree is None or not 0 <= y < layout.height:
            return Strip.blank(width, base)
        index = bisect_right(layout.starts, y) - 1
        row = self.json_tree.rows[index]
        piece = self._wrapped(row, layout.width)[y - layout.starts[index]]
        segments = list(piece.render(self.app.console, end=""))
        if self.show_cursor and index == self.cursor:
            # The cursor's colours under every part but a match, which keeps its own: code
            # colours are chosen for the pane's background and some are faint on the tint.
            base += self.cursor_style
            plain = Style(color=self.cursor_style.color)
            segments = [
                segment if segment.style and segment.style.bgcolor else Segment(segment.text, plain)
                for segment in segments
            ]
        strip = Strip(segments).apply_style(base)
        return strip.crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on a row; on its ▸/▾ marker it folds or unfolds it too."""
        if self.json_tree is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        layout = self.layout_for(self.size.width)
        if not 0 <= offset.y < layout.height:
            return
        index = bisect_right(layout.starts, offset.y) - 1
        row = self.json_tree.rows[index]
        if row.kind is not RowKind.NODE:
            return
        self.cursor = index
        on_marker = offset.y == layout.starts[index] and (
            INDENT * row.node.depth <= offset.x < INDENT * (row.node.depth + 1)
        )
        if on_marker and self.json_tree.set_folded(index, not row.node.folded):
            self.rows_changed()
        self.refresh()
