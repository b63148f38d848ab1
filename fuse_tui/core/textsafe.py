"""Make log content safe to show: control characters and escape sequences become visible text.

Log content is data, never terminal control. ESC, CR, BEL, C1 controls, DEL, bidi overrides and
other invisible format characters are written as ``\\x1b``-style escapes; newlines and tabs as
``\\n`` / ``\\t`` when a single line is wanted.
"""

from __future__ import annotations

import re

# C0 (except what the caller keeps), DEL, C1; Unicode format characters that reorder text (bidi
# marks, overrides, isolates) or hide it (zero-width space, word joiner, invisible operators, BOM,
# interlinear annotations); line/paragraph separators; lone surrogates, which no terminal can
# print (and which make a UTF-8 write fail). Zero-width (non-)joiners stay: emoji and several
# scripts need them, and they cannot hide or move text.
# Regex class ranges (no brackets), shared with the JSON and XML writers so that every output
# hides the same characters. FORMAT_CHARS: DEL, C1 and the invisible format characters above.
FORMAT_CHARS = (
    "\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
SURROGATES = "\ud800-\udfff"
_INVISIBLE = FORMAT_CHARS + SURROGATES
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_INVISIBLE}]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: str, *, one_line: bool = True) -> str:
    """Return ``text`` with every control/format character shown as a visible escape.

    With ``one_line`` (the default) newlines and tabs are escaped too, so the result is a single
    display line; otherwise newlines and tabs are kept.
    """
    pattern = _UNSAFE_ONE_LINE if one_line else _UNSAFE
    if not pattern.search(text):
        return text
    return pattern.sub(_escape_char, text)


def is_printable_but_newlines(text: str) -> bool:
    """True when :func:`escape_control` would change nothing of ``text`` but its newlines."""
    return _UNSAFE.search(text) is None and "\t" not in text


# The ASCII that escape_control leaves as it is: all but C0 and DEL.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def is_printable(text: str) -> bool:
    """True when ``text`` has no character that :func:`escape_control` would change."""
    if text.isascii():
        # Of ASCII it changes C0 and DEL only. Deleting every other byte is a table walk in C,
        # ~10x quicker than the regex (or str.isprintable) over a megabyte of log lines.
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    # str.isprintable (quick) is False for every character escape_control changes, and for
    # more (a no-break space): then the exact test.
    return text.isprintable() or _UNSAFE_ONE_LINE.search(text) is None


# Characters whose width terminals disagree on, so that a row padded to N cells by one measure
# is drawn N±k cells wide by another: variation selectors (tmux, VTE, xterm draw "☎️" in one
# cell, kitty, WezTerm and Rich's cell_len in two), the zero-width joiner (a joining terminal
# draws a ZWJ sequence as one 2-cell glyph, the others draw each part; Rich skips the character
# after it, even in "a\u200db") and skin-tone modifiers (2 cells alone, 0 after an emoji in a
# joining terminal; Rich always counts 0). Without them every part is drawn at its own East
# Asian Width, which every terminal and Rich agree on.
_UNSTEADY_WIDTH = dict.fromkeys(
    [0xFE0E, 0xFE0F, 0x200D, *range(0x1F3FB, 0x1F400)],
    None,
)


def steady_width(text: str) -> str:
    """``text`` without the characters that make terminals disagree on how wide it is.

    For text laid out in fixed columns (a list row, a table cell): the emoji stay, drawn in
    their plain form ("☎️" → "☎", "👍🏽" → "👍", a ZWJ family → its members side by side).
    The full text is still shown where it is not aligned in columns (the detail pane, copies).
    """
    return text.translate(_UNSTEADY_WIDTH)
