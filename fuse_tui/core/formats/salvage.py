"""The calls an all_logs JSON dump cut short still holds whole.

A download of days of calls that stopped early (a dropped connection, a full disk) is refused
whole by the readers: the JSON ends too early. Fuse deletes detailed logs after 5 days, so that
file may be the only copy of its first calls; ``archive import`` keeps the calls it holds whole
and says that the rest was cut (see ``core.archive.transfer``).
"""

from __future__ import annotations

import json
import re

from fuse_tui.core.formats.detect import detect_encoding

__all__ = ["whole_calls"]

# The usual dump: {"calls": [ … — "calls" its first key, as Fuse writes it.
_CALLS_START = re.compile(r'\s*\{\s*"calls"\s*:\s*\[')
_SPACE = re.compile(r"\s*")


def whole_calls(data: bytes) -> tuple[bytes, int] | None:
    """An all_logs dump of the calls of ``data`` (a dump cut short) that were read whole, and
    how many; None when ``data`` is not such a dump or holds no whole call.

    The calls are kept as the dump wrote them (the same text, up to the end of the last whole
    one), closed as a dump; the call being written when the file stopped is left out."""
    encoding, bom = detect_encoding(data)
    try:
        text = data[bom:].decode(encoding)
    except UnicodeDecodeError:
        return None
    start = _CALLS_START.match(text)
    if start is None:
        return None
    decode = json.JSONDecoder().raw_decode
    pos = start.end()
    end = 0
    count = 0
    while True:
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # \s* always matches
        if not text.startswith("{", pos):
            break
        try:
            call, pos = decode(text, pos)
        except (ValueError, RecursionError):  # the cut, or what a reader would refuse anyway
            break
        if not isinstance(call, dict):
            break
        end = pos
        count += 1
        pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        if not text.startswith(",", pos):
            break
        pos += 1
    if not count:
        return None
    return (text[:end] + "]}").encode("utf-8"), count
