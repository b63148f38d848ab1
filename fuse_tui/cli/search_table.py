"""`archive search`'s table built a column at a time: the text of ``aligned_lines`` over one
row per hit (time, session, class, module, line, each escaped), byte for byte, with per-hit
work left to C where it can be (``str.join``, ``map``, ``dict`` lookups).

Thousands of hits share a few calls, classes, modules and days: each of those texts is made
once. The lines are escaped only when the text of all of them together (a piece's worth) holds
a character ``escape_control`` would change. Whatever is not a plain case (a value that is not
text, a time not in UNIX seconds) is formatted by the same functions as before, one value at a
time.

The text comes in pieces of :data:`PIECE_ROWS` rows, written one after the other: 20,000 hits
make a megabyte of text, and a megabyte made at once (with its rows, its copy with the last
newline, its UTF-8 bytes) is fresh memory, ~2 µs a 4 KiB page on first touch, where a piece's
memory is reused by the next. With the quick test for ASCII lines (``textsafe.is_printable``),
20,000 hits' text made and written: ~22 -> ~16 ms, ~1,900 page faults -> none after the first
search in a process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fuse_tui.cli.common import cell
from fuse_tui.core.textsafe import escape_control, is_printable
from fuse_tui.core.timestamps import epoch_seconds, format_timestamp

DAY = 86_400
TIME_FORMAT = "%Y-%m-%d %H:%M:%SZ"
# Rows per piece of text: ~50 KB, below malloc's threshold for a block of its own (128 KiB).
PIECE_ROWS = 1024


def utc_text(stamp: object) -> str:
    """A hit's time as the table shows it, in UTC."""
    return format_timestamp(stamp, TIME_FORMAT, utc=True)


def table_text(rows: Sequence[Sequence[Any]]) -> str:
    """The table of ``rows`` (session ID, timestamp, class, module, line), a newline after each
    line; empty for no rows."""
    return "".join(table_pieces(rows))


def table_pieces(rows: Sequence[Sequence[Any]], piece_rows: int = PIECE_ROWS) -> Iterator[str]:
    """:func:`table_text` in pieces of ``piece_rows`` rows, for writing one at a time."""
    if not rows:
        return
    times = _padded(_times([row[1] for row in rows]))
    sessions = _shared([row[0] for row in rows], lambda value: value)
    classes = _shared([row[2] for row in rows], lambda value: value or "unknown")
    modules = _shared([row[3] for row in rows], lambda value: value or "-")
    lines = [row[4] for row in rows]
    for start in range(0, len(rows), piece_rows):
        end = start + piece_rows
        columns = (
            times[start:end],
            sessions[start:end],
            classes[start:end],
            modules[start:end],
            _lines(lines[start:end]),
        )
        yield "\n".join(map("  ".join, zip(*columns, strict=True))) + "\n"


def _padded(texts: list[str]) -> Sequence[str]:
    """``texts`` padded to the widest (ljust), as ``aligned_lines`` pads a column."""
    lengths = set(map(len, texts))
    if len(lengths) == 1:
        return texts
    width = max(lengths)
    return [text.ljust(width) for text in texts]


def _shared(values: Sequence[Any], shown: Callable[[Any], Any]) -> Sequence[str]:
    """The column's cells, ``cell(shown(value))`` padded: made once per distinct value."""
    distinct = set(values)
    if not all(type(value) is str or value is None for value in distinct):
        # Not text (SQLite's TEXT columns hold str, bytes or NULL): each value on its own, as
        # hash-equal values of different types (1, 1.0, True) would share one text.
        return _padded([cell(shown(value)) for value in values])
    texts = {value: shown(value) or "" for value in distinct}
    if not is_printable("".join(texts.values())):
        texts = {value: cell(text) for value, text in texts.items()}
    width = max(map(len, texts.values()))
    padded = {value: text.ljust(width) for value, text in texts.items()}
    return list(map(padded.__getitem__, values))


def _lines(lines: Sequence[Any]) -> Sequence[str]:
    """The last column, escaped: as is when no line holds anything to escape."""
    try:
        together = "".join(lines)
    except TypeError:  # a value that is not text
        return [cell(line) for line in lines]
    if is_printable(together):
        return lines
    return [escape_control(line) for line in lines]


def _times(stamps: Sequence[Any]) -> list[str]:
    """Each hit's time as :func:`utc_text` writes it.

    A day whose first and last second read as UNIX seconds is read as seconds throughout (the
    values read as seconds are one range of integers): its date is formatted once, and each
    minute's text is its date and the minute's ``HH:MM:``; anything else goes through
    :func:`utc_text`.
    """
    days: dict[int, str] = {}
    minutes: dict[int, str] = {}
    clock: list[str] = []

    def minute_text(minute: int) -> str:
        day, minute_of_day = divmod(minute, DAY // 60)
        date = days.get(day)
        if date is None:
            date = days[day] = _date_text(day)
        if not date:
            return ""
        if not clock:
            clock.extend(_clock())
        return date + clock[minute_of_day]

    texts: list[str] = []
    append = texts.append
    seconds = _SECONDS
    for stamp in stamps:
        if type(stamp) is int:
            minute, second = divmod(stamp, 60)
            prefix = minutes.get(minute)
            if prefix is None:
                prefix = minutes[minute] = minute_text(minute)
            if prefix:
                append(prefix + seconds[second])
                continue
        append(utc_text(stamp))
    return texts


def _date_text(day: int) -> str:
    """The date part (``"YYYY-MM-DD "``) of ``day``'s times (days since 1970) when all its
    seconds read as UNIX seconds, else "" (its values are read one at a time)."""
    first, last = day * DAY, day * DAY + DAY - 1
    if epoch_seconds(first) != first or epoch_seconds(last) != last:
        return ""
    midnight = utc_text(first)
    date = midnight.removesuffix("00:00:00Z")
    if date == midnight or utc_text(last) != f"{date}23:59:59Z":
        return ""  # not the shape the table takes apart
    return date


def _clock() -> list[str]:
    """``"HH:MM:"`` of each minute of a day."""
    return [f"{minute // 60:02d}:{minute % 60:02d}:" for minute in range(DAY // 60)]


_SECONDS = [f"{second:02d}Z" for second in range(60)]
