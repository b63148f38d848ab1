"""The calls an all_logs dump cut short (JSON or XML) still holds whole.

A download of days of calls that stopped early (a dropped connection, a full disk) is refused
whole by the readers: the JSON (or XML) ends too early. Fuse deletes detailed logs after 5 days,
so that file may be the only copy of its first calls; ``load(partial=True)`` gives the calls it
holds whole and says that the rest was cut (see ``reader``).
"""

from __future__ import annotations

import json
import re
from xml.parsers import expat

from fuse_tui.core.formats.detect import detect_encoding, sniff

__all__ = ["whole_calls"]

# The usual dump: {"calls": [ … — "calls" its first key, as Fuse writes it.
_CALLS_START = re.compile(r'\s*\{\s*"calls"\s*:\s*\[')
_SPACE = re.compile(r"\s*")


def whole_calls(data: bytes) -> tuple[bytes, int] | None:
    """An all_logs dump of the calls of ``data`` (a dump cut short) that were read whole, and
    how many; None when ``data`` is not such a dump or holds no whole call.

    The calls are kept as the dump wrote them (the same text, up to the end of the last whole
    one), closed as a dump; the call being written when the file stopped is left out."""
    if sniff(data) == "xml":
        return _whole_xml_calls(data)
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


# <result><calls><item>…</item>…: a call is an <item> at this depth under <calls> in <result>.
_CALL_PATH = ("result", "calls", "item")
# Bytes handed to expat at a time.
_FEED_BYTES = 1 << 16


def _whole_xml_calls(data: bytes) -> tuple[bytes, int] | None:
    """:func:`whole_calls` for an XML dump: the text up to the end tag of its last whole call,
    closed by ``</calls></result>`` (as UTF-8 when the file was another encoding)."""
    # Loaded here: only a cut XML dump needs the XML reader's vetting.
    from fuse_tui.core.formats.xml_reader import ready_for_expat

    try:
        # Checked as the reader checks it (a DTD refused, the encoding vetted): without a DTD,
        # expat expands no entity but the five predefined ones.
        text = ready_for_expat(data)
    except Exception:  # any refusal: the reader's own error stands
        return None
    parser = expat.ParserCreate()
    path: list[str] = []
    ends: list[int] = []

    def start(tag: str, _attributes: object) -> None:
        path.append(tag)

    def end(tag: str) -> None:
        if len(path) == len(_CALL_PATH) and tuple(path) == _CALL_PATH:
            ends.append(_tag_end(text, parser.CurrentByteIndex))
        path.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        for offset in range(0, len(text), _FEED_BYTES):
            parser.Parse(text[offset : offset + _FEED_BYTES], False)
    except expat.ExpatError:
        pass  # the cut, or what the reader refuses anyway: the calls before it stand
    if not ends:
        return None
    return text[: ends[-1]] + b"</calls></result>", len(ends)


def _tag_end(text: bytes, at: int) -> int:
    """Where the tag that closes an element ends, from where expat's end event says it is: at
    the start of an end tag (``</item >``: no attributes, so its first '>' ends it), or, for
    an empty element (``<item a="x>y"/>``), just after its tag."""
    if text.startswith(b"</", at):
        return text.index(b">", at) + 1
    if at >= 2 and text[at - 2 : at] == b"/>":
        return at
    raise expat.ExpatError("an element's end that is not where expat says")  # told as the cut
