"""Wrapping code lines in the detail pane: under their own indentation, after a "↪".

Rich folds a long token at the pane's edge and starts the rest at column 0 (``…/api/v2/a``
then ``ccounts/…``), where it reads as a new line of the document. Here a line too long for
the pane is broken after a "/", "," or space near the edge where there is one, never just at
the edge in the middle of a URL, and the rest hangs under the line's indent.

Shared by the text views (raw JSON, XML) and the JSON tree of the pretty view.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

# A long line is broken after one of these when one is in the last part of the room: the
# first set between the parts of a text or URL, else the second inside such a part.
_BREAKS = (frozenset(" /,&?"), frozenset("=;:-_."))
CONTINUATION = "↪ "


def _cut(plain: str, start: int, room: int, *, narrow: bool = False) -> int:
    """Where a piece of at most ``room`` cells starting at ``start`` ends (exclusive).

    ``narrow``: every character of ``plain`` takes one cell (ASCII), so no need to measure.
    """
    if narrow:
        end = min(len(plain), start + room)
    else:
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


def _hang(width: int, indent: int) -> tuple[int, bool]:
    """The indent of a line's later pieces, and whether they start with the marker."""
    return min(indent + 2, width // 2), width >= 2 * len(CONTINUATION) + 4


def wrap_ends(plain: str, width: int, indent: int) -> list[int]:
    """Where each piece of ``plain`` wrapped to ``width`` ends (see :func:`wrap_line`)."""
    if plain.isascii():
        if len(plain) <= width:
            return [len(plain)]
    elif cell_len(plain) <= width:
        return [len(plain)]
    hang, with_marker = _hang(width, indent)
    later_room = max(1, width - hang - (len(CONTINUATION) if with_marker else 0))
    narrow = plain.isascii()
    ends: list[int] = []
    start = 0
    while start < len(plain):
        start = _cut(plain, start, max(1, width) if not ends else later_room, narrow=narrow)
        ends.append(start)
    return ends


def wrap_line(line: Text, width: int, marker: Style, *, indent: int | None = None) -> list[Text]:
    """``line`` as pieces of at most ``width`` cells; the later ones hang under its indent.

    ``indent``: the column the line's content starts at (default: its leading spaces).
    """
    plain = line.plain
    if indent is None:
        indent = len(plain) - len(plain.lstrip(" "))
    ends = wrap_ends(plain, width, indent)
    if len(ends) == 1:
        return [line]
    # One pass to cut the text at every end (slicing a Text piece by piece re-divides its
    # spans each time: a long value wrapped to many lines was slow).
    pieces = list(line.divide(ends[:-1]))
    hang, with_marker = _hang(width, indent)
    prefix = Text.assemble(" " * hang, (CONTINUATION, marker) if with_marker else "")
    for index in range(1, len(pieces)):
        piece = prefix.copy()
        piece.append_text(pieces[index])
        pieces[index] = piece
    return pieces
