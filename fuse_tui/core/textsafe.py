"""Make log content safe to show: control characters and escape sequences become visible text.

Log content is data, never terminal control. ESC, CR, BEL, C1 controls, DEL, bidi overrides and
other invisible format characters are written as ``\\x1b``-style escapes; newlines and tabs as
``\\n`` / ``\\t`` when a single line is wanted.
"""

from __future__ import annotations

import re
import unicodedata

# C0 (except what the caller keeps), DEL, C1, and Unicode format characters that reorder or hide
# text (bidi overrides/isolates, zero-width joiners are left alone only when harmless).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
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


def is_printable(text: str) -> bool:
    """True when ``text`` has no character that :func:`escape_control` would change."""
    return _UNSAFE_ONE_LINE.search(text) is None and all(
        unicodedata.category(c) != "Cs" for c in text
    )
