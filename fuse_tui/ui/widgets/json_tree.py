"""An event's data as a foldable JSON tree (the model and the text of each row; no widget).

jless is the model: every object and array is a node that can be folded to one line
(``{…} 12 keys``, ``[…] 40 items``). Big data shows its shape at once: containers deeper than
:data:`FOLD_DEPTH` or with more than :data:`FOLD_CHILDREN` children start folded, so a 5,000-key
object is one line until it is opened.

Only what is shown is ever built: a node's children are made when it is first unfolded, a
row's text when it is first drawn, and one string is shown up to :data:`MAX_VALUE_CHARS`
characters. An object with a million keys unfolded shows :data:`SHOWN_CHILDREN` of them and a
"… more" row; "unfold all" stops at :data:`UNFOLD_ALL_ROWS` rows. Nothing here pretty-prints
the whole value, so no size of data can freeze the pane.

Values are data: every key and value is escaped with :func:`escape_control` and becomes
``rich.text.Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Protocol

from rich.style import Style
from rich.text import Text

from fuse_tui.core.plural import plural
from fuse_tui.core.textsafe import escape_control

FOLD_DEPTH = 3  # containers deeper than this (the data itself is depth 0) start folded
FOLD_CHILDREN = 50  # containers with more children than this start folded
SHOWN_CHILDREN = 5_000  # at most this many children of one container are rows
UNFOLD_ALL_ROWS = 20_000  # "unfold all" stops opening containers past this many rows
MAX_VALUE_CHARS = 24_000  # of one string value (the pane's MAX_CHARS)
INDENT = 2  # cells per level; a row's content starts at INDENT * (depth + 1)
OPEN_MARK = "▾ "
FOLDED_MARK = "▸ "

Palette = Mapping[str, Style]


class Highlighter(Protocol):
    """What the tree asks of a query (``fuse_tui.core.query.Query``)."""

    def spans(self, text: str, field: str | None = None) -> list[tuple[int, int]]: ...

    def key_matches(self, path: str) -> bool: ...


class Node:
    """One key or item of the data: a scalar, or an object/array that can be folded."""

    __slots__ = ("_children", "_path", "depth", "folded", "key", "parent", "value")

    def __init__(self, key: str | int | None, value: Any, depth: int, parent: Node | None) -> None:
        self.key = key  # an object's key, an array's index, None for the data itself
        self.value = value
        self.depth = depth
        self.parent = parent
        self._path: str | None = None
        self.folded = self.is_container and (depth > FOLD_DEPTH or len(value) > FOLD_CHILDREN)
        self._children: list[Node] | None = None

    @property
    def path(self) -> str:
        """The dotted path the query names fields by (``core.query.search_text``): object keys
        escaped and joined by dots; array items share their array's path. Made when first
        drawn (escaping every key of a big object up front costs more than showing it)."""
        if self._path is None:
            parent = self.parent
            if parent is None:
                self._path = ""
            elif isinstance(self.key, str):
                name = escape_control(self.key)
                self._path = f"{parent.path}.{name}" if parent.path else name
            else:
                self._path = parent.path
        return self._path

    @property
    def is_container(self) -> bool:
        """An object or an array with something in it (an empty one is shown as a value)."""
        return isinstance(self.value, dict | list) and bool(self.value)

    @property
    def size(self) -> int:
        return len(self.value) if self.is_container else 0

    @property
    def children(self) -> list[Node]:
        """The first :data:`SHOWN_CHILDREN` children, made when first asked for."""
        if self._children is None:
            value, depth = self.value, self.depth + 1
            if isinstance(value, dict):
                made = []
                for count, (key, item) in enumerate(value.items()):
                    if count == SHOWN_CHILDREN:
                        break
                    made.append(Node(str(key), item, depth, self))
                self._children = made
            elif isinstance(value, list):
                self._children = [
                    Node(index, item, depth, self)
                    for index, item in enumerate(value[:SHOWN_CHILDREN])
                ]
            else:
                self._children = []
        return self._children


class RowKind(IntEnum):
    NODE = 0  # a key and its value, or an object/array's opening (or folded) line
    CLOSE = 1  # the "}" or "]" of an unfolded object/array
    MORE = 2  # "… 995,000 more keys not shown" after SHOWN_CHILDREN children


@dataclass(frozen=True, slots=True)
class Row:
    node: Node
    kind: RowKind = RowKind.NODE

    @property
    def indent(self) -> int:
        """The column where the row's content starts (after the fold marker, if any)."""
        return INDENT * (self.node.depth + (1 if self.kind is RowKind.NODE else 2))


class JsonTree:
    """The rows of ``data`` as currently folded; the cursor is a row index kept by the view."""

    def __init__(self, data: Any) -> None:
        self.root = Node(None, data, 0, None)
        self.rows: list[Row] = list(self._subtree_rows(self.root))

    def __len__(self) -> int:
        return len(self.rows)

    # ----- building rows ------------------------------------------------------------------

    def _subtree_rows(self, node: Node) -> Iterator[Row]:
        """The rows of ``node`` and, where unfolded, its descendants (no recursion: data can
        nest deeper than Python's stack)."""
        stack: list[tuple[Node, int]] = [(node, -1)]
        while stack:
            current, next_child = stack.pop()
            if next_child == -1:
                yield Row(current)
                if not current.is_container or current.folded:
                    continue
                next_child = 0
            children = current.children
            if next_child < len(children):
                stack.append((current, next_child + 1))
                stack.append((children[next_child], -1))
                continue
            if current.size > len(children):
                yield Row(current, RowKind.MORE)
            yield Row(current, RowKind.CLOSE)

    def _end_of(self, row: int) -> int:
        """The index after the last row of the subtree starting at ``row``."""
        node = self.rows[row].node
        if not node.is_container or node.folded:
            return row + 1
        for index in range(row + 1, len(self.rows)):
            found = self.rows[index]
            if found.node is node and found.kind is RowKind.CLOSE:
                return index + 1
        return len(self.rows)

    def row_of(self, node: Node, near: int = 0) -> int | None:
        """The row showing ``node`` (searched from ``near`` outwards: it is usually close)."""
        rows = self.rows
        for distance in range(max(near, len(rows) - near) + 1):
            for index in (near - distance, near + distance):
                if (
                    0 <= index < len(rows)
                    and rows[index].node is node
                    and rows[index].kind is RowKind.NODE
                ):
                    return index
        return None

    # ----- folding ------------------------------------------------------------------------

    def set_folded(self, row: int, folded: bool) -> bool:
        """Fold or unfold the container on ``row``; False if it is no container or already so."""
        node = self.rows[row].node
        if (
            not node.is_container
            or node.folded == folded
            or self.rows[row].kind is not RowKind.NODE
        ):
            return False
        end = self._end_of(row)
        node.folded = folded
        self.rows[row:end] = list(self._subtree_rows(node))
        return True

    def fold_all(self) -> None:
        """Every container folded but the data itself, whose keys stay in view."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node._children is not None:  # never-made children are folded already
                stack.extend(child for child in node._children if child.is_container)
            node.folded = node is not self.root
        self.rows = list(self._subtree_rows(self.root))

    def unfold_all(self) -> bool:
        """Unfold containers breadth-first until :data:`UNFOLD_ALL_ROWS` rows are shown.

        Returns False when some stay folded for that reason.
        """
        budget = UNFOLD_ALL_ROWS
        level = [self.root]
        complete = True
        while level:
            following: list[Node] = []
            for node in level:
                if not node.is_container:
                    continue
                cost = min(node.size, SHOWN_CHILDREN) + 1  # its children and its closing row
                if budget < cost:
                    complete = False
                    node.folded = True
                    continue
                budget -= cost
                node.folded = False
                following.extend(node.children)
            level = following
        self.rows = list(self._subtree_rows(self.root))
        return complete

    def parent_row(self, row: int) -> int | None:
        parent = self.rows[row].node.parent
        return None if parent is None else self.row_of(parent, row)


# ----- the text of a row --------------------------------------------------------------------


def _scalar(value: Any) -> tuple[str, str]:
    """``(text, palette part)`` of a scalar, as JSON writes it (strings without quotes)."""
    if value is None:
        return "null", "literal"
    if value is True or value is False:
        return ("true" if value else "false"), "literal"
    if isinstance(value, int | float):
        return escape_control(str(value)), "number"
    if isinstance(value, dict):
        return "{}", "punctuation"
    if isinstance(value, list):
        return "[]", "punctuation"
    return escape_control(str(value)), "string"


@dataclass(frozen=True, slots=True)
class RowParts:
    """A row as ``(text, palette part)`` pieces, and where its key and value are among them
    (the plain text alone decides the layout; styles are added only for the rows drawn)."""

    pieces: list[tuple[str, str | None]]
    key: int | None = None  # the index of the key's piece
    value: int | None = None  # the index of the shown value's piece
    full_value: str = ""  # the whole escaped value (the shown one may be cut)

    @property
    def plain(self) -> str:
        return "".join(text for text, _part in self.pieces)


def row_parts(row: Row) -> RowParts:
    """The pieces of ``row``: indent, fold marker, key, value or summary."""
    node = row.node
    pad = " " * (INDENT * node.depth)
    if row.kind is RowKind.CLOSE:
        closing = "}" if isinstance(node.value, dict) else "]"
        return RowParts([(pad + " " * INDENT, None), (closing, "punctuation")])
    if row.kind is RowKind.MORE:
        hidden = node.size - len(node.children)
        what = "key" if isinstance(node.value, dict) else "item"
        note = f"… {plural(hidden, 'more ' + what)} not shown (c copies the whole entry)"
        return RowParts([(pad + " " * (2 * INDENT), None), (note, "label")])
    pieces: list[tuple[str, str | None]] = [(pad, None)]
    if node.is_container:
        pieces.append((FOLDED_MARK if node.folded else OPEN_MARK, "punctuation"))
    else:
        pieces.append((" " * INDENT, None))
    key = None
    if isinstance(node.key, str):
        key = len(pieces)
        pieces += [(f'"{escape_control(node.key)}"', "key"), (": ", "punctuation")]
    elif isinstance(node.key, int):
        pieces.append((f"[{node.key}]: ", "punctuation"))
    if node.is_container:
        is_object = isinstance(node.value, dict)
        if not node.folded:
            pieces.append(("{" if is_object else "[", "punctuation"))
            return RowParts(pieces, key)
        pieces.append(("{…}" if is_object else "[…]", "punctuation"))
        what = "key" if is_object else "item"
        pieces.append((f" {plural(node.size, what)}", "label"))
        return RowParts(pieces, key)
    value, part = _scalar(node.value)
    shown = value[:MAX_VALUE_CHARS]
    quote = '"' if part == "string" else ""
    pieces.append((quote, part))
    at = len(pieces)
    pieces += [(shown, part), (quote, part)]
    if len(value) > len(shown):
        note = (
            f" … cut: showing the first {len(shown):,} of {len(value):,} characters. "
            "Press c to copy the whole entry or ctrl+s to save the log."
        )
        pieces.append((note, "bold"))
    return RowParts(pieces, key, at, value)


def row_text(
    row: Row,
    palette: Palette,
    query: Highlighter | None = None,
    match: Style | None = None,
    parts: RowParts | None = None,
) -> Text:
    """The text of ``row`` coloured from ``palette``, with matches of ``query`` highlighted in
    ``match``: values by :meth:`Highlighter.spans` given their path, keys by
    :meth:`Highlighter.key_matches`."""
    parts = parts or row_parts(row)
    text = Text(end="", no_wrap=True)
    marked: tuple[int, int] | None = None
    offsets: list[int] = []
    for text_piece, part in parts.pieces:
        offsets.append(len(text))
        style = Style(bold=True) if part == "bold" else palette.get(part) if part else None
        if part == "label" and style is None:
            style = Style(dim=True)
        text.append(text_piece, style)
    if query is None or match is None:
        return text
    path = row.node.path
    if parts.key is not None and query.key_matches(path):
        marked = (offsets[parts.key], offsets[parts.key] + len(parts.pieces[parts.key][0]))
        text.stylize(match, *marked)
    if parts.value is not None:
        start = offsets[parts.value]
        shown = len(parts.pieces[parts.value][0])
        for begin, end in query.spans(parts.full_value, field=path):
            if begin < shown:
                text.stylize(match, start + begin, start + min(end, shown))
    return text
