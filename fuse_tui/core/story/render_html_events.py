"""The HTML page's event list: one row per entry, coloured by class, written column by column.

A long call has 100k entries but a handful of classes and modules and one time per second: each
column is read whole (from the compact entries' own columns where the log holds them), each
distinct class, module, minute and line is escaped once, and each row is the join of its
columns' texts. Every text from the log goes through :func:`escaped` (control
characters made visible, then :func:`html.escape` with quotes), as the reference writes it.
"""

from __future__ import annotations

import html
import operator
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from fuse_tui.core.entries import CompactEntries, field_views
from fuse_tui.core.model import LogEntry
from fuse_tui.core.story.notes import SECONDS_TEXT
from fuse_tui.core.textsafe import FORMAT_CHARS, SURROGATES, escape_control
from fuse_tui.core.timestamps import epoch_seconds, format_timestamp, same_unit_span, to_datetime

KNOWN_CLASSES = frozenset({"info", "prompt", "event", "debug", "error"})

# Every character that escape_control (one line) or html.escape (quotes too) would change.
_CHANGED = re.compile(f"[&<>\"'\x00-\x1f{FORMAT_CHARS}{SURROGATES}]")


def escaped(text: str) -> str:
    """``html.escape(escape_control(text), quote=True)``: log content as HTML text."""
    if _CHANGED.search(text) is None:
        return text  # most log lines: both escapes would give it back as it is
    return html.escape(escape_control(text), quote=True)


def event_rows(
    log_entries: Sequence[LogEntry], views: Sequence[LogEntry] | None, *, utc: bool
) -> list[str]:
    """The event list's rows of a log's entries; ``views``: ``field_views(log_entries)`` when
    the caller has them (read for the lines instead of decoding the entries again)."""
    if views is None:
        views = field_views(log_entries)
    kinds, stamps, modules = _columns(log_entries, views)
    count = len(views)
    if count == 0:
        return []
    heads: dict[str, str] = {}  # class → the row's start
    middles: dict[str, str] = {}  # class → its cell, between the time and the module
    for kind in set(kinds):
        css = f"c-{kind}" if kind in KNOWN_CLASSES else "c-other"
        heads[kind] = f'<tr class="{css}"><td>'
        middles[kind] = f"</td><td>{escaped(kind)}</td><td>"
    module_cells = {module: escaped(module or "-") + "</td><td>" for module in set(modules)}
    minutes, seconds = _time_columns(stamps, utc)
    return list(
        map(
            "".join,
            zip(
                map(heads.__getitem__, kinds),
                map(str, range(count)),  # an int's str is its f-string text
                minutes,
                seconds,
                map(middles.__getitem__, kinds),
                map(module_cells.__getitem__, modules),
                escaped_lines([view.event.line for view in views]),
                [_ROW_END] * count,
                strict=True,
            ),
        )
    )


_ROW_END = "</td></tr>"
_CELL = "</td><td>"


def _columns(
    log_entries: Sequence[LogEntry], views: Sequence[LogEntry]
) -> tuple[list[str], list[Any], list[str | None]]:
    """Every entry's class, timestamp and module type: the compact entries' columns when the
    log holds them (the views' own values, read while loading), else read entry by entry."""
    if isinstance(log_entries, CompactEntries) and len(log_entries) == len(views):
        return log_entries.kinds(), log_entries.timestamps(), log_entries.module_types()
    return (
        [view.kind for view in views],
        [view.timestamp for view in views],
        [view.event.module_type for view in views],
    )


def escaped_lines(lines: list[str]) -> list[str]:
    """``[escaped(line) for line in lines]``, each distinct line escaped once: a long call
    says the same prompts and lines again and again (and a log of unique lines costs one set
    and one dict more than escaping each)."""
    done = {line: escaped(line) for line in set(lines)}
    return list(map(done.__getitem__, lines))


def _time_columns(stamps: list[Any], utc: bool) -> tuple[list[str], list[str]]:
    """Each entry's time cell in two parts (the cell's start with the minute's text, then the
    seconds' digits): ``escaped(format_timestamp(stamp, utc=utc))`` between them. A minute is
    written from its text once when every second of it reads so (see _minute_head); a time
    that is not a whole second of such a minute is written whole, once per distinct value."""
    if set(map(type, stamps)) == {int}:  # not None, nor an odd value (True is 1 to a dict)
        remainders = [stamp % 60 for stamp in stamps]
        starts = list(map(operator.sub, stamps, remainders))
        minutes = set(starts)
        low, high = min(minutes), max(minutes) + 59
        # Every second from low to high read in seconds (as entry_moments reasons): then so
        # is every second of every minute.
        if epoch_seconds(low) == low and epoch_seconds(high) == high and same_unit_span(low, high):
            heads = {minute: _minute_head(minute, utc) for minute in minutes}
            if None not in heads.values():
                cells = {minute: _CELL + head for minute, head in heads.items() if head}
                return (
                    list(map(cells.__getitem__, starts)),
                    list(map(SECONDS_TEXT.__getitem__, remainders)),
                )
    texts: dict[Any, str] = {}
    whole: list[str] = []
    for stamp in stamps:
        key = (type(stamp), stamp)  # True and 1 are one key to a dict, not one time
        text = texts.get(key)
        if text is None:
            text = texts[key] = _CELL + escaped(format_timestamp(stamp, utc=utc))
        whole.append(text)
    return whole, [""] * len(stamps)


_ONE_MINUTE_LESS_A_SECOND = timedelta(seconds=59)


def _minute_head(minute: int, utc: bool) -> str | None:
    """The escaped text of ``minute`` (a time in seconds) without its seconds' digits, when
    every second of it reads so: its first second reads ``…:00`` and its last second's wall
    clock is 59 s later (the zone's offset did not change within it: no transition, no offset
    in seconds as in old local mean times; then format_timestamp reads that last second as
    the same text with ``59``, and every second between likewise); else None."""
    first = to_datetime(minute, utc=utc)
    last = to_datetime(minute + 59, utc=utc)
    if first is None or last is None:
        return None
    try:
        text = first.strftime(_TIME_FORMAT)  # format_timestamp(minute, utc=utc)
    except ValueError:
        return None
    if len(text) != 19 or text[-3:] != ":00":
        return None
    if last.replace(tzinfo=None) - first.replace(tzinfo=None) != _ONE_MINUTE_LESS_A_SECOND:
        return None
    head = text[:-2]
    if escaped(head) != head:
        return None
    return head


# format_timestamp's own format (its default).
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
